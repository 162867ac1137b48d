/// Data passed into a chat template: messages, tools, flags such as `enable_thinking`.
///
/// Mirrors what Python hands Jinja after `json.loads`: dictionaries keep insertion order, because
/// templates print tool descriptions with `str(dict)` and the order shows in the prompt.
public enum TemplateValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([TemplateValue])
    case dictionary(TemplateDictionary)

    /// Parses JSON text, keeping object member order.
    public init(json: String) throws(TokenizerError) {
        self.init(try JSONParser.parse(json))
    }

    init(_ json: JSONValue) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(TemplateValue.init))
        case .object(let o): self = .dictionary(TemplateDictionary(o.members.map { ($0.key, TemplateValue($0.value)) }))
        }
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var int: Int? {
        if case .int(let i) = self { return i }
        return nil
    }

    public var array: [TemplateValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var dictionary: TemplateDictionary? {
        if case .dictionary(let d) = self { return d }
        return nil
    }

    /// Member `key` of a dictionary value; nil for other values or a missing key.
    public subscript(key: String) -> TemplateValue? {
        dictionary?[key]
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) { self = .dictionary(TemplateDictionary(elements)) }
    public init(nilLiteral: ()) { self = .none }
}

/// String-keyed dictionary that remembers insertion order (Python `dict` semantics).
/// Equality ignores order, as Python's does.
public struct TemplateDictionary: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var values: [String: TemplateValue] = [:]

    public init() {}

    public init<Pairs: Sequence<(String, TemplateValue)>>(_ pairs: Pairs) {
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: String) -> TemplateValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Members in insertion order.
    public var pairs: [(key: String, value: TemplateValue)] {
        keys.compactMap { key in values[key].map { (key, $0) } }
    }

    public var count: Int { keys.count }

    public static func == (lhs: TemplateDictionary, rhs: TemplateDictionary) -> Bool {
        lhs.values == rhs.values
    }
}
