/// A piece of hardware described in Swift: a type whose `build` method declares
/// ports, registers, memories, instances and the logic between them.
///
/// ```swift
/// struct Counter: HardwareModule {
///     var width = 8
///     var moduleName: String { "counter" }
///     var parameters: [ModuleParameter] { [.init("width", width)] }
///     func build(_ m: ModuleBuilder) {
///         let enable = m.input("enable", .bool)
///         let count = m.output("count", .unsigned(width))
///         let value = m.register("value", .unsigned(width), reset: 0)
///         m.when(enable) { value <== value + 1 }
///         count <== value
///     }
/// }
/// ```
public protocol HardwareModule {
    /// The base name of the emitted Verilog module.
    var moduleName: String { get }
    /// The values that make one elaboration differ from another: every value
    /// `build` depends on. Modules with equal names and parameters are built
    /// once and emitted once; the parameters head the emitted file.
    var parameters: [ModuleParameter] { get }
    /// Whether the emitted name carries the parameters (`counter_width8`).
    /// A module that wants its plain name (`pqa_core`, `pqa_encoder`) says
    /// false; a second parameterisation in the same design is then numbered
    /// (`pqa_encoder_2`).
    var nameIncludesParameters: Bool { get }
    /// Whether synthesis keeps every instance of this module apart
    /// (`(* keep_hierarchy *)`): then no optimization merges logic of two
    /// instances, so a register copied into each (`ModuleBuilder.fannedOut`)
    /// stays one register per copy.
    var keepsHierarchy: Bool { get }
    /// Declares the module's hardware.
    func build(_ m: ModuleBuilder)
}

extension HardwareModule {
    /// No parameters.
    public var parameters: [ModuleParameter] { [] }

    /// Parameterised modules carry their parameters in their names.
    public var nameIncludesParameters: Bool { true }

    /// Synthesis may flatten the module and optimize across its boundary.
    public var keepsHierarchy: Bool { false }

    /// Elaborates this module and every module it instantiates, checking widths,
    /// drivers, names and combinational loops. Throws every error found at once.
    public func elaborate() throws(ElaborationError) -> Netlist {
        let context = ElaborationContext()
        let netlist = context.elaborate(self)
        let errors = context.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw ElaborationError(diagnostics: context.diagnostics) }
        return netlist
    }
}

/// Shared state of one elaboration: the cache of elaborated modules (so each
/// distinct parameterisation is built once) and every diagnostic.
final class ElaborationContext {
    /// Elaborated modules by their parameterisation key.
    private var cache: [String: Netlist] = [:]
    /// Emitted names already given, so a second parameterisation of the same
    /// base name gets a numbered one.
    private var usedNames: Set<String> = []
    private(set) var diagnostics: [Diagnostic] = []
    private var inProgress: [String] = []

    func elaborate(_ module: some HardwareModule) -> Netlist {
        if let elaborated = module as? ElaboratedModule {
            usedNames.formUnion(elaborated.netlist.hierarchy.map(\.name))
            return elaborated.netlist
        }
        let key = module.moduleName + "|" + module.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        if let cached = cache[key] { return cached }
        if inProgress.contains(key) {
            diagnostics.append(Diagnostic(
                severity: .error, module: module.moduleName,
                message: "module instantiates itself (\((inProgress + [key]).joined(separator: " -> ")))",
                location: nil))
            return Netlist(name: module.moduleName, baseName: module.moduleName, parameters: module.parameters, ports: [], nodes: [],
                           registers: [], memories: [], instances: [], combinationalPaths: [:], warnings: [])
        }
        inProgress.append(key)
        let name = uniqueName(ModuleNaming.preferredName(module))
        let builder = ModuleBuilder(name: name, context: self)
        if !ModuleNaming.isIdentifier(module.moduleName) || VerilogKeywords.contains(module.moduleName) {
            builder.error("module name '\(module.moduleName)' is not a legal Verilog identifier; use letters, digits and '_', not a keyword", at: nil)
        }
        module.build(builder)
        let netlist = Lowering(builder: builder, baseName: module.moduleName, parameters: module.parameters,
                               keepsHierarchy: module.keepsHierarchy).run()
        diagnostics += builder.diagnostics
        inProgress.removeLast()
        cache[key] = netlist
        return netlist
    }

    /// `name`, or `name_2`, `name_3`, ... when another parameterisation has it.
    private func uniqueName(_ name: String) -> String {
        var candidate = name, number = 1
        while usedNames.contains(candidate) {
            number += 1
            candidate = "\(name)_\(number)"
        }
        usedNames.insert(candidate)
        return candidate
    }
}

/// How emitted module names are derived from a base name and parameters.
enum ModuleNaming {
    /// Names longer than this drop their parameter suffix.
    static let longestParameterizedName = 64

    /// The name a module asks for: `argmin_tree` with `inputs=64, width=16`
    /// becomes `argmin_tree_inputs64_width16` when it carries its parameters
    /// and the result is short; otherwise the base name. A second
    /// parameterisation asking for a taken name gets it numbered.
    static func preferredName(_ module: some HardwareModule) -> String {
        guard module.nameIncludesParameters, !module.parameters.isEmpty else { return module.moduleName }
        let suffix = module.parameters.map { sanitize($0.name) + sanitize($0.value) }.joined(separator: "_")
        let name = module.moduleName + "_" + suffix
        return name.count > longestParameterizedName ? module.moduleName : name
    }

    static func sanitize(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : ($0 == "-" ? "m" : "_") })
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}

/// A module elaborated before, instantiated as it is: a stage taken out of a
/// design (`netlist.hierarchy`) to be wrapped, placed and routed alone.
public struct ElaboratedModule: HardwareModule {
    /// The module and everything below it.
    public let netlist: Netlist

    /// The module `netlist`, as elaborated.
    public init(_ netlist: Netlist) { self.netlist = netlist }

    public var moduleName: String { netlist.baseName }
    public var parameters: [ModuleParameter] { netlist.parameters }
    public var nameIncludesParameters: Bool { false }

    /// Never called: elaboration takes `netlist` as it is.
    public func build(_ m: ModuleBuilder) {}
}
