/// How a subvector is compared with a prototype.
///
/// - `l2`: squared Euclidean distance, `Σ (x − p)²` (the square root is never
///   taken: it does not change the nearest prototype);
/// - `l1`: Manhattan distance, `Σ |x − p|`;
/// - `chebyshev`: the largest absolute difference, `max |x − p|`.
///
/// Encoding picks the prototype at the smallest distance; ties go to the
/// lowest prototype index everywhere (float path, integer path, and the
/// hardware's argmin tree, whose comparators keep the left operand on equality).
public enum DistanceMetric: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Squared Euclidean distance.
    case l2
    /// Sum of absolute differences.
    case l1
    /// Largest absolute difference.
    case chebyshev

    /// The distance between `x` and `p` (equal lengths) in Double.
    public func distance(_ x: ArraySlice<Double>, _ p: ArraySlice<Double>) -> Double {
        var result = 0.0
        for (a, b) in zip(x, p) {
            let d = a - b
            switch self {
            case .l2: result += d * d
            case .l1: result += abs(d)
            case .chebyshev: result = max(result, abs(d))
            }
        }
        return result
    }

    /// The distance between `x` and `p` (equal lengths) in exact integer
    /// arithmetic. Callers keep values within the bounds of
    /// ``HardwareWidths`` so the result cannot overflow.
    public func distance(_ x: ArraySlice<Int>, _ p: ArraySlice<Int>) -> Int {
        var result = 0
        for (a, b) in zip(x, p) {
            let d = a - b
            switch self {
            case .l2: result += d * d
            case .l1: result += abs(d)
            case .chebyshev: result = max(result, abs(d))
            }
        }
        return result
    }

    /// The metric's name (`l2`, `l1`, `chebyshev`).
    public var description: String { rawValue }
}

/// Distance kernels over raw buffers, shared by the encoders. Each compares
/// `count` values of `x` starting at `xOffset` with `p` starting at `pOffset`.
/// The Double and Int versions are written out on purpose: a generic version
/// measured 13% slower on the float layer benchmark (`pqa bench pq`).
enum DistanceKernel {
    @inline(__always)
    static func distance(
        _ metric: DistanceMetric, _ x: UnsafeBufferPointer<Double>, _ xOffset: Int,
        _ p: UnsafeBufferPointer<Double>, _ pOffset: Int, _ count: Int
    ) -> Double {
        var result = 0.0
        switch metric {
        case .l2:
            for l in 0..<count {
                let d = x[xOffset + l] - p[pOffset + l]
                result += d * d
            }
        case .l1:
            for l in 0..<count { result += abs(x[xOffset + l] - p[pOffset + l]) }
        case .chebyshev:
            for l in 0..<count { result = max(result, abs(x[xOffset + l] - p[pOffset + l])) }
        }
        return result
    }

    @inline(__always)
    static func distance(
        _ metric: DistanceMetric, _ x: UnsafeBufferPointer<Int>, _ xOffset: Int,
        _ p: UnsafeBufferPointer<Int>, _ pOffset: Int, _ count: Int
    ) -> Int {
        var result = 0
        switch metric {
        case .l2:
            for l in 0..<count {
                let d = x[xOffset + l] - p[pOffset + l]
                result += d * d
            }
        case .l1:
            for l in 0..<count { result += abs(x[xOffset + l] - p[pOffset + l]) }
        case .chebyshev:
            for l in 0..<count { result = max(result, abs(x[xOffset + l] - p[pOffset + l])) }
        }
        return result
    }
}
