import HDL
import PQ

/// A write of one tree memory's word (its lane's slot of a load beat).
struct TreeWrite: PortGroup {
    let enable, address, data: Signal
}

/// The control a tree subspace encoder receives, each at the stage it acts in.
struct TreeControl: PortGroup {
    /// Stage 0 (the operation): read the tree word of the group at `address`.
    let read, address: Signal
    /// `InputBuffer.readLatency` later, with the word: the column word of
    /// element chunk `chunk` is in (`capture`); on `start` (the group's last
    /// chunk) the walk begins the cycle after.
    let capture, chunk, start: Signal
    /// Per level, in the cycle it is walked (`l + 1` after `start`): whether
    /// the layer's trees have it (`Np > 2^l`); a level they lack keeps the node.
    let active: [Signal]
}

extension TreeControl {
    init(_ ports: PortFields, _ design: PQAParameters) {
        read = ports.bool("read")
        address = ports("address", .unsigned(max(1, ceilLog2(2 * design.treeWords))))
        capture = ports.bool("capture")
        chunk = ports("chunk", countType(design.chunksMax))
        start = ports.bool("start")
        active = ports.array("active", count: design.treeLevels, .bool)
    }
}

/// The tree encoder of one subspace of a group: its tree memory (two banks
/// of one word per group: per level the split element's lane and chunk,
/// then the thresholds level by level, see `PQAParameters.treeWordBits`),
/// one capture register per level, and the walk, one level per cycle.
///
/// ```
///  stage 0        read the group's tree word (address and enable registered, block RAM, its output register)
///  +3 per chunk   level l's element taken from its lane when the chunk is the split's (registered)
///  +3 last chunk  the thresholds registered: the walk starts
///  +4 + l         level l: the element against the node's threshold (at or above goes right),
///                 both of the parent's children compared, the parent's choice picking one;
///                 the chosen node's two subtrees of thresholds registered; the code
///                 so far takes level l - 1's choice from its register
///  +4 + levels    the last level's two verdicts registered
///  +5 + levels    code
/// ```
/// The thresholds travel with the walk, each level keeping the two subtrees
/// of the node it walked to, so a new group can start every cycle.
struct TreeSubspaceEncoder: Circuit {
    let design: PQAParameters

    struct Inputs: PortGroup {
        let write: TreeWrite
        /// The subspace's `LsVec` activations of the chunk, with the tree word.
        let column: Signal
        let control: TreeControl
    }

    var moduleName: String { "pqa_tree_subspace_encoder" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        [.init("levels", design.treeLevels), .init("tree memory", "\(2 * design.treeWords) words of \(design.treeWordBits) bits, two banks")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        let c = design.configuration
        let depth = 2 * design.treeWords
        return Inputs(write: ports.group("write") {
                          TreeWrite(enable: $0.bool("enable"), address: $0("address", .unsigned(max(1, ceilLog2(depth)))),
                                    data: $0("data", .unsigned(design.treeWordBits)))
                      },
                      column: ports("column", .unsigned(c.parallelism.lsVec * c.formats.activation.bits)),
                      control: ports.group("control") { TreeControl($0, design) })
    }

    func outputs(_ ports: PortFields) -> Signal { ports("code", .unsigned(design.codeBits)) }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs code: Signal) {
        let c = design.configuration, a = c.formats.activation, levels = design.treeLevels, control = inputs.control
        let memory = m.simpleDualPortRAM("tree", depth: 2 * design.treeWords, .unsigned(design.treeWordBits), readDuringWrite: .undefined)
        m.when(inputs.write.enable) { memory.write(address: inputs.write.address, data: inputs.write.data) }
        let word = memory.readPipelined(address: control.address.resized(to: memory.addressWidth), enable: control.read, name: "tree_word")

        // The word's fields, least significant first.
        var low = 0
        func field(_ bits: Int) -> Signal {
            defer { low += bits }
            return word[high: low + bits - 1, low: low]
        }
        let splits = (0..<levels).map { _ in (lane: field(design.treeLaneBits), chunk: field(design.treeChunkBits)) }
        let thresholds = field((c.maxima.np - 1) * a.bits)

        // Each level's element, taken from its lane in its chunk.
        let lanes = (0..<c.parallelism.lsVec).map { inputs.column[high: ($0 + 1) * a.bits - 1, low: $0 * a.bits] }
        let chunk = control.chunk.resized(to: design.treeChunkBits)
        var elements = splits.enumerated().map { level, split -> Signal in
            let element = m.register("element_\(level)", .unsigned(a.bits), reset: nil)
            m.when(control.capture & (chunk == split.chunk)) { element <== mux(split.lane.resized(to: max(1, ceilLog2(lanes.count))), lanes) }
            return element
        }

        // The walk: level l compares its element with its node's threshold.
        // The node's parent chose it a cycle before, so both of the parent's
        // children are compared and the parent's choice (a register) picks
        // one; the chosen node's two subtrees, picked by a copy of that
        // register, go on to the next level. The code follows a cycle
        // behind, each verdict taken from its registered copy, and the last
        // level's two comparisons are registered before its parent's choice
        // picks one: no comparison drives more than registers beside it.
        // The thresholds are registered as the group's last chunk comes in,
        // the elements are then complete.
        let tree = (0..<(c.maxima.np - 1)).map { node in
            m.delayed(thresholds[high: (node + 1) * a.bits - 1, low: node * a.bits], name: "threshold_\(node)_q", enable: control.start)
        }
        func isRight(_ x: Signal, _ threshold: Signal) -> Signal { a.signed ? x.asSigned >= threshold.asSigned : x >= threshold }
        // The code after one more level's verdict: a level the trees lack keeps it.
        func stepped(_ node: Signal, right: Signal, active: Signal) -> Signal {
            mux(active, levels == 1 ? right.asUnsigned : concatenate([node[high: levels - 2, low: 0], right.asUnsigned]), node)
        }
        // From level 1 on: the two subtrees of the node the level before
        // walked from, and which of them it chose (one copy for the
        // comparison, one for the subtrees and the code), with whether it was active.
        var parent: (left: [Signal], right: [Signal], compareTurn: Signal, subtreeTurn: Signal, active: Signal)?
        // The code of the levels before the one walked last (none yet).
        var node = m.constant(0, .unsigned(levels))
        for level in 0..<levels {
            let x = elements[level]
            let right = parent.map { mux($0.compareTurn, isRight(x, $0.right[0]), isRight(x, $0.left[0])) } ?? isRight(x, tree[0])
            let known = parent.map { stepped(node, right: $0.subtreeTurn, active: $0.active) } ?? node
            guard level + 1 < levels else {
                // The last level's comparisons are registered, the choice
                // among them made a cycle later: no comparison drives the code.
                let verdict = "level_\(level)_verdict"
                let lastRight = parent.map { p in
                    mux(m.delayed(p.compareTurn, name: "\(verdict)_turn"), m.delayed(isRight(x, p.right[0]), name: "\(verdict)_right"),
                        m.delayed(isRight(x, p.left[0]), name: "\(verdict)_left"))
                } ?? m.delayed(right, name: verdict)
                let lastNode = stepped(m.delayed(known, name: "\(verdict)_node"), right: lastRight,
                                       active: m.delayed(control.active[level], name: "\(verdict)_active"))
                code <== m.delayed(lastNode, name: "level_\(levels)_node").resized(to: design.codeBits)
                break
            }
            if level > 0 { node = m.delayed(known, name: "level_\(level)_node") }
            let stage = "level_\(level + 1)"
            // The chosen node's subtree on one side: picked from the parent's children's.
            func chosenChild(right: Bool, _ name: String) -> [Signal] {
                let picked = parent.map { p in
                    zip(childSubtree(of: p.left, right: right), childSubtree(of: p.right, right: right)).map { mux(p.subtreeTurn, $1, $0) }
                } ?? childSubtree(of: tree, right: right)
                return picked.enumerated().map { m.delayed($1, name: "\(stage)_\(name)_threshold_\($0)") }
            }
            // The last level picks no subtrees: one copy of the choice will do.
            let turns = m.fannedOut(right, copies: level + 2 < levels ? 2 : 1, name: "\(stage)_turn")
            parent = (left: chosenChild(right: false, "left"), right: chosenChild(right: true, "right"),
                      compareTurn: turns[0], subtreeTurn: turns[turns.count - 1],
                      active: m.delayed(control.active[level], name: "\(stage)_active"))
            for later in (level + 1)..<levels { elements[later] = m.delayed(elements[later], name: "\(stage)_element_\(later)") }
        }
    }

    /// The subtree under the left or right child of a subtree's root, both in
    /// breadth-first order: its level k is the first or second half of the
    /// parent's level k + 1.
    private func childSubtree(of subtree: [Signal], right: Bool) -> [Signal] {
        let depth = (subtree.count + 1).trailingZeroBitCount
        var child: [Signal] = []
        for k in 0..<max(0, depth - 1) {
            let first = (1 << (k + 1)) - 1 + (right ? 1 << k : 0)
            child += subtree[first..<(first + (1 << k))]
        }
        return child
    }
}
