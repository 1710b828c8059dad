/// The header dictionary of a `.npy` file, e.g.
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }`.
///
/// Parsed by a small reader of the Python literals NumPy writes (strings,
/// `True`/`False`, tuples of integers), not by evaluating anything.
struct NPYHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// The dictionary text as NumPy writes it (before padding).
    var dictionary: String {
        let dims = shape.map(String.init).joined(separator: ", ")
        let tuple = shape.count == 1 ? "(\(dims),)" : "(\(dims))"
        return "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(tuple), }"
    }

    /// Parses the dictionary; `file` names the file in errors.
    static func parse(_ text: String, file: String) throws -> NPYHeader {
        var reader = LiteralReader(scalars: Array(text.unicodeScalars), file: file)
        let entries = try reader.dictionary()
        let known: Set<String> = ["descr", "fortran_order", "shape"]
        if let extra = entries.keys.sorted().first(where: { !known.contains($0) }) {
            throw NPYError.badHeader(file: file, field: "key '\(extra)'", found: "an unexpected key (only descr, fortran_order, shape)")
        }
        if case .list? = entries["descr"] {
            throw NPYError.unsupportedDType(file: file, descr: "a structured dtype (a list of fields)")
        }
        guard case let .string(descr)? = entries["descr"] else {
            throw NPYError.badHeader(file: file, field: "descr", found: describe(entries["descr"], wanted: "a type string"))
        }
        guard case let .bool(fortran)? = entries["fortran_order"] else {
            throw NPYError.badHeader(file: file, field: "fortran_order", found: describe(entries["fortran_order"], wanted: "True or False"))
        }
        guard case let .tuple(shape)? = entries["shape"] else {
            throw NPYError.badHeader(file: file, field: "shape", found: describe(entries["shape"], wanted: "a tuple of integers"))
        }
        if let bad = shape.first(where: { $0 < 0 }) {
            throw NPYError.badHeader(file: file, field: "shape", found: "a negative dimension \(bad)")
        }
        return NPYHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }

    private static func describe(_ value: LiteralReader.Value?, wanted: String) -> String {
        guard let value else { return "no such key (expected \(wanted))" }
        return "\(value) (expected \(wanted))"
    }
}

/// Reads the Python literal subset used by `.npy` headers.
struct LiteralReader {
    enum Value: Equatable, CustomStringConvertible {
        case string(String)
        case bool(Bool)
        case integer(Int)
        case tuple([Int])
        case list

        var description: String {
            switch self {
            case let .string(s): return "'\(s)'"
            case let .bool(b): return b ? "True" : "False"
            case let .integer(i): return "\(i)"
            case let .tuple(t): return "(" + t.map(String.init).joined(separator: ", ") + ")"
            case .list: return "a list (a structured dtype)"
            }
        }
    }

    let scalars: [Unicode.Scalar]
    let file: String
    var position = 0

    init(scalars: [Unicode.Scalar], file: String) {
        self.scalars = scalars
        self.file = file
    }

    mutating func dictionary() throws -> [String: Value] {
        try expect("{")
        var entries: [String: Value] = [:]
        while true {
            skipSpace()
            if peek() == "}" { position += 1; break }
            guard case let .string(key) = try value() else {
                throw error("a dictionary key", wanted: "a quoted string")
            }
            try expect(":")
            entries[key] = try value()
            skipSpace()
            if peek() == "," { position += 1; continue }
            try expect("}")
            break
        }
        skipSpace()
        guard position == scalars.count else { throw error("text after the dictionary", wanted: "only spaces and a newline") }
        return entries
    }

    mutating func value() throws -> Value {
        skipSpace()
        guard let c = peek() else { throw error("the end of the header", wanted: "a value") }
        switch c {
        case "'", "\"": return .string(try string())
        case "(": return .tuple(try tuple())
        case "[":
            var depth = 0
            while let c = peek() {
                position += 1
                if c == "[" { depth += 1 }
                if c == "]" { depth -= 1; if depth == 0 { return .list } }
            }
            throw error("an unterminated list", wanted: "a closing ']'")
        default:
            guard c.properties.isAlphabetic else { return .integer(try integer()) }
            let word = identifier()
            if word == "True" { return .bool(true) }
            if word == "False" { return .bool(false) }
            throw error("'\(word)'", wanted: "True or False")
        }
    }

    mutating func string() throws -> String {
        guard let quote = peek() else { throw error("the end of the header", wanted: "a string") }
        position += 1
        var result = ""
        while let c = peek(), c != quote {
            result.unicodeScalars.append(c)
            position += 1
        }
        guard peek() == quote else { throw error("an unterminated string", wanted: "a closing quote") }
        position += 1
        return result
    }

    mutating func tuple() throws -> [Int] {
        try expect("(")
        var items: [Int] = []
        while true {
            skipSpace()
            if peek() == ")" { position += 1; return items }
            items.append(try integer())
            skipSpace()
            if peek() == "," { position += 1; continue }
            try expect(")")
            return items
        }
    }

    mutating func integer() throws -> Int {
        skipSpace()
        var digits = ""
        if peek() == "-" { digits = "-"; position += 1 }
        while let c = peek(), ("0"..."9").contains(c) {
            digits.unicodeScalars.append(c)
            position += 1
        }
        if peek() == "L" { position += 1 }  // Python 2 long suffix
        guard let value = Int(digits) else {
            throw error(digits.isEmpty ? "'\(peek().map { String($0) } ?? "end")'" : digits, wanted: "an integer")
        }
        return value
    }

    mutating func identifier() -> String {
        var word = ""
        while let c = peek(), c.properties.isAlphabetic || c == "_" {
            word.unicodeScalars.append(c)
            position += 1
        }
        return word
    }

    mutating func expect(_ c: Unicode.Scalar) throws {
        skipSpace()
        guard peek() == c else {
            throw error(peek().map { "'\($0)'" } ?? "the end of the header", wanted: "'\(c)'")
        }
        position += 1
    }

    mutating func skipSpace() {
        while let c = peek(), c == " " || c == "\n" || c == "\t" || c == "\r" { position += 1 }
    }

    func peek() -> Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    func error(_ found: String, wanted: String) -> NPYError {
        .badHeader(file: file, field: "dictionary at character \(position)", found: "\(found) where \(wanted) was expected")
    }
}
