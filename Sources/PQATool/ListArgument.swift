import ArgumentParser
import PQ
import PQA
import PQAFlow

/// `1,2,4` or `luts,dsp`: a comma-separated list on the command line, each
/// element read as `Element` reads one argument.
struct ListArgument<Element: ExpressibleByArgument & Sendable>: ExpressibleByArgument, Sendable {
    let values: [Element]

    init(_ values: [Element]) { self.values = values }

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Element(argument: $0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        values = parts.compactMap { $0 }
    }

    var defaultValueDescription: String { values.map { "\($0)" }.joined(separator: ",") }

    /// The list as this argument's text (`1,2,4`).
    var argument: String { defaultValueDescription }
}

extension MACArrayConfiguration.Multipliers: ExpressibleByArgument {}
extension AreaWeighting: ExpressibleByArgument {}
extension EncoderKind: ExpressibleByArgument {}
