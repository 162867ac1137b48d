/// Python methods templates call on values: `str.strip()`, `dict.items()`, `loop.cycle()`, …
/// Lists and dictionaries are read-only, as in transformers' sandboxed environment.
enum Methods {
    static func call(_ name: String, on object: Value, arguments: EvaluatedArguments) throws(TemplateFailure) -> Value {
        switch object {
        case .string(let text): return try stringMethod(name, text, arguments)
        case .dictionary(let dictionary): return try dictionaryMethod(name, dictionary, arguments)
        case .array(let items), .tuple(let items): return try listMethod(name, items, arguments)
        case .loop(let state) where name == "cycle":
            guard !arguments.positional.isEmpty else { throw .runtime("loop.cycle() needs at least one value") }
            return arguments.positional[state.index0 % arguments.positional.count]
        case .undefined(let missing):
            throw .runtime("'\(missing)' is undefined (calling its method '\(name)')")
        default:
            throw .unsupported("method '\(name)' of '\(object.typeName)'")
        }
    }

    // MARK: - str

    private static func stringMethod(_ name: String, _ text: String, _ arguments: EvaluatedArguments) throws(TemplateFailure) -> Value {
        func string(_ position: Int, _ argument: String) throws(TemplateFailure) -> String? {
            guard let value = arguments.value(argument, at: position), !value.isEqual(to: .none) else { return nil }
            guard case .string(let text) = value else {
                throw .runtime("str.\(name)() argument '\(argument)' must be str, not \(value.typeName)")
            }
            return text
        }
        switch name {
        case "strip", "lstrip", "rstrip":
            try arguments.check("str.\(name)()", maximumPositional: 1, keywords: ["chars"])
            return .string(PythonText.strip(text, characters: try string(0, "chars"),
                                            leading: name != "rstrip", trailing: name != "lstrip"))
        case "startswith", "endswith":
            try arguments.check("str.\(name)()", maximumPositional: 1)
            let candidates: [Value]
            switch arguments.positional.first {
            case .string(let single)?: candidates = [.string(single)]
            case .array(let many)?, .tuple(let many)?: candidates = many
            default: throw .runtime("str.\(name)() needs a string or a tuple of strings")
            }
            let matches = candidates.contains { candidate in
                guard case .string(let affix) = candidate else { return false }
                return name == "startswith" ? PythonText.hasPrefix(text, affix) : PythonText.hasSuffix(text, affix)
            }
            return .bool(matches)
        case "split", "rsplit":
            try arguments.check("str.\(name)()", maximumPositional: 2, keywords: ["sep", "maxsplit"])
            let maxSplits = arguments.value("maxsplit", at: 1)?.integer ?? -1
            if name == "rsplit", maxSplits >= 0 { throw .unsupported("str.rsplit() with maxsplit") }
            return .array(PythonText.split(text, separator: try string(0, "sep"), maxSplits: maxSplits).map(Value.string))
        case "replace":
            try arguments.check("str.replace()", maximumPositional: 3, keywords: ["count"])
            guard let old = try string(0, "old"), let new = try string(1, "new") else {
                throw .runtime("str.replace() needs two string arguments")
            }
            let count = arguments.value("count", at: 2)?.integer ?? -1
            return .string(PythonText.replace(old, with: new, in: text, count: count))
        case "upper", "lower", "title", "capitalize", "swapcase":
            try arguments.check("str.\(name)()", maximumPositional: 0)
            return .string(Filters.changeCase(name, text))
        case "find", "index", "count":
            try arguments.check("str.\(name)()", maximumPositional: 1)
            guard let needle = try string(0, "sub") else { throw .runtime("str.\(name)() needs a string") }
            if name == "count" {
                guard !needle.isEmpty else { return .int(text.unicodeScalars.count + 1) }
                return .int(PythonText.split(text, separator: needle).count - 1)
            }
            if let offset = PythonText.firstOccurrence(of: needle, in: text) { return .int(offset) }
            if name == "index" { throw .runtime("substring not found") }
            return .int(-1)
        case "join":
            try arguments.check("str.join()", maximumPositional: 1)
            guard let items = arguments.positional.first?.elements else { throw .runtime("str.join() needs a list") }
            var parts: [String] = []
            for item in items {
                guard case .string(let part) = item else {
                    throw .runtime("sequence item: expected str instance, \(item.typeName) found")
                }
                parts.append(part)
            }
            return .string(parts.joined(separator: text))
        case "splitlines":
            try arguments.check("str.splitlines()", maximumPositional: 0)
            var lines = PythonText.split(text.replacingNewlines(), separator: "\n")
            if lines.last == "" { lines.removeLast() }
            return .array(lines.map(Value.string))
        case "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper":
            try arguments.check("str.\(name)()", maximumPositional: 0)
            return .bool(Predicates.characterTest(name, text))
        default:
            throw .unsupported("string method '\(name)'")
        }
    }

    // MARK: - dict

    private static func dictionaryMethod(_ name: String, _ dictionary: ValueDictionary, _ arguments: EvaluatedArguments) throws(TemplateFailure) -> Value {
        switch name {
        case "items":
            try arguments.check("dict.items()", maximumPositional: 0)
            return .array(dictionary.pairs.map { .tuple([.string($0.key), $0.value]) })
        case "keys":
            try arguments.check("dict.keys()", maximumPositional: 0)
            return .array(dictionary.keys.map(Value.string))
        case "values":
            try arguments.check("dict.values()", maximumPositional: 0)
            return .array(dictionary.pairs.map(\.value))
        case "get":
            try arguments.check("dict.get()", maximumPositional: 2)
            guard case .string(let key)? = arguments.positional.first else { return arguments.value("default", at: 1) ?? .none }
            return dictionary[key] ?? arguments.value("default", at: 1) ?? .none
        default:
            if let value = dictionary[name] { throw .runtime("'\(value.typeName)' member '\(name)' is not callable") }
            throw .unsupported("dictionary method '\(name)'")
        }
    }

    // MARK: - list

    private static func listMethod(_ name: String, _ items: [Value], _ arguments: EvaluatedArguments) throws(TemplateFailure) -> Value {
        switch name {
        case "index", "count":
            try arguments.check("list.\(name)()", maximumPositional: 1)
            guard let needle = arguments.positional.first else { throw .runtime("list.\(name)() needs an argument") }
            if name == "count" { return .int(items.count { $0.isEqual(to: needle) }) }
            guard let position = items.firstIndex(where: { $0.isEqual(to: needle) }) else {
                throw .runtime("\(needle.representation) is not in list")
            }
            return .int(position)
        case "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse":
            throw .unsupported("modifying a list with '\(name)()' (templates are sandboxed and immutable)")
        default:
            throw .unsupported("list method '\(name)'")
        }
    }
}
