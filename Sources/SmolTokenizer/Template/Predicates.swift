/// Jinja tests (`value is name(arguments)`).
enum Predicates {
    static func apply(_ name: String, to value: Value, arguments: [Value]) throws(TemplateFailure) -> Bool {
        func argument() throws(TemplateFailure) -> Value {
            guard let first = arguments.first else { throw .runtime("test '\(name)' needs an argument") }
            return first
        }
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": return value.isEqual(to: .none) && !value.isUndefined
        case "true": if case .bool(true) = value { return true } else { return false }
        case "false": if case .bool(false) = value { return true } else { return false }
        case "boolean": if case .bool = value { return true } else { return false }
        case "string": if case .string = value { return true } else { return false }
        case "integer": if case .int = value { return true } else { return false }
        case "float": if case .double = value { return true } else { return false }
        case "number":
            switch value {
            case .int, .double, .bool: return true
            default: return false
            }
        case "mapping": if case .dictionary = value { return true } else { return false }
        case "sequence", "iterable":
            switch value {
            case .array, .tuple, .string, .dictionary: return true
            default: return false
            }
        case "callable": return false
        case "even", "odd":
            guard let integer = value.integer else { throw .runtime("test '\(name)' needs an integer") }
            return (integer % 2 == 0) == (name == "even")
        case "divisibleby":
            guard let integer = value.integer, let divisor = try argument().integer, divisor != 0 else {
                throw .runtime("test 'divisibleby' needs a non-zero integer")
            }
            return integer % divisor == 0
        case "equalto", "eq", "==", "sameas": return value.isEqual(to: try argument())
        case "ne", "!=": return !value.isEqual(to: try argument())
        case "lt", "lessthan", "<": return try value.isLess(than: try argument())
        case "gt", "greaterthan", ">": return try argument().isLess(than: value)
        case "le", "<=": return try BinaryOperator.lessOrEqual.apply(value, try argument()).isTruthy
        case "ge", ">=": return try BinaryOperator.greaterOrEqual.apply(value, try argument()).isTruthy
        case "in": return try BinaryOperator.contains.apply(value, try argument()).isTruthy
        case "lower", "upper":
            guard case .string(let text) = value else { return false }
            return characterTest("is" + name, text)
        default:
            throw .unsupported("test '\(name)'")
        }
    }

    /// Python's `str.isdigit()` family.
    static func characterTest(_ name: String, _ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return false }
        switch name {
        case "isdigit": return scalars.allSatisfy { $0.properties.numericType == .digit || $0.properties.numericType == .decimal }
        case "isalpha": return scalars.allSatisfy { ScalarClass.of($0.value).contains(.letter) }
        case "isalnum": return scalars.allSatisfy { !ScalarClass.of($0.value).isDisjoint(with: [.letter, .number]) }
        case "isspace": return scalars.allSatisfy(PythonText.isWhitespace)
        case "islower", "isupper":
            let cased = scalars.filter { $0.properties.isCased }
            guard !cased.isEmpty else { return false }
            return cased.allSatisfy { name == "islower" ? $0.properties.isLowercase : $0.properties.isUppercase }
        default: return false
        }
    }
}
