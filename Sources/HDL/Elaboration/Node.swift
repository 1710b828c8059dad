/// Index of a node in its module's node list.
public struct NodeID: Hashable, Comparable, Sendable {
    /// Position in `Netlist.nodes`.
    public let index: Int
    /// Creates an identifier for the node at `index`.
    public init(_ index: Int) { self.index = index }
    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.index < rhs.index }
}

/// Operators with one operand.
public enum UnaryOperator: String, Sendable {
    /// Bitwise complement (`~`).
    case not = "~"
    /// Two's-complement negation (`-`), same width.
    case negate = "-"
    /// AND of all bits, a `Bool`.
    case andReduce = "&"
    /// OR of all bits, a `Bool`.
    case orReduce = "|"
    /// XOR of all bits, a `Bool`.
    case xorReduce = "^"
}

/// Operators with two operands.
public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*"
    case and = "&", or = "|", xor = "^"
    case equal = "==", notEqual = "!="
    case less = "<", lessOrEqual = "<="
    case shiftLeft = "<<", shiftRightLogical = ">>", shiftRightArithmetic = ">>>"

    /// Whether the result is a `Bool` comparison.
    public var isComparison: Bool { [.equal, .notEqual, .less, .lessOrEqual].contains(self) }
    /// Whether the right operand is a shift amount of any width.
    public var isShift: Bool { [.shiftLeft, .shiftRightLogical, .shiftRightArithmetic].contains(self) }
}

/// What a node computes.
public enum NodeKind: Hashable, Sendable {
    /// A module input port.
    case input
    /// A constant value.
    case constant(BitVector)
    /// A one-operand operation.
    case unary(UnaryOperator, NodeID)
    /// A two-operand operation; comparisons are signed when the operands are.
    case binary(BinaryOperator, NodeID, NodeID)
    /// A shift by a constant amount (`shiftLeft`, `shiftRightLogical`, `shiftRightArithmetic`).
    case shiftConstant(BinaryOperator, NodeID, Int)
    /// `select ? whenTrue : whenFalse`.
    case mux(select: NodeID, whenTrue: NodeID, whenFalse: NodeID)
    /// Bits `high` down to `low` of an operand.
    case slice(NodeID, high: Int, low: Int)
    /// Operands side by side, the first in the most significant bits.
    case concat([NodeID])
    /// The operand widened to this node's width with zeros or sign bits.
    case extend(NodeID, signed: Bool)
    /// A named net; `driver` is set by elaboration.
    case wire(driver: NodeID?)
    /// An output port; `driver` is set by elaboration.
    case output(driver: NodeID?)
    /// A register (index into `Netlist.registers`).
    case register(Int)
    /// The data of a memory read port.
    case memoryRead(memory: Int, port: Int)
    /// An input of an instance; `driver` is set by elaboration.
    case instanceInput(instance: Int, port: String, driver: NodeID?)
    /// An output of an instance.
    case instanceOutput(instance: Int, port: String)
    /// A stand-in after an error, never emitted (elaboration fails first).
    case invalid

    /// The nodes this node reads in the same cycle (its combinational inputs).
    public var combinationalOperands: [NodeID] {
        switch self {
        case .input, .constant, .register, .memoryRead, .instanceOutput, .invalid: []
        case .unary(_, let a), .shiftConstant(_, let a, _), .slice(let a, _, _), .extend(let a, _): [a]
        case .binary(_, let a, let b): [a, b]
        case .mux(let s, let a, let b): [s, a, b]
        case .concat(let parts): parts
        case .wire(let driver), .output(let driver), .instanceInput(_, _, let driver): driver.map { [$0] } ?? []
        }
    }

    /// The same node reading `replace(operand)` for each combinational operand.
    func mapOperands(_ replace: (NodeID) -> NodeID) -> NodeKind {
        switch self {
        case .input, .constant, .register, .memoryRead, .instanceOutput, .invalid: self
        case .unary(let op, let a): .unary(op, replace(a))
        case .binary(let op, let a, let b): .binary(op, replace(a), replace(b))
        case .shiftConstant(let op, let a, let amount): .shiftConstant(op, replace(a), amount)
        case .mux(let s, let a, let b): .mux(select: replace(s), whenTrue: replace(a), whenFalse: replace(b))
        case .slice(let a, let high, let low): .slice(replace(a), high: high, low: low)
        case .concat(let parts): .concat(parts.map(replace))
        case .extend(let a, let signed): .extend(replace(a), signed: signed)
        case .wire(let driver): .wire(driver: driver.map(replace))
        case .output(let driver): .output(driver: driver.map(replace))
        case .instanceInput(let instance, let port, let driver): .instanceInput(instance: instance, port: port, driver: driver.map(replace))
        }
    }

    /// Whether the node only computes a value from its operands (no state, no
    /// port, no net of its own), so two equal ones are interchangeable.
    var isPureOperation: Bool {
        switch self {
        case .constant, .unary, .binary, .shiftConstant, .mux, .slice, .concat, .extend: true
        default: false
        }
    }
}

/// One node of a module: a port, a net, an operation, a register or a memory port.
public struct Node: Sendable {
    /// What the node computes.
    public var kind: NodeKind
    /// Its type.
    public let type: SignalType
    /// The name it is emitted under, when the builder gave one.
    public var name: String?
    /// Where it was built.
    public internal(set) var location: SourceLocation
    /// Whether `location` is only that of an operand (operators cannot see
    /// their call site); elaboration replaces it by a consumer's.
    var locationIsInferred = false
}

/// A register: its value updates on the rising clock edge.
public struct RegisterSpec: Sendable {
    /// Its node.
    public let node: NodeID
    /// Value loaded while reset is high, or nil for a register without reset.
    public let reset: BitVector?
    /// The value loaded on each clock edge (set by elaboration).
    public var next: NodeID?
}

/// A memory: `depth` words of one type, with synchronous writes.
public struct MemorySpec: Sendable {
    /// How the memory is meant to map to FPGA resources.
    public enum Kind: String, Sendable {
        /// Read-only, contents from an image (`$readmemh`).
        case rom
        /// One address for reads and writes, synchronous read, read-first.
        case singlePortRAM
        /// One write port and independent read ports.
        case simpleDualPortRAM
    }

    /// A read port: `address` and optional `enable` sampled on the clock edge
    /// (`synchronous`), or `address` read combinationally.
    public struct ReadPort: Sendable {
        public let address: NodeID
        public let enable: NodeID?
        public let synchronous: Bool
        public let data: NodeID
        /// The register that takes `data` on every edge, when the port was
        /// read with `readRegistered`: a block RAM's own output register.
        public var outputRegister: NodeID?
    }

    /// The write port's nets: written when `enable` is high at a clock edge.
    public struct WritePort: Sendable {
        public let enable: NodeID
        public let address: NodeID
        public let data: NodeID
    }

    /// What a read of the word being written in the same cycle returns.
    public enum ReadDuringWrite: String, Sendable {
        /// The old word (read-first), as the portable Verilog says.
        case oldData
        /// Nothing defined: the design never does it. Synthesis may leave out
        /// the logic that orders the two (`(* no_rw_check *)`), block RAM
        /// primitives may be used, and the interpreter returns the old word
        /// inverted, so that a design relying on it fails its co-simulation.
        case undefined
    }

    public let name: String
    public let kind: Kind
    public let depth: Int
    public let type: SignalType
    public let readDuringWrite: ReadDuringWrite
    /// Initial contents (`depth` words), written as a `$readmemh` image.
    public let initialContents: [BitVector]?
    public var readPorts: [ReadPort]
    public var writePort: WritePort?
    public let location: SourceLocation

    /// Bits needed to address every word.
    public var addressWidth: Int { Swift.max(1, bitsToRepresent(depth - 1)) }
}

/// Bits needed to hold the unsigned value `value` (0 needs 0 bits).
public func bitsToRepresent(_ value: Int) -> Int {
    precondition(value >= 0)
    return value == 0 ? 0 : Int.bitWidth - value.leadingZeroBitCount
}

/// `ceil(log2(count))`: address bits for `count` items (1 item needs 0 bits).
public func ceilLog2(_ count: Int) -> Int {
    precondition(count >= 1)
    return bitsToRepresent(count - 1)
}
