/// A parsed JSON document that keeps object members in document order.
///
/// Order matters twice here: a chat template renders tool descriptions with Python's `str(dict)`,
/// which prints keys in insertion order, and a 128k-entry vocabulary is cheapest to walk as the
/// array of members it already is. Foundation's `JSONSerialization` gives neither.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    var int: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d): return Int(exactly: d)
        default: return nil
        }
    }

    var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var object: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// The members of a JSON object, in document order. Lookup is linear: objects in tokenizer and
/// template files are small, except the vocabulary, which is only ever iterated.
struct JSONObject: Sendable, Equatable {
    var members: [(key: String, value: JSONValue)]

    init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    /// The value of the first member named `key` (JSON parsers disagree on duplicates; the first
    /// is as good as any and is what a streaming reader sees).
    subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
