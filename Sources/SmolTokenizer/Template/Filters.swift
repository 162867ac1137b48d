/// Jinja filters (`value | name(arguments)`) with Jinja's and transformers' definitions.
/// A filter not listed here is an unsupported-construct error, not a silent pass-through.
enum Filters {
    static func apply(_ name: String, to value: Value, arguments: EvaluatedArguments,
                      evaluator: TemplateEvaluator) throws(TemplateFailure) -> Value {
        switch name {
        case "string":
            try arguments.check("string", maximumPositional: 0)
            return .string(value.text)
        case "length", "count":
            try arguments.check(name, maximumPositional: 0)
            return .int(try length(of: value))
        case "trim":
            try arguments.check("trim", maximumPositional: 1, keywords: ["chars"])
            let characters = arguments.value("chars", at: 0)?.text
            return .string(PythonText.strip(try string(value, name), characters: characters, leading: true, trailing: true))
        case "upper", "lower", "title", "capitalize":
            try arguments.check(name, maximumPositional: 0)
            return .string(changeCase(name, try string(value, name)))
        case "replace":
            try arguments.check("replace", maximumPositional: 3, keywords: ["old", "new", "count"])
            guard let old = arguments.value("old", at: 0), let new = arguments.value("new", at: 1) else {
                throw .runtime("replace needs the text to replace and its replacement")
            }
            let count = arguments.value("count", at: 2)?.integer ?? -1
            return .string(PythonText.replace(old.text, with: new.text, in: try string(value, name), count: count))
        case "default", "d":
            try arguments.check(name, maximumPositional: 2, keywords: ["default_value", "boolean"])
            let fallback = arguments.value("default_value", at: 0) ?? .string("")
            let useWhenFalsy = arguments.value("boolean", at: 1)?.isTruthy ?? false
            return value.isUndefined || (useWhenFalsy && !value.isTruthy) ? fallback : value
        case "tojson":
            return .string(try toJSON(value, arguments))
        case "join":
            try arguments.check("join", maximumPositional: 2, keywords: ["d", "attribute"])
            let separator = arguments.value("d", at: 0)?.text ?? ""
            var items = try evaluator.iterate(value)
            if let attribute = arguments.value("attribute", at: 1) {
                items = try items.map { item throws(TemplateFailure) in try evaluator.attribute(attribute.text, of: item) }
            }
            return .string(items.map(\.text).joined(separator: separator))
        case "first", "last":
            try arguments.check(name, maximumPositional: 0)
            let items = try evaluator.iterate(value)
            return (name == "first" ? items.first : items.last) ?? .undefined("\(name) of an empty sequence")
        case "list":
            try arguments.check("list", maximumPositional: 0)
            return .array(try evaluator.iterate(value))
        case "reverse":
            try arguments.check("reverse", maximumPositional: 0)
            if case .string(let text) = value { return .string(String(String.UnicodeScalarView(text.unicodeScalars.reversed()))) }
            return .array(try evaluator.iterate(value).reversed())
        case "unique":
            try arguments.check("unique", maximumPositional: 0)
            var seen: [Value] = []
            for item in try evaluator.iterate(value) where !seen.contains(where: { $0.isEqual(to: item) }) { seen.append(item) }
            return .array(seen)
        case "sort":
            return try sort(value, arguments, evaluator: evaluator)
        case "items":
            try arguments.check("items", maximumPositional: 0)
            guard case .dictionary(let dictionary) = value else {
                if value.isUndefined { return .array([]) }
                throw .runtime("items filter needs a dictionary, not \(value.typeName)")
            }
            return .array(dictionary.pairs.map { .tuple([.string($0.key), $0.value]) })
        case "int":
            try arguments.check("int", maximumPositional: 1, keywords: ["default"])
            return .int(integer(value) ?? arguments.value("default", at: 0)?.integer ?? 0)
        case "float":
            try arguments.check("float", maximumPositional: 1, keywords: ["default"])
            return .double(real(value) ?? arguments.value("default", at: 0)?.number ?? 0)
        case "abs":
            try arguments.check("abs", maximumPositional: 0)
            switch value {
            case .int(let i): return .int(abs(i))
            case .double(let d): return .double(abs(d))
            default: throw .runtime("bad operand type for abs(): '\(value.typeName)'")
            }
        case "map":
            return try map(value, arguments, evaluator: evaluator)
        case "select", "reject", "selectattr", "rejectattr":
            return try select(name, value, arguments, evaluator: evaluator)
        case "indent":
            return .string(try indent(try string(value, name), arguments))
        case "safe":
            return value
        case "escape", "e":
            return .string(escapeHTML(value.text))
        default:
            throw .unsupported("filter '\(name)'")
        }
    }

    // MARK: - Helpers

    private static func string(_ value: Value, _ filter: String) throws(TemplateFailure) -> String {
        switch value {
        case .string(let text): return text
        case .undefined: return ""
        default: return value.text
        }
    }

    static func length(of value: Value) throws(TemplateFailure) -> Int {
        switch value {
        case .string(let text): return text.unicodeScalars.count
        case .array(let items), .tuple(let items): return items.count
        case .dictionary(let dictionary): return dictionary.count
        case .undefined: return 0
        default: throw .runtime("object of type '\(value.typeName)' has no len()")
        }
    }

    static func changeCase(_ name: String, _ text: String) -> String {
        switch name {
        case "upper": return text.uppercased()
        case "lower": return text.lowercased()
        case "swapcase":
            return text.unicodeScalars.map { scalar in
                scalar.properties.isUppercase ? String(scalar).lowercased()
                    : scalar.properties.isLowercase ? String(scalar).uppercased() : String(scalar)
            }.joined()
        case "capitalize":
            guard let first = text.unicodeScalars.first else { return text }
            return String(first).uppercased() + String(String.UnicodeScalarView(text.unicodeScalars.dropFirst())).lowercased()
        default:  // title: a cased character after an uncased one starts a word
            var result = ""
            var previousCased = false
            for scalar in text.unicodeScalars {
                let cased = scalar.properties.isCased
                result += previousCased ? String(scalar).lowercased() : String(scalar).uppercased()
                previousCased = cased
            }
            return result
        }
    }

    private static func integer(_ value: Value) -> Int? {
        switch value {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .double(let d): return d.isFinite ? Int(d) : nil
        case .string(let text):
            let trimmed = PythonText.strip(text, characters: nil, leading: true, trailing: true)
            return Int(trimmed) ?? Double(trimmed).flatMap { $0.isFinite ? Int($0) : nil }
        default: return nil
        }
    }

    private static func real(_ value: Value) -> Double? {
        if case .string(let text) = value { return Double(PythonText.strip(text, characters: nil, leading: true, trailing: true)) }
        return value.number
    }

    /// transformers' `tojson`: `json.dumps(x, ensure_ascii=False, indent=…, separators=…, sort_keys=…)`.
    private static func toJSON(_ value: Value, _ arguments: EvaluatedArguments) throws(TemplateFailure) -> String {
        try arguments.check("tojson", maximumPositional: 1, keywords: ["indent", "ensure_ascii", "separators", "sort_keys"])
        if arguments.value("ensure_ascii", at: 99)?.isTruthy == true {
            throw .unsupported("tojson(ensure_ascii=True)")
        }
        var indent: String?
        switch arguments.value("indent", at: 0) {
        case .int(let width)?: indent = String(repeating: " ", count: max(0, width))
        case .string(let text)?: indent = text
        case nil, .none?: indent = nil
        case let other?: throw .runtime("tojson indent must be an integer or a string, not \(other.typeName)")
        }
        var separators: (item: String, key: String)?
        if let pair = arguments.value("separators", at: 99)?.elements, pair.count == 2 {
            separators = (pair[0].text, pair[1].text)
        }
        let sortKeys = arguments.value("sort_keys", at: 99)?.isTruthy ?? false
        return try PythonJSONEncoder(indent: indent, separators: separators, sortKeys: sortKeys).encode(value)
    }

    private static func sort(_ value: Value, _ arguments: EvaluatedArguments, evaluator: TemplateEvaluator) throws(TemplateFailure) -> Value {
        try arguments.check("sort", maximumPositional: 3, keywords: ["reverse", "case_sensitive", "attribute"])
        let reverse = arguments.value("reverse", at: 0)?.isTruthy ?? false
        let caseSensitive = arguments.value("case_sensitive", at: 1)?.isTruthy ?? false
        let attribute = arguments.value("attribute", at: 2)?.text
        var keyed: [(key: Value, item: Value)] = []
        for item in try evaluator.iterate(value) {
            var key = try attribute.map { name throws(TemplateFailure) in try evaluator.attribute(name, of: item) } ?? item
            if !caseSensitive, case .string(let text) = key { key = .string(text.lowercased()) }
            keyed.append((key, item))
        }
        var failure: TemplateFailure?
        keyed.sort { lhs, rhs in
            do throws(TemplateFailure) { return try lhs.key.isLess(than: rhs.key) } catch { failure = error; return false }
        }
        if let failure { throw failure }
        let sorted = keyed.map(\.item)
        return .array(reverse ? sorted.reversed() : sorted)
    }

    /// `map(attribute='name', default=…)` or `map('filter', arguments…)`.
    private static func map(_ value: Value, _ arguments: EvaluatedArguments, evaluator: TemplateEvaluator) throws(TemplateFailure) -> Value {
        let items = try evaluator.iterate(value)
        if let attribute = arguments.keyword.first(where: { $0.name == "attribute" })?.value.text {
            let fallback = arguments.keyword.first { $0.name == "default" }?.value
            return .array(try items.map { item throws(TemplateFailure) in
                let result = try evaluator.attribute(attribute, of: item)
                return result.isUndefined ? (fallback ?? result) : result
            })
        }
        guard case .string(let filter)? = arguments.positional.first else {
            throw .runtime("map needs a filter name or attribute=")
        }
        let rest = EvaluatedArguments(positional: Array(arguments.positional.dropFirst()), keyword: arguments.keyword)
        return .array(try items.map { item throws(TemplateFailure) in try apply(filter, to: item, arguments: rest, evaluator: evaluator) })
    }

    /// `select('test', …)`, `reject`, `selectattr('attribute', 'test', …)`, `rejectattr`.
    private static func select(_ name: String, _ value: Value, _ arguments: EvaluatedArguments,
                               evaluator: TemplateEvaluator) throws(TemplateFailure) -> Value {
        let byAttribute = name.hasSuffix("attr")
        let keeps = name.hasPrefix("select")
        var positional = arguments.positional
        var attribute: String?
        if byAttribute {
            guard !positional.isEmpty else { throw .runtime("\(name) needs an attribute name") }
            attribute = positional.removeFirst().text
        }
        let test = positional.isEmpty ? nil : positional.removeFirst().text
        var kept: [Value] = []
        for item in try evaluator.iterate(value) {
            let subject = try attribute.map { name throws(TemplateFailure) in try evaluator.attribute(name, of: item) } ?? item
            let passes = try test.map { test throws(TemplateFailure) in try Predicates.apply(test, to: subject, arguments: positional) }
                ?? subject.isTruthy
            if passes == keeps { kept.append(item) }
        }
        return .array(kept)
    }

    /// `indent(width=4, first=False, blank=False)`.
    private static func indent(_ text: String, _ arguments: EvaluatedArguments) throws(TemplateFailure) -> String {
        try arguments.check("indent", maximumPositional: 3, keywords: ["width", "first", "blank"])
        let padding: String
        switch arguments.value("width", at: 0) {
        case .string(let text)?: padding = text
        case let width?: padding = String(repeating: " ", count: max(0, width.integer ?? 4))
        case nil: padding = "    "
        }
        let first = arguments.value("first", at: 1)?.isTruthy ?? false
        let blank = arguments.value("blank", at: 2)?.isTruthy ?? false
        let lines = PythonText.split(text, separator: "\n")
        return lines.enumerated().map { index, line in
            let indents = (index > 0 || first) && (blank || !PythonText.strip(line, characters: nil, leading: true, trailing: true).isEmpty)
            return indents ? padding + line : line
        }.joined(separator: "\n")
    }

    private static func escapeHTML(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&#34;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
