import Foundation

/// Global functions available to chat templates: Jinja's `namespace`, `range` and `dict`, plus
/// transformers' `raise_exception` and `strftime_now`.
enum Globals {
    /// A template that asks for more numbers than this is broken or hostile.
    static let maximumRangeLength = 1_000_000

    static func call(_ name: String, arguments: EvaluatedArguments, now: Date) throws(TemplateFailure) -> Value {
        switch name {
        case "namespace", "dict":
            var attributes = ValueDictionary()
            for argument in arguments.positional {
                guard case .dictionary(let initial) = argument else {
                    throw .runtime("\(name)() takes a dictionary or keyword arguments")
                }
                for (key, value) in initial.pairs { attributes[key] = value }
            }
            for (key, value) in arguments.keyword { attributes[key] = value }
            return name == "dict" ? .dictionary(attributes) : .namespace(Namespace(attributes))
        case "range":
            try arguments.check("range()", maximumPositional: 3)
            let bounds = arguments.positional.compactMap(\.integer)
            guard bounds.count == arguments.positional.count, !bounds.isEmpty else {
                throw .runtime("range() needs 1 to 3 integers")
            }
            let (start, stop) = bounds.count == 1 ? (0, bounds[0]) : (bounds[0], bounds[1])
            let step = bounds.count == 3 ? bounds[2] : 1
            guard step != 0 else { throw .runtime("range() step must not be zero") }
            let count = max(0, (stop - start + step - step.signum()) / step)
            guard count <= maximumRangeLength else { throw .runtime("range() of \(count) items is too long for a template") }
            return .array(Array(stride(from: start, to: stop, by: step)).map(Value.int))
        case "raise_exception":
            throw .raised(arguments.positional.first?.text ?? "")
        case "strftime_now":
            try arguments.check("strftime_now()", maximumPositional: 1)
            guard case .string(let format)? = arguments.positional.first else {
                throw .runtime("strftime_now() needs a format string")
            }
            return .string(try Strftime.format(format, date: now))
        default:
            throw .runtime("'\(name)' is undefined (called as a function)")
        }
    }
}
