import Foundation

/// Writing files and folders so that a reader never sees them half written:
/// everything goes to a hidden temporary sibling that is renamed into place.
enum AtomicFile {
    /// Why a write failed (the caller wraps it in its own error type).
    struct Failure: Error {
        let reason: String
    }

    /// A unique hidden sibling path of `url` (`.name.tmp-PID-RANDOM`).
    static func temporarySibling(of url: URL, tag: String = "tmp") -> URL {
        var generator = SystemRandomNumberGenerator()
        let suffix = String(generator.next() & 0xFFFF_FFFF, radix: 16)
        let name = ".\(url.lastPathComponent).\(tag)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
        return url.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Writes `data` to a temporary sibling and renames it over `url`.
    static func write(_ data: Data, to url: URL) throws {
        let temporary = temporarySibling(of: url)
        do {
            try data.write(to: temporary)
        } catch {
            throw Failure(reason: error.localizedDescription)
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(reason: reason)
        }
    }

    /// Writes through `body` into a temporary sibling opened for writing
    /// (its file descriptor), then renames it over `url`.
    static func write(to url: URL, _ body: (Int32) throws -> Void) throws {
        let temporary = temporarySibling(of: url)
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        do {
            try body(descriptor)
        } catch {
            close(descriptor)
            try? FileManager.default.removeItem(at: temporary)
            throw error as? Failure ?? Failure(reason: "\(error)")
        }
        guard close(descriptor) == 0, rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(reason: reason)
        }
    }

    /// Moves a completed temporary folder to `url`. An existing folder at
    /// `url` is replaced only when `replaceable` says so; it is first moved
    /// aside and restored if the final rename fails.
    static func moveFolder(_ temporary: URL, to url: URL, replaceable: (URL) -> Bool) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        var aside: URL?
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, replaceable(url) else {
                throw Failure(reason: "\(url.path) exists and is not a layer folder or an empty folder; choose another path or remove it")
            }
            let old = temporarySibling(of: url, tag: "old")
            guard rename(url.path, old.path) == 0 else {
                throw Failure(reason: "cannot move the old folder aside: " + String(cString: strerror(errno)))
            }
            aside = old
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            if let aside { _ = rename(aside.path, url.path) }
            throw Failure(reason: reason)
        }
        if let aside { try? manager.removeItem(at: aside) }
    }
}
