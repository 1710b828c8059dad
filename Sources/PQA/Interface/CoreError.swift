/// The codes of a core's `error` output (`CoreErrorCode.bits` wide): the
/// first check that failed since the last good commit. The code is sticky:
/// it holds until the next layer commits good (which clears it to 0) or reset. A layer that fails a check
/// at its commit is not started; beats that fail a check on the activation
/// stream are dropped. Both cores use the same codes.
public enum CoreErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// A layer register beat came after memory beats of a load that had no
    /// `tlast`: that load is dropped and a new one starts with this beat.
    case missingLast
    /// A load beat's kind, index or address names no register or memory word of the design.
    case badBeat
    /// An activation beat's `tlast` disagreed with the column's length: the
    /// column is dropped (up to and including its `tlast` beat).
    case activationLast
    /// An activation beat arrived with no layer to take it (every column of
    /// the running layer in, none committed): dropped up to its `tlast` beat.
    case activationWithoutLayer
    /// The layer's beats of a memory kind (`LoadBeatKind` raw value) are not as many as its registers imply.
    case beatCount(kind: Int)
    /// The layer register at `address` was not written for this layer.
    case registerMissing(address: Int)
    /// The layer register at `address` was written outside its legal range.
    case registerOutOfRange(address: Int)

    /// Bits of the `error` output.
    public static let bits = 6

    /// The code on the `error` output.
    public var rawValue: Int {
        switch self {
        case .missingLast: 0x01
        case .badBeat: 0x02
        case .activationLast: 0x03
        case .activationWithoutLayer: 0x04
        case .beatCount(let kind): 0x08 + kind
        case .registerMissing(let address): 0x10 + address
        case .registerOutOfRange(let address): 0x20 + address
        }
    }

    /// The error of a nonzero code; nil for 0 and codes no core raises.
    public init?(rawValue: Int) {
        switch rawValue {
        case 0x01: self = .missingLast
        case 0x02: self = .badBeat
        case 0x03: self = .activationLast
        case 0x04: self = .activationWithoutLayer
        case 0x09...0x0F: self = .beatCount(kind: rawValue - 0x08)
        case 0x10...0x1F: self = .registerMissing(address: rawValue - 0x10)
        case 0x20...0x2F: self = .registerOutOfRange(address: rawValue - 0x20)
        default: return nil
        }
    }

    /// The code in hexadecimal and what it means, registers and kinds by number.
    public var description: String {
        "\(hex) " + explanation(registers: [:], kinds: [:])
    }

    /// The code as `0x` and two hexadecimal digits.
    public var hex: String {
        let digits = String(rawValue, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 2 - digits.count)) + digits
    }

    /// What the code means, naming registers by `registers[address]` and
    /// memory kinds by `kinds[kind]` where given.
    public func explanation(registers: [Int: String], kinds: [Int: String]) -> String {
        switch self {
        case .missingLast: "a layer register beat after memory beats without tlast: the unfinished load is dropped, a new one starts"
        case .badBeat: "a load beat names no register or memory word of the design (kind, index or address too large)"
        case .activationLast: "activation tlast does not match the column's length: the column is dropped up to its tlast"
        case .activationWithoutLayer: "activation beat with no layer to take it: dropped up to its tlast"
        case .beatCount(let kind): "the layer's \(kinds[kind] ?? "kind \(kind)") beats are not as many as its registers imply"
        case .registerMissing(let address): "layer register \(registers[address] ?? "\(address)") was not written for this layer"
        case .registerOutOfRange(let address): "layer register \(registers[address] ?? "\(address)") is outside its legal range"
        }
    }

    /// Every code a core with `registers` layer registers and memory `kinds` can raise, in code order.
    public static func all(registers: Int, kinds: [Int]) -> [CoreErrorCode] {
        [.missingLast, .badBeat, .activationLast, .activationWithoutLayer] + kinds.map { .beatCount(kind: $0) }
            + (0..<registers).map { .registerMissing(address: $0) } + (0..<registers).map { .registerOutOfRange(address: $0) }
    }
}
