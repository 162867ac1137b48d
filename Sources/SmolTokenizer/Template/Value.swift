/// A value while a template runs: ``TemplateValue`` plus Jinja's runtime-only kinds.
indirect enum Value {
    /// A missing variable, attribute or item. Renders as nothing and is falsy, like Jinja's
    /// default `Undefined`; using it further (attribute access, arithmetic) is an error.
    case undefined(String)
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([Value])
    /// Python tuples: from `(a, b)` literals and `dict.items()`; they print with parentheses.
    case tuple([Value])
    case dictionary(ValueDictionary)
    /// `namespace(…)`: the one mutable object templates have, shared by reference.
    case namespace(Namespace)
    /// The `loop` variable of a `{% for %}`.
    case loop(LoopState)

    init(_ value: TemplateValue) {
        switch value {
        case .none: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(Value.init))
        case .dictionary(let d): self = .dictionary(ValueDictionary(d.pairs.map { ($0.key, Value($0.value)) }))
        }
    }

    /// Python truthiness.
    var isTruthy: Bool {
        switch self {
        case .undefined, .none: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .double(let d): d != 0
        case .string(let s): !s.isEmpty
        case .array(let a), .tuple(let a): !a.isEmpty
        case .dictionary(let d): d.count > 0
        case .namespace, .loop: true
        }
    }

    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// Python's type name, for error messages.
    var typeName: String {
        switch self {
        case .undefined: "Undefined"
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .array: "list"
        case .tuple: "tuple"
        case .dictionary: "dict"
        case .namespace: "Namespace"
        case .loop: "LoopContext"
        }
    }

    /// The items of a list or tuple.
    var elements: [Value]? {
        switch self {
        case .array(let items), .tuple(let items): items
        default: nil
        }
    }

    /// A number as Double, treating bools as 0/1 like Python; nil for non-numbers.
    var number: Double? {
        switch self {
        case .bool(let b): b ? 1 : 0
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// An integer (bools count, as in Python); nil otherwise.
    var integer: Int? {
        switch self {
        case .bool(let b): b ? 1 : 0
        case .int(let i): i
        default: nil
        }
    }

    // MARK: - Text

    /// Python `str(value)`, which is what `{{ }}` prints (undefined prints nothing).
    var text: String {
        switch self {
        case .undefined: ""
        case .string(let s): s
        default: representation
        }
    }

    /// Python `repr(value)`: strings quoted, containers with their elements' reprs.
    var representation: String {
        switch self {
        case .undefined: ""
        case .none: "None"
        case .bool(let b): b ? "True" : "False"
        case .int(let i): String(i)
        case .double(let d): PythonText.float(d)
        case .string(let s): PythonText.repr(s)
        case .array(let items): "[" + items.map(\.representation).joined(separator: ", ") + "]"
        case .tuple(let items) where items.count == 1: "(" + items[0].representation + ",)"
        case .tuple(let items): "(" + items.map(\.representation).joined(separator: ", ") + ")"
        case .dictionary(let d): d.representation
        case .namespace(let n): "<Namespace " + n.attributes.representation + ">"
        case .loop(let loop): "<LoopContext \(loop.index0 + 1)/\(loop.length)>"
        }
    }

    // MARK: - Comparison

    /// Python `==`.
    func isEqual(to other: Value) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.array(let a), .array(let b)), (.tuple(let a), .tuple(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isEqual(to: $1) }
        case (.dictionary(let a), .dictionary(let b)):
            return a.count == b.count && a.pairs.allSatisfy { pair in b[pair.key].map { pair.value.isEqual(to: $0) } ?? false }
        case (.namespace(let a), .namespace(let b)): return a === b
        default:
            if let a = number, let b = other.number { return a == b }
            return false
        }
    }

    /// Python `<`; throws for values Python cannot order.
    func isLess(than other: Value) throws(TemplateFailure) -> Bool {
        switch (self, other) {
        case (.string(let a), .string(let b)):
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        case (.array(let a), .array(let b)), (.tuple(let a), .tuple(let b)):
            for (x, y) in zip(a, b) where !x.isEqual(to: y) { return try x.isLess(than: y) }
            return a.count < b.count
        default:
            if let a = number, let b = other.number { return a < b }
            throw .runtime("'<' not supported between '\(typeName)' and '\(other.typeName)'")
        }
    }
}

/// A dictionary with string keys in insertion order (Python `dict` as templates use it).
struct ValueDictionary {
    private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    init() {}

    init<Pairs: Sequence<(String, Value)>>(_ pairs: Pairs) {
        for (key, value) in pairs { self[key] = value }
    }

    subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            guard let newValue else {
                if storage.removeValue(forKey: key) != nil { keys.removeAll { $0 == key } }
                return
            }
            if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
        }
    }

    var count: Int { keys.count }

    var pairs: [(key: String, value: Value)] {
        keys.map { ($0, storage[$0] ?? .none) }
    }

    var representation: String {
        "{" + pairs.map { PythonText.repr($0.key) + ": " + $0.value.representation }.joined(separator: ", ") + "}"
    }
}

/// Jinja's `namespace()`: attribute assignment from inside loops is visible outside them.
final class Namespace {
    var attributes: ValueDictionary

    init(_ attributes: ValueDictionary) {
        self.attributes = attributes
    }
}

/// What `loop.*` reports inside a `{% for %}`.
struct LoopState {
    let index0: Int
    let length: Int
    let previous: Value?
    let next: Value?

    func attribute(_ name: String) -> Value {
        switch name {
        case "index": .int(index0 + 1)
        case "index0": .int(index0)
        case "revindex": .int(length - index0)
        case "revindex0": .int(length - index0 - 1)
        case "first": .bool(index0 == 0)
        case "last": .bool(index0 == length - 1)
        case "length": .int(length)
        case "previtem": previous ?? .undefined("loop.previtem")
        case "nextitem": next ?? .undefined("loop.nextitem")
        case "depth": .int(1)
        case "depth0": .int(0)
        default: .undefined("loop.\(name)")
        }
    }
}

/// An evaluation failure before the line it happened on is known; the statement that ran the
/// expression turns it into a ``TemplateError``.
enum TemplateFailure: Error {
    case runtime(String)
    case unsupported(String)
    case raised(String)

    func at(line: Int) -> TemplateError {
        switch self {
        case .runtime(let message): .runtime(message, line: line)
        case .unsupported(let construct): .unsupported(construct, line: line)
        case .raised(let message): .raised(message, line: line)
        }
    }
}
