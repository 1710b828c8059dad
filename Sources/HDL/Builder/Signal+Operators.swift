infix operator +& : AdditionPrecedence
infix operator -& : AdditionPrecedence

/// Arithmetic, logic and comparison operators. Integer literals take the type
/// of the signal they meet, and must fit it.
extension Signal {
    /// Sum modulo `2^width`; both operands of the same type.
    public static func + (a: Signal, b: Signal) -> Signal { a.builder.binary(.add, a, b) }
    /// Difference modulo `2^width`; both operands of the same type.
    public static func - (a: Signal, b: Signal) -> Signal { a.builder.binary(.subtract, a, b) }
    /// Product with the full `a.width + b.width` bits; both UInt or both SInt.
    public static func * (a: Signal, b: Signal) -> Signal { a.builder.binary(.multiply, a, b) }
    /// Full sum: both operands widened by one bit first, so it never wraps.
    public static func +& (a: Signal, b: Signal) -> Signal {
        a.extended(to: a.width + 1) + b.extended(to: b.width + 1)
    }
    /// Full difference: both operands widened by one bit first. For unsigned
    /// operands the result is unsigned and wraps when `b > a`; use SInt to keep the sign.
    public static func -& (a: Signal, b: Signal) -> Signal {
        a.extended(to: a.width + 1) - b.extended(to: b.width + 1)
    }
    /// Bitwise AND (logical AND for `Bool`).
    public static func & (a: Signal, b: Signal) -> Signal { a.builder.binary(.and, a, b) }
    /// Bitwise OR (logical OR for `Bool`).
    public static func | (a: Signal, b: Signal) -> Signal { a.builder.binary(.or, a, b) }
    /// Bitwise XOR.
    public static func ^ (a: Signal, b: Signal) -> Signal { a.builder.binary(.xor, a, b) }
    /// Bitwise complement.
    public static prefix func ~ (a: Signal) -> Signal { a.builder.unary(.not, a) }
    /// Logical NOT of a `Bool`.
    public static prefix func ! (a: Signal) -> Signal {
        if !a.type.isBool {
            a.builder.error("'!' needs a Bool, got \(a.builder.describe(a)); use ~ for a bitwise complement", at: a.builder.location(of: a))
        }
        return a.builder.unary(.not, a)
    }
    /// Two's-complement negation, same width.
    public static prefix func - (a: Signal) -> Signal { a.builder.unary(.negate, a) }

    /// Equality, a `Bool`.
    public static func == (a: Signal, b: Signal) -> Signal { a.builder.binary(.equal, a, b) }
    /// Inequality, a `Bool`.
    public static func != (a: Signal, b: Signal) -> Signal { a.builder.binary(.notEqual, a, b) }
    /// Less than, signed for SInt operands.
    public static func < (a: Signal, b: Signal) -> Signal { a.builder.binary(.less, a, b) }
    /// Less than or equal, signed for SInt operands.
    public static func <= (a: Signal, b: Signal) -> Signal { a.builder.binary(.lessOrEqual, a, b) }
    /// Greater than, signed for SInt operands.
    public static func > (a: Signal, b: Signal) -> Signal { a.builder.binary(.less, b, a) }
    /// Greater than or equal, signed for SInt operands.
    public static func >= (a: Signal, b: Signal) -> Signal { a.builder.binary(.lessOrEqual, b, a) }

    // MARK: With integer literals

    public static func + (a: Signal, b: Int) -> Signal { a + a.builder.constant(like: a, b) }
    public static func - (a: Signal, b: Int) -> Signal { a - a.builder.constant(like: a, b) }
    public static func & (a: Signal, b: Int) -> Signal { a & a.builder.constant(like: a, b) }
    public static func | (a: Signal, b: Int) -> Signal { a | a.builder.constant(like: a, b) }
    public static func ^ (a: Signal, b: Int) -> Signal { a ^ a.builder.constant(like: a, b) }
    public static func == (a: Signal, b: Int) -> Signal { a == a.builder.constant(like: a, b) }
    public static func != (a: Signal, b: Int) -> Signal { a != a.builder.constant(like: a, b) }
    public static func < (a: Signal, b: Int) -> Signal { a < a.builder.constant(like: a, b) }
    public static func <= (a: Signal, b: Int) -> Signal { a <= a.builder.constant(like: a, b) }
    public static func > (a: Signal, b: Int) -> Signal { a > a.builder.constant(like: a, b) }
    public static func >= (a: Signal, b: Int) -> Signal { a >= a.builder.constant(like: a, b) }

    // MARK: Shifts

    /// Left shift by a constant, same width (bits shifted out are lost).
    public static func << (a: Signal, amount: Int) -> Signal { a.builder.shift(.shiftLeft, a, amount) }
    /// Right shift by a constant: arithmetic for SInt, logical otherwise.
    public static func >> (a: Signal, amount: Int) -> Signal {
        a.builder.shift(a.type.isSigned ? .shiftRightArithmetic : .shiftRightLogical, a, amount)
    }
    /// Left shift by an unsigned signal, same width.
    public static func << (a: Signal, amount: Signal) -> Signal { a.builder.binary(.shiftLeft, a, amount) }
    /// Right shift by an unsigned signal: arithmetic for SInt, logical otherwise.
    public static func >> (a: Signal, amount: Signal) -> Signal {
        a.builder.binary(a.type.isSigned ? .shiftRightArithmetic : .shiftRightLogical, a, amount)
    }
}

extension ModuleBuilder {
    func shift(_ op: BinaryOperator, _ a: Signal, _ amount: Int) -> Signal {
        let location = self.location(of: a)
        if amount < 0 { error("shift by a negative amount (\(amount))", at: location) }
        if a.type.isBool { error("shift of a Bool (\(describe(a))); convert with asUnsigned", at: location) }
        return addNode(.shiftConstant(op, a.id, max(0, amount)), a.type, at: location, inferred: true)
    }
}
