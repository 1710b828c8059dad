/// A stable 128-bit content hash (two FNV-1a lanes with different offsets),
/// as 32 hex digits: names cache entries by what went into them.
public struct ContentHash: Sendable {
    /// An empty hash.
    public init() {}

    private var lanes: (UInt64, UInt64) = (0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142)

    /// Adds `text` and a separator, so ("ab","c") and ("a","bc") differ.
    public mutating func add(_ text: String) {
        for byte in text.utf8 { mix(byte) }
        mix(0)
    }

    private mutating func mix(_ byte: UInt8) {
        lanes.0 = (lanes.0 ^ UInt64(byte)) &* 0x100_0000_01b3
        lanes.1 = (lanes.1 ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 0x9E37_79B9
    }

    /// The hash as 32 hex digits.
    public var hex: String {
        [lanes.0, lanes.1].map { value in
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}
