/// A `when` chain under construction: add `elseWhen` branches and a final
/// `otherwise`.
public struct WhenChain {
    let chain: ConditionalChain
    unowned let builder: ModuleBuilder

    /// A branch taken when every earlier condition is false and `condition` is true.
    @discardableResult
    public func elseWhen(_ condition: Signal, fileID: String = #fileID, line: Int = #line, _ body: () -> Void) -> WhenChain {
        if chain.otherwise != nil {
            builder.error("elseWhen after otherwise; otherwise must come last", at: SourceLocation(fileID: fileID, line: line))
        }
        builder.addBranch(to: chain, condition, at: SourceLocation(fileID: fileID, line: line), body)
        return self
    }

    /// The branch taken when every condition is false.
    public func otherwise(fileID: String = #fileID, line: Int = #line, _ body: () -> Void) {
        let location = SourceLocation(fileID: fileID, line: line)
        if chain.otherwise != nil { builder.error("a second otherwise for the same when", at: location) }
        let block = Block()
        chain.otherwise = block
        builder.run(body, in: block)
    }
}

/// The cases of a `switch` under construction.
public final class SwitchCases {
    let selector: Signal
    let chain: ConditionalChain
    unowned let builder: ModuleBuilder
    private var seen: Set<Int> = []

    init(selector: Signal, chain: ConditionalChain, builder: ModuleBuilder) {
        self.selector = selector
        self.chain = chain
        self.builder = builder
    }

    /// A case taken when the selector equals any of `values`.
    public func `case`(_ values: Int..., fileID: String = #fileID, line: Int = #line, _ body: () -> Void) {
        let location = SourceLocation(fileID: fileID, line: line)
        guard !values.isEmpty else {
            builder.error("a switch case needs at least one value", at: location)
            return
        }
        for value in values where !seen.insert(value).inserted {
            builder.error("switch value \(value) appears in two cases", at: location)
        }
        let matches = values.map { selector == builder.constant(value: $0, like: selector, at: location) }
        let condition = matches.dropFirst().reduce(matches[0]) { $0 | $1 }
        builder.addBranch(to: chain, condition, at: location, body)
    }

    /// The case taken when no value matches.
    public func `default`(fileID: String = #fileID, line: Int = #line, _ body: () -> Void) {
        WhenChain(chain: chain, builder: builder).otherwise(fileID: fileID, line: line, body)
    }
}

extension ModuleBuilder {
    /// Assignments in `body` take effect only while `condition` (a `Bool`) is
    /// true. The last assignment on a path wins. Chain `elseWhen` and `otherwise`.
    @discardableResult
    public func when(_ condition: Signal, fileID: String = #fileID, line: Int = #line, _ body: () -> Void) -> WhenChain {
        let location = SourceLocation(fileID: fileID, line: line)
        let chain = ConditionalChain(location: location)
        blockStack[blockStack.count - 1].statements.append(.conditional(chain))
        addBranch(to: chain, condition, at: location, body)
        return WhenChain(chain: chain, builder: self)
    }

    /// Chooses among cases by the value of `selector`, like a chain of `when`s on
    /// equality. Declare cases with `case(...)` and a final `default`.
    public func `switch`(_ selector: Signal, fileID: String = #fileID, line: Int = #line, _ cases: (SwitchCases) -> Void) {
        let location = SourceLocation(fileID: fileID, line: line)
        if selector.type.isBool { error("switch on a Bool; use when", at: location) }
        let chain = ConditionalChain(location: location)
        blockStack[blockStack.count - 1].statements.append(.conditional(chain))
        cases(SwitchCases(selector: selector, chain: chain, builder: self))
    }

    func addBranch(to chain: ConditionalChain, _ condition: Signal, at location: SourceLocation, _ body: () -> Void) {
        if !condition.type.isBool {
            error("condition must be Bool, got \(describe(condition)); compare it (e.g. != 0) or use asBool", at: location)
        }
        let block = Block()
        chain.branches.append((condition.id, block))
        run(body, in: block)
    }

    func run(_ body: () -> Void, in block: Block) {
        blockStack.append(block)
        body()
        blockStack.removeLast()
    }

    func constant(value: Int, like signal: Signal, at location: SourceLocation) -> Signal {
        constant(value, signal.type, fileID: location.fileID, line: location.line)
    }
}
