import Foundation
import PQ
import PQA

/// A linear model of a PQA design's synthesized area (LUT-equivalents) from
/// its configuration, fitted by least squares to a sweep's synthesis results:
///
/// ```
/// area ≈ c0
///      + c1 x distance lanes x cost per lane   (NsVec x NpVec x LsVec; bits, or bits² for L2)
///      + c2 x argmin inputs x distance bits    (NsVec x NpVec)
///      + c3 x table lanes x entry bits         (NsVec x OutVec: table reads and adder trees)
///      + c4 x on-chip storage in kbit          (column buffer, prototypes, tables, bias)
/// ```
public struct AreaModel: Codable, Sendable, Hashable {
    /// What each coefficient multiplies.
    public static let featureNames = ["constant", "distance lanes x bits", "argmin inputs x distance bits",
                                      "table lanes x entry bits", "storage kbit"]
    public let coefficients: [Double]

    /// The features of `configuration`, in `featureNames` order.
    public static func features(_ configuration: PQAConfiguration) throws -> [Double] {
        let p = configuration.parallelism, f = configuration.formats
        let parameters = try PQAParameters(configuration)
        let bits = Double(max(f.activation.bits, f.prototype.bits))
        let laneCost = configuration.metric == .l2 ? bits * bits : bits
        return [1, Double(p.nsVec * p.npVec * p.lsVec) * laneCost, Double(p.nsVec * p.npVec * parameters.widths.distance.bits),
                Double(p.nsVec * p.outVec * f.entry.bits), Double(parameters.storageBits) / 1024]
    }

    /// The predicted area of `configuration`.
    public func predict(_ configuration: PQAConfiguration) throws -> Double {
        zip(coefficients, try Self.features(configuration)).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Fits the model to `results` (at least as many as there are features).
    public static func fit(_ results: [ExplorationResult]) throws -> AreaModelFit {
        let rows = try results.map { try features($0.configuration) }
        let areas = results.map(\.area)
        let model = try solve(rows, areas)
        let errors = try zip(results, areas).map { result, area in abs(try model.predict(result.configuration) - area) / area }
        // Leave one out: each point predicted by a model fitted without it.
        var held: [Double] = []
        if results.count > featureNames.count + 1 {
            for index in results.indices {
                let others = try solve(rows.enumerated().filter { $0.offset != index }.map(\.element),
                                       areas.enumerated().filter { $0.offset != index }.map(\.element))
                held.append(abs(try others.predict(results[index].configuration) - areas[index]) / areas[index])
            }
        }
        return AreaModelFit(model: model, points: results.count, meanError: errors.reduce(0, +) / Double(errors.count),
                            maxError: errors.max() ?? 0, leaveOneOutMeanError: held.isEmpty ? nil : held.reduce(0, +) / Double(held.count))
    }

    /// Least squares with a tiny ridge on column-normalized features, so the
    /// solve stays well posed when a feature does not vary.
    private static func solve(_ rows: [[Double]], _ targets: [Double]) throws -> AreaModel {
        let count = featureNames.count
        guard rows.count >= count else {
            throw PQAConfigurationError.invalid(field: "results", value: "\(rows.count) points",
                                                rule: "fitting the area model needs at least \(count); sweep more points")
        }
        let scales = (0..<count).map { column in max(1e-12, rows.map { abs($0[column]) }.max() ?? 1) }
        var normal = Array(repeating: 0.0, count: count * count), right = Array(repeating: 0.0, count: count)
        for (row, target) in zip(rows, targets) {
            let x = zip(row, scales).map { $0 / $1 }
            for i in 0..<count {
                right[i] += x[i] * target
                for j in 0..<count { normal[i * count + j] += x[i] * x[j] }
            }
        }
        for i in 0..<count { normal[i * count + i] += 1e-9 * Double(rows.count) }
        let solution = try Cholesky.solve(Matrix(rows: count, columns: count, values: normal), Matrix(rows: count, columns: 1, values: right))
        return AreaModel(coefficients: (0..<count).map { solution[$0, 0] / scales[$0] })
    }
}

/// A fitted area model and how well it fits.
public struct AreaModelFit: Codable, Sendable, Hashable {
    public let model: AreaModel
    public let points: Int
    /// Mean and largest relative error over the points it was fitted to.
    public let meanError: Double
    public let maxError: Double
    /// Mean relative error predicting each point from the others (nil with too few points).
    public let leaveOneOutMeanError: Double?

    /// The model and its errors, one line each.
    public var text: String {
        var lines = ["area model fitted to \(points) synthesized points:"]
        for (name, coefficient) in zip(AreaModel.featureNames, model.coefficients) {
            lines.append("  \(String(format: "%12.4f", coefficient)) x \(name)")
        }
        lines.append(String(format: "  error: mean %.1f %%, max %.1f %%", 100 * meanError, 100 * maxError)
                     + (leaveOneOutMeanError.map { String(format: ", leave-one-out mean %.1f %%", 100 * $0) } ?? ""))
        return lines.joined(separator: "\n")
    }
}
