import Foundation
import PQ

/// Why a configuration was rejected: the field, the value found and the rule.
public enum PQAConfigurationError: Error, CustomStringConvertible, Equatable {
    /// A field breaks a rule.
    case invalid(field: String, value: String, rule: String)
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not a valid configuration.
    case malformed(file: String, detail: String)

    public var description: String {
        switch self {
        case .invalid(let field, let value, let rule):
            "configuration field '\(field)' is \(value): \(rule)"
        case .unreadable(let file, let reason):
            "cannot read configuration '\(file)': \(reason)"
        case .malformed(let file, let detail):
            "configuration '\(file)' is malformed: \(detail)"
        }
    }
}

/// Decodes a configuration file, naming the file and the field at fault.
public func decodeConfiguration<Configuration: Decodable>(_ type: Configuration.Type, from url: URL) throws -> Configuration {
    let data: Data
    do {
        data = try Data(contentsOf: url)
    } catch {
        throw PQAConfigurationError.unreadable(file: url.path, reason: error.localizedDescription)
    }
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch let error as DecodingError {
        throw PQAConfigurationError.malformed(file: url.path, detail: describe(error))
    }
}

/// A decoding error as `field 'a.b' ...`.
private func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
        return "field '\(path(context).isEmpty ? key.stringValue : path(context) + "." + key.stringValue)' is missing"
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
        return "field '\(path(context))' should be \(type): \(context.debugDescription)"
    case .dataCorrupted(let context):
        return "field '\(path(context))': \(context.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}

extension PQAConfiguration {
    /// Largest values accepted for the maxima, so memories stay within what
    /// an FPGA holds and counters within 32 bits.
    public static let limits = (ls: 1024, np: 4096, ns: 4096, cout: 4096, columns: 1 << 24, distanceUnits: 4096, lanes: 65536)

    /// Checks every field; the error names the first field at fault, its
    /// value and the rule it breaks.
    public func validate() throws {
        func check(_ field: String, _ value: Int, _ range: ClosedRange<Int>, _ rule: String) throws {
            guard range.contains(value) else { throw PQAConfigurationError.invalid(field: field, value: "\(value)", rule: rule) }
        }
        try check("maxima.ls", maxima.ls, 1...Self.limits.ls, "must be 1...\(Self.limits.ls)")
        try check("maxima.np", maxima.np, 1...Self.limits.np, "must be 1...\(Self.limits.np)")
        try check("maxima.ns", maxima.ns, 1...Self.limits.ns, "must be 1...\(Self.limits.ns)")
        try check("maxima.cout", maxima.cout, 1...Self.limits.cout, "must be 1...\(Self.limits.cout)")
        try check("maxima.columns", maxima.columns, 1...Self.limits.columns, "must be 1...\(Self.limits.columns)")
        try check("parallelism.lsVec", parallelism.lsVec, 1...maxima.ls, "must be 1...maxima.ls (\(maxima.ls))")
        try check("parallelism.npVec", parallelism.npVec, 1...maxima.np, "must be 1...maxima.np (\(maxima.np))")
        try check("parallelism.nsVec", parallelism.nsVec, 1...maxima.ns, "must be 1...maxima.ns (\(maxima.ns))")
        try check("parallelism.outVec", parallelism.outVec, 1...maxima.cout, "must be 1...maxima.cout (\(maxima.cout))")
        try check("pipelining.argminLevelsPerStage", pipelining.argminLevelsPerStage, 0...64, "must be 0...64 (0: no registers)")
        try check("pipelining.adderLevelsPerStage", pipelining.adderLevelsPerStage, 0...64, "must be 0...64 (0: no registers)")
        try check("pipelining.laneLevelsPerStage", pipelining.laneLevelsPerStage, 0...64, "must be 0...64 (0: no registers)")
        try check("multiplierBits", multiplierBits, PQConfiguration.multiplierBitsRange,
                  "must be \(PQConfiguration.multiplierBitsRange.lowerBound)...\(PQConfiguration.multiplierBitsRange.upperBound)")
        try check("maxShift", maxShift, PQConfiguration.shiftRange,
                  "must be \(PQConfiguration.shiftRange.lowerBound)...\(PQConfiguration.shiftRange.upperBound)")
        if encoder == .tree { try validateTree() }
        let lanes = parallelism.nsVec * parallelism.npVec * parallelism.lsVec
        guard encoder == .tree || (parallelism.nsVec * parallelism.npVec <= Self.limits.distanceUnits && lanes <= Self.limits.lanes) else {
            throw PQAConfigurationError.invalid(
                field: "parallelism", value: "nsVec x npVec = \(parallelism.nsVec * parallelism.npVec), x lsVec = \(lanes)",
                rule: "at most \(Self.limits.distanceUnits) distance units and \(Self.limits.lanes) lanes; lower nsVec, npVec or lsVec")
        }
        do {
            _ = try HardwareWidths(for: largestLayer)
        } catch {
            throw PQAConfigurationError.invalid(field: "formats", value: "as given", rule: "\(error)")
        }
        let parameters = try PQAParameters(self)
        let storageBits = parameters.storageBits
        guard storageBits <= 1 << 30 else {
            throw PQAConfigurationError.invalid(
                field: "maxima", value: "\(storageBits) bits of on-chip storage",
                rule: "must fit in 1 Gbit; lower maxima.np, maxima.ns or maxima.cout")
        }
    }

    /// A tree encoder's rules: `Np` a power of two up to `treeMaxNp`, all
    /// of a tree at once (`npVec = Np`), loadable tables.
    private func validateTree() throws {
        guard maxima.np >= 2, maxima.np <= Self.treeMaxNp, maxima.np & (maxima.np - 1) == 0 else {
            throw PQAConfigurationError.invalid(field: "maxima.np", value: "\(maxima.np)",
                                                rule: "a tree encoder needs a power of two from 2 to \(Self.treeMaxNp)")
        }
        guard parallelism.npVec == maxima.np else {
            throw PQAConfigurationError.invalid(field: "parallelism.npVec", value: "\(parallelism.npVec)",
                                                rule: "a tree encoder decides among all Np prototypes at once; set it to maxima.np (\(maxima.np))")
        }
        guard tableMode == .loadable else {
            throw PQAConfigurationError.invalid(field: "tableMode", value: tableMode.rawValue,
                                                rule: "a tree encoder runs loadable tables only; set tableMode to loadable")
        }
    }

    /// The largest `Np` of a tree encoder (8 levels; a node's thresholds share one memory word).
    public static let treeMaxNp = 256
}
