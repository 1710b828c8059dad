import Foundation
@testable import HDL

/// A module built from a closure, for tests that need a small design.
struct TestModule: HardwareModule {
    var moduleName: String = "test_module"
    var parameters: [ModuleParameter] = []
    let body: (ModuleBuilder) -> Void

    init(_ name: String = "test_module", parameters: [ModuleParameter] = [], body: @escaping (ModuleBuilder) -> Void) {
        self.moduleName = name
        self.parameters = parameters
        self.body = body
    }

    func build(_ m: ModuleBuilder) { body(m) }
}

/// The errors elaboration reports for `body`, or an empty list when it succeeds.
func elaborationErrors(_ body: @escaping (ModuleBuilder) -> Void) -> [String] {
    do {
        _ = try TestModule(body: body).elaborate()
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// Native two's-complement helpers for widths up to 64.
enum Native {
    static func mask(_ width: Int) -> UInt64 { width >= 64 ? ~0 : (1 << UInt64(width)) - 1 }
    static func signed(_ value: UInt64, _ width: Int) -> Int64 {
        let spare = UInt64(64 - width)
        return Int64(bitPattern: value << spare) >> Int64(spare)
    }
}

/// A fresh temporary folder for a test.
func temporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
