import Foundation

/// Binary operators with Python's semantics: `+` adds numbers and concatenates strings or lists
/// (mixing them is a TypeError), `/` always gives a float, `//` and `%` floor, `~` concatenates
/// the `str()` of anything, `in` tests substrings, list membership or dictionary keys.
extension BinaryOperator {
    func apply(_ left: Value, _ right: Value) throws(TemplateFailure) -> Value {
        switch self {
        case .concatenate:
            return .string(left.text + right.text)
        case .equal:
            return .bool(left.isEqual(to: right))
        case .notEqual:
            return .bool(!left.isEqual(to: right))
        case .less:
            return .bool(try left.isLess(than: right))
        case .lessOrEqual:
            return .bool(try left.isLess(than: right) || left.isEqual(to: right))
        case .greater:
            return .bool(try right.isLess(than: left))
        case .greaterOrEqual:
            return .bool(try right.isLess(than: left) || left.isEqual(to: right))
        case .contains:
            return .bool(try Self.contains(right, left))
        case .notContains:
            return .bool(!(try Self.contains(right, left)))
        case .add:
            switch (left, right) {
            case (.string(let a), .string(let b)): return .string(a + b)
            case (.array(let a), .array(let b)): return .array(a + b)
            case (.tuple(let a), .tuple(let b)): return .tuple(a + b)
            default: return try arithmetic(left, right)
            }
        case .multiply:
            switch (left, right) {
            case (.string(let text), _) where right.integer != nil:
                return .string(String(repeating: text, count: max(0, right.integer ?? 0)))
            case (.array(let items), _) where right.integer != nil:
                return .array(Array(repeating: items, count: max(0, right.integer ?? 0)).flatMap { $0 })
            default: return try arithmetic(left, right)
            }
        case .modulo:
            if case .string = left { throw .unsupported("'%' string formatting") }
            return try arithmetic(left, right)
        case .subtract, .divide, .floorDivide, .power:
            return try arithmetic(left, right)
        }
    }

    /// Numeric operators on ints (exact) or floats.
    private func arithmetic(_ left: Value, _ right: Value) throws(TemplateFailure) -> Value {
        guard let a = left.number, let b = right.number else {
            throw .runtime("unsupported operand types for \(rawValue): '\(left.typeName)' and '\(right.typeName)'")
        }
        if let x = left.integer, let y = right.integer {
            switch self {
            case .add: return .int(x &+ y)
            case .subtract: return .int(x &- y)
            case .multiply: return .int(x &* y)
            case .floorDivide, .modulo:
                guard y != 0 else { throw .runtime("integer division or modulo by zero") }
                let quotient = Int((Double(x) / Double(y)).rounded(.down))
                return .int(self == .floorDivide ? quotient : x - quotient * y)
            case .power where y >= 0:
                return .int(Int(pow(Double(x), Double(y))))
            default: break
            }
        }
        switch self {
        case .add: return .double(a + b)
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .divide:
            guard b != 0 else { throw .runtime("division by zero") }
            return .double(a / b)
        case .floorDivide:
            guard b != 0 else { throw .runtime("float floor division by zero") }
            return .double((a / b).rounded(.down))
        case .modulo:
            guard b != 0 else { throw .runtime("float modulo") }
            return .double(a - (a / b).rounded(.down) * b)
        case .power: return .double(pow(a, b))
        default: throw .runtime("unsupported operator \(rawValue)")
        }
    }

    /// Python `needle in haystack`.
    private static func contains(_ haystack: Value, _ needle: Value) throws(TemplateFailure) -> Bool {
        switch haystack {
        case .string(let text):
            guard case .string(let part) = needle else {
                throw .runtime("'in <string>' requires string as left operand, not \(needle.typeName)")
            }
            return PythonText.firstOccurrence(of: part, in: text) != nil
        case .array(let items), .tuple(let items):
            return items.contains { $0.isEqual(to: needle) }
        case .dictionary(let dictionary):
            guard case .string(let key) = needle else { return false }
            return dictionary[key] != nil
        case .undefined:
            return false
        default:
            throw .runtime("argument of type '\(haystack.typeName)' is not iterable")
        }
    }
}
