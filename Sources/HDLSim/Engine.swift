/// A simulation engine.
public enum Engine: String, CaseIterable, Sendable {
    /// The built-in interpreter (always available).
    case interpreter
    /// Verilator, the design compiled and loaded into this process.
    case verilator
    /// Icarus Verilog, replaying the interpreter's recorded run in a testbench.
    case icarus

    /// The system tool the engine needs, if any.
    public var tool: String? {
        switch self {
        case .interpreter: nil
        case .verilator: "verilator"
        case .icarus: "iverilog"
        }
    }

    /// The engines whose tools are installed.
    public static var installed: [Engine] {
        allCases.filter { $0.tool.map { ExternalTool.locate($0) != nil } ?? true }
    }
}
