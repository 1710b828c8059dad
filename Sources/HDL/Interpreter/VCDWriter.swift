import Foundation

/// Writes a Value Change Dump (IEEE 1364 §18) of chosen signals: the header,
/// then at each sampled time only the signals that changed.
final class VCDWriter {
    private let handle: FileHandle
    private let signals: [(id: String, slot: FlatDesign.Slot)]
    private var previous: [[UInt64]?]
    private var buffer = ""
    private var isClosed = false
    private let clockID = "!"

    /// Opens `path` and writes the header. Hierarchical names (`u.a`) become scopes.
    init(path: String, top: String, signals: [(name: String, slot: FlatDesign.Slot)]) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw OutputError(path: path, reason: "the waveform file cannot be created")
        }
        self.handle = handle
        var ids: [(String, FlatDesign.Slot)] = []
        var header = "$version pqa \(VerilogEmitter.generatorVersion) $end\n$timescale 1ns $end\n$scope module \(top) $end\n"
        header += "$var wire 1 \(clockID) clk $end\n"
        var openScopes: [String] = []
        for (index, signal) in signals.sorted(by: { $0.name < $1.name }).enumerated() {
            var parts = signal.name.split(separator: ".").map(String.init)
            let leaf = parts.removeLast()
            while !openScopes.isEmpty && (openScopes.count > parts.count || openScopes != Array(parts.prefix(openScopes.count))) {
                header += "$upscope $end\n"
                openScopes.removeLast()
            }
            for scope in parts.dropFirst(openScopes.count) {
                header += "$scope module \(scope) $end\n"
                openScopes.append(scope)
            }
            let id = VCDWriter.identifier(index + 1)
            header += "$var wire \(signal.slot.width) \(id) \(leaf) $end\n"
            ids.append((id, signal.slot))
        }
        header += String(repeating: "$upscope $end\n", count: openScopes.count + 1)
        header += "$enddefinitions $end\n"
        self.signals = ids
        self.previous = Array(repeating: nil, count: ids.count)
        buffer = header
    }

    /// A short printable identifier for signal number `index`.
    static func identifier(_ index: Int) -> String {
        var value = index
        var text = ""
        repeat {
            text.append(Character(UnicodeScalar(UInt8(33 + value % 94))))
            value /= 94
        } while value > 0
        return text
    }

    /// Records the values at `time` that differ from the last sample.
    func sample(time: Int, storage: UnsafeMutablePointer<UInt64>, clock: Bool) {
        buffer += "#\(time)\n\(clock ? 1 : 0)\(clockID)\n"
        for (index, signal) in signals.enumerated() {
            let words = Array(UnsafeBufferPointer(start: storage + signal.slot.offset, count: signal.slot.words))
            guard previous[index] != words else { continue }
            previous[index] = words
            let value = BitVector(width: signal.slot.width, words: words)
            if signal.slot.width == 1 {
                buffer += "\(value.lowWord)\(signal.id)\n"
            } else {
                let bits = (0..<value.width).reversed().map { value.bit($0) ? "1" : "0" }.joined()
                buffer += "b\(bits) \(signal.id)\n"
            }
        }
        if buffer.utf8.count > 1 << 16 { flush() }
    }

    private func flush() {
        handle.write(Data(buffer.utf8))
        buffer = ""
    }

    /// Writes what is buffered and closes the file.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        flush()
        try? handle.close()
    }

    deinit { close() }
}
