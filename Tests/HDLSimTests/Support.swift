import Foundation
import HDL
import HDLSim

/// Whether tests needing `tool` run: always in CI (where a missing tool is a
/// failure), elsewhere only when it is installed.
func toolAvailable(_ tool: String) -> Bool {
    ProcessInfo.processInfo.environment["CI"] == "true" || ExternalTool.locate(tool) != nil
}

/// A module built from a closure.
struct InlineModule: HardwareModule {
    let moduleName: String
    let body: (ModuleBuilder) -> Void
    func build(_ m: ModuleBuilder) { body(m) }
}
