/// Slices, concatenation, replication, reductions, extension, truncation and
/// changes of signedness: every change of width is written out.
extension Signal {
    /// Bits `high` down to `low` (inclusive), as an unsigned value.
    public subscript(high high: Int, low low: Int) -> Signal {
        let location = builder.location(of: self)
        guard low >= 0, high >= low, high < width else {
            builder.error("slice [\(high):\(low)] is out of range for \(builder.describe(self)); valid bits are \(width - 1)...0", at: location)
            return builder.addNode(.invalid, .unsigned(max(1, high - low + 1)), at: location)
        }
        if low == 0 && high == width - 1 { return asUnsigned }
        return builder.addNode(.slice(id, high: high, low: low), .unsigned(high - low + 1), at: location, inferred: true)
    }

    /// Bit `index` as a `Bool`.
    public func bit(_ index: Int) -> Signal {
        let location = builder.location(of: self)
        guard index >= 0, index < width else {
            builder.error("bit \(index) is out of range for \(builder.describe(self)); valid bits are \(width - 1)...0", at: location)
            return builder.addNode(.invalid, .bool, at: location)
        }
        if width == 1 { return asBool }
        return builder.addNode(.slice(id, high: index, low: index), .bool, at: location, inferred: true)
    }

    /// Bit `index` as a `Bool`.
    public subscript(index: Int) -> Signal { bit(index) }

    /// The same bits read as an unsigned number.
    public var asUnsigned: Signal { retyped(.unsigned(width)) }
    /// The same bits read as a two's-complement number.
    public var asSigned: Signal { retyped(.signed(width)) }
    /// A one-bit value read as a `Bool`; an error for wider values.
    public var asBool: Signal {
        guard width == 1 else {
            builder.error("asBool needs a 1-bit value, got \(builder.describe(self)); compare with != 0 or use orReduce()", at: builder.location(of: self))
            return builder.addNode(.invalid, .bool, at: builder.location(of: self))
        }
        return retyped(.bool)
    }

    private func retyped(_ newType: SignalType) -> Signal {
        newType == type ? self : builder.addNode(.extend(id, signed: false), newType, at: builder.location(of: self), inferred: true)
    }

    /// Widened to `newWidth` bits: sign-extended for SInt, zero-extended otherwise.
    public func extended(to newWidth: Int, fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        guard newWidth >= width else {
            builder.error("cannot extend \(builder.describe(self)) to \(newWidth) bits, which is narrower; use truncated(to:)", at: location)
            return builder.addNode(.invalid, type.withWidth(max(1, newWidth)), at: location)
        }
        let resultType: SignalType = type.isSigned ? .signed(newWidth) : .unsigned(newWidth)
        if resultType == type { return self }
        return builder.addNode(.extend(id, signed: type.isSigned), resultType, at: location, inferred: true)
    }

    /// The low `newWidth` bits, keeping the signedness.
    public func truncated(to newWidth: Int, fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        guard newWidth >= 1, newWidth <= width else {
            builder.error("cannot truncate \(builder.describe(self)) to \(newWidth) bits; the width must be 1...\(width)", at: location)
            return builder.addNode(.invalid, type.withWidth(max(1, newWidth)), at: location)
        }
        if newWidth == width { return self }
        let bits = builder.addNode(.slice(id, high: newWidth - 1, low: 0), .unsigned(newWidth), at: location, inferred: true)
        return type.isSigned ? bits.asSigned : bits
    }

    /// `self` in the high bits and `low` in the low bits, unsigned.
    public func concatenated(_ low: Signal) -> Signal { concatenate([self, low]) }

    /// `count` copies side by side, unsigned.
    public func replicated(_ count: Int) -> Signal {
        guard count >= 1 else {
            builder.error("replication count \(count) must be at least 1", at: builder.location(of: self))
            return self
        }
        return concatenate(Array(repeating: self, count: count))
    }

    /// Whether every bit is one.
    public func andReduce() -> Signal { builder.unary(.andReduce, self) }
    /// Whether any bit is one.
    public func orReduce() -> Signal { builder.unary(.orReduce, self) }
    /// Whether an odd number of bits are one.
    public func xorReduce() -> Signal { builder.unary(.xorReduce, self) }
}

/// Signals side by side, the first in the most significant bits; unsigned.
public func concatenate(_ parts: [Signal]) -> Signal {
    precondition(!parts.isEmpty, "concatenate needs at least one signal")
    let builder = parts[0].builder
    if parts.count == 1 { return parts[0].asUnsigned }
    let width = parts.reduce(0) { $0 + $1.width }
    return builder.addNode(.concat(parts.map(\.id)), .unsigned(width), at: builder.location(of: parts[0]), inferred: true)
}
