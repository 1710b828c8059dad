import Foundation
import Testing
@testable import PQ

@Suite struct AtomicFileTests {
    @Test func temporarySiblingsAreHiddenAndUnique() {
        let url = URL(fileURLWithPath: "/tmp/x/out.npy")
        let a = AtomicFile.temporarySibling(of: url), b = AtomicFile.temporarySibling(of: url)
        #expect(a != b)
        #expect(a.deletingLastPathComponent() == url.deletingLastPathComponent())
        #expect(a.lastPathComponent.hasPrefix(".out.npy.tmp-"))
    }

    @Test func failedWritesLeaveNothingBehind() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Renaming a file over a non-empty directory fails: the temporary file must go.
        let blocker = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: blocker.appendingPathComponent("inner"), withIntermediateDirectories: true)
        #expect(throws: AtomicFile.Failure.self) { try AtomicFile.write(Data([1, 2, 3]), to: blocker) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out"])
    }
}
