/// A register's next value written as `if` statements: the muxes between
/// the register and the value it keeps (`when` blocks lowered to muxes whose
/// one side is the register itself) become conditions, so a register with an
/// enable reads `if (enable) q <= d;` rather than `q <= enable ? d : q;`.
struct RegisterUpdate {
    let names: EmissionNames
    let register: RegisterSpec
    let sourceComments: Bool

    /// The muxes every register's update absorbs: unnamed muxes read only by
    /// the register (or by such a mux) on a path that ends at the register.
    static func absorbedMuxes(_ netlist: Netlist, live: Set<NodeID>, uses: [NodeID: [NodeID]]) -> Set<NodeID> {
        var absorbed = Set<NodeID>()
        func holds(_ id: NodeID, _ register: NodeID) -> Bool {
            if id == register { return true }
            guard netlist.nodes[id.index].name == nil, uses[id]?.count == 1,
                  case .mux(_, let whenTrue, let whenFalse) = netlist.nodes[id.index].kind else { return false }
            let (left, right) = (holds(whenTrue, register), holds(whenFalse, register))
            guard left || right else { return false }
            absorbed.insert(id)
            return true
        }
        for register in netlist.registers where live.contains(register.node) {
            if let next = register.next { _ = holds(next, register.node) }
        }
        return absorbed
    }

    /// The statements that update the register, without indentation.
    var statements: [String] {
        let next = register.next ?? register.node
        return Self.render(tree(next, context: names.netlist.nodes[register.node.index].location))
    }

    /// One statement of an update.
    private indirect enum Update {
        /// `q <= value;` with its source comment.
        case assign(String)
        /// `if (c1 && c2 ...) taken else otherwise`; each condition is an
        /// operand (a name or parenthesized); empty lists are left out.
        case branch(conditions: [String], taken: [Update], otherwise: [Update])
    }

    /// The update for next value `id`; `context` is the location of the `when`
    /// around it (or of the register), which a value not built for this
    /// update (a constant, a port, another register) reports.
    private func tree(_ id: NodeID, context: SourceLocation) -> [Update] {
        if id == register.node { return [] }
        let node = names.netlist.nodes[id.index]
        guard names.absorbed.contains(id), case .mux(let select, let whenTrue, let whenFalse) = node.kind else {
            let location = node.kind.isPureOperation && names.constantValue(id) == nil ? node.location : context
            let comment = sourceComments ? " // @[\(location.shortDescription)]" : ""
            return [.assign("\(names.ref(register.node)) <= \(names.value(id));" + comment)]
        }
        let (taken, otherwise) = (tree(whenTrue, context: node.location), tree(whenFalse, context: node.location))
        let (condition, body, alternative) = taken.isEmpty ? ("!" + names.ref(select), otherwise, [Update]()) : (names.ref(select), taken, otherwise)
        // `if (a) if (b) x` with no else on either: `if (a && b) x`.
        if alternative.isEmpty, body.count == 1, case .branch(let inner, let innerTaken, let innerOtherwise) = body[0], innerOtherwise.isEmpty {
            return [.branch(conditions: [condition] + inner, taken: innerTaken, otherwise: [])]
        }
        return [.branch(conditions: [condition], taken: body, otherwise: alternative)]
    }

    private static func render(_ updates: [Update]) -> [String] {
        updates.flatMap { update -> [String] in
            switch update {
            case .assign(let text):
                return [text]
            case .branch(let conditions, let taken, let otherwise):
                // A lone parenthesized condition drops its parentheses: `if (a & b)`.
                let single = conditions.count == 1 && conditions[0].hasPrefix("(") && conditions[0].hasSuffix(")")
                let condition = single ? String(conditions[0].dropFirst().dropLast()) : conditions.joined(separator: " && ")
                var lines = block("if (\(condition))", taken, beforeElse: !otherwise.isEmpty)
                if !otherwise.isEmpty {
                    let rest = render(otherwise)
                    if otherwise.count == 1, case .branch = otherwise[0] {
                        lines.append("else " + rest[0])  // else if
                        lines += rest.dropFirst()
                    } else {
                        lines += block("else", otherwise, beforeElse: false)
                    }
                }
                return lines
            }
        }
    }

    /// `header statement` for one assignment; a `begin`/`end` block for more,
    /// or for a nested `if` that an `else` could otherwise bind to.
    private static func block(_ header: String, _ body: [Update], beforeElse: Bool) -> [String] {
        let lines = render(body)
        if lines.count == 1, case .assign = body[0] { return ["\(header) \(lines[0])"] }
        if lines.count == 1, !beforeElse { return ["\(header) \(lines[0])"] }
        return ["\(header) begin"] + lines.map { "    " + $0 } + ["end"]
    }
}

extension SourceLocation {
    /// `File.swift:12`: the file name without its module folder.
    var shortDescription: String {
        "\(fileID.split(separator: "/").last.map(String.init) ?? fileID):\(line)"
    }
}
