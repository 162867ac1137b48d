import Foundation

/// Runs a parsed template against a context, with Jinja's semantics where chat templates depend
/// on them: undefined variables render as nothing and are falsy; `{% set %}` inside a loop does
/// not leak out of it (hence `namespace()`); `and`/`or` return an operand; Python truthiness,
/// equality and string/list operations throughout.
struct TemplateEvaluator {
    /// Innermost last. The first frame is the caller's context; `{% set %}` writes to the last.
    private var scopes: [[String: Value]]
    private var output = ""
    private let now: Date

    init(context: [String: Value], now: Date) {
        scopes = [context, [:]]
        self.now = now
    }

    mutating func render(_ nodes: [TemplateNode]) throws(TemplateError) -> String {
        output = ""
        switch try execute(nodes) {
        case .normal: return output
        case .breakLoop(let line): throw .syntax("'{% break %}' outside a loop", line: line)
        case .continueLoop(let line): throw .syntax("'{% continue %}' outside a loop", line: line)
        }
    }

    // MARK: - Statements

    private enum Flow {
        case normal
        case breakLoop(line: Int)
        case continueLoop(line: Int)
    }

    private mutating func execute(_ nodes: [TemplateNode]) throws(TemplateError) -> Flow {
        for node in nodes {
            let flow = try execute(node)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    private mutating func execute(_ node: TemplateNode) throws(TemplateError) -> Flow {
        switch node {
        case .text(let text):
            output += text
        case .output(let expression, let line):
            output += try withLine(line) { () throws(TemplateFailure) in try evaluate(expression).text }
        case .conditional(let branches, let otherwise, let line):
            for branch in branches {
                let holds = try withLine(line) { () throws(TemplateFailure) in try evaluate(branch.condition).isTruthy }
                if holds { return try execute(branch.body) }
            }
            return try execute(otherwise)
        case .loop(let loop):
            return try execute(loop)
        case .assignment(let target, let value, let line):
            try withLine(line) { () throws(TemplateFailure) in try assign(try evaluate(value), to: target) }
        case .capture(let name, let body, _):
            let saved = output
            output = ""
            let flow = try execute(body)
            let captured = output
            output = saved
            scopes[scopes.count - 1][name] = .string(captured)
            return flow
        case .breakLoop(let line):
            return .breakLoop(line: line)
        case .continueLoop(let line):
            return .continueLoop(line: line)
        case .generation(let body):
            return try execute(body)
        }
        return .normal
    }

    private mutating func execute(_ loop: ForLoop) throws(TemplateError) -> Flow {
        var items = try withLine(loop.line) { () throws(TemplateFailure) in try iterate(try evaluate(loop.iterable)) }
        scopes.append([:])
        defer { scopes.removeLast() }
        if let filter = loop.filter {
            var kept: [Value] = []
            for item in items {
                try withLine(loop.line) { () throws(TemplateFailure) in try bind(item, to: loop.targets) }
                let keep = try withLine(loop.line) { () throws(TemplateFailure) in try evaluate(filter).isTruthy }
                if keep { kept.append(item) }
            }
            items = kept
        }
        guard !items.isEmpty else { return try execute(loop.otherwise) }
        for (index, item) in items.enumerated() {
            try withLine(loop.line) { () throws(TemplateFailure) in try bind(item, to: loop.targets) }
            scopes[scopes.count - 1]["loop"] = .loop(LoopState(
                index0: index, length: items.count,
                previous: index > 0 ? items[index - 1] : nil,
                next: index + 1 < items.count ? items[index + 1] : nil))
            switch try execute(loop.body) {
            case .breakLoop: return .normal
            case .normal, .continueLoop: continue
            }
        }
        return .normal
    }

    private mutating func bind(_ item: Value, to targets: [String]) throws(TemplateFailure) {
        if targets.count == 1 {
            scopes[scopes.count - 1][targets[0]] = item
            return
        }
        let parts = try iterate(item)
        guard parts.count == targets.count else {
            throw .runtime("cannot unpack \(parts.count) values into \(targets.count) loop variables")
        }
        for (name, part) in zip(targets, parts) { scopes[scopes.count - 1][name] = part }
    }

    private mutating func assign(_ value: Value, to target: AssignmentTarget) throws(TemplateFailure) {
        switch target {
        case .variable(let name):
            scopes[scopes.count - 1][name] = value
        case .unpack(let names):
            try bind(value, to: names)
        case .attribute(let object, let attribute):
            guard case .namespace(let namespace) = lookup(object) else {
                throw .runtime("cannot assign attribute '\(attribute)' of '\(object)': only namespace() objects are mutable")
            }
            namespace.attributes[attribute] = value
        }
    }


    // MARK: - Expressions

    private func lookup(_ name: String) -> Value? {
        for scope in scopes.reversed() {
            if let value = scope[name] { return value }
        }
        return nil
    }

    func evaluate(_ expression: TemplateExpression) throws(TemplateFailure) -> Value {
        switch expression {
        case .literal(let literal):
            return literal.value
        case .variable(let name):
            return lookup(name) ?? .undefined(name)
        case .list(let items):
            var values: [Value] = []
            for item in items { values.append(try evaluate(item)) }
            return .array(values)
        case .tuple(let items):
            var values: [Value] = []
            for item in items { values.append(try evaluate(item)) }
            return .tuple(values)
        case .dictionary(let pairs):
            var dictionary = ValueDictionary()
            for pair in pairs {
                guard case .string(let key) = try evaluate(pair.key) else {
                    throw .unsupported("dictionary keys other than strings")
                }
                dictionary[key] = try evaluate(pair.value)
            }
            return .dictionary(dictionary)
        case .attribute(let object, let name):
            return try attribute(name, of: try evaluate(object))
        case .item(let object, let index):
            return try item(try evaluate(index), of: try evaluate(object))
        case .slice(let object, let start, let stop, let step):
            return try slice(try evaluate(object), start: try start.map(evaluate), stop: try stop.map(evaluate),
                             step: try step.map(evaluate))
        case .call(let callee, let arguments):
            return try call(callee, arguments)
        case .filter(let value, let name, let arguments):
            return try Filters.apply(name, to: try evaluate(value), arguments: try evaluate(arguments), evaluator: self)
        case .test(let value, let name, let arguments, let negated):
            let result = try Predicates.apply(name, to: try evaluate(value), arguments: try evaluate(arguments).positional)
            return .bool(result != negated)
        case .not(let operand):
            return .bool(!(try evaluate(operand).isTruthy))
        case .negate(let operand):
            let value = try evaluate(operand)
            switch value {
            case .int(let i): return .int(-i)
            case .double(let d): return .double(-d)
            case .bool(let b): return .int(b ? -1 : 0)
            default: throw .runtime("bad operand type for unary -: '\(value.typeName)'")
            }
        case .binary(let op, let left, let right):
            return try op.apply(try evaluate(left), try evaluate(right))
        case .and(let left, let right):
            let value = try evaluate(left)
            return value.isTruthy ? try evaluate(right) : value
        case .or(let left, let right):
            let value = try evaluate(left)
            return value.isTruthy ? value : try evaluate(right)
        case .conditional(let then, let condition, let otherwise):
            if try evaluate(condition).isTruthy { return try evaluate(then) }
            return try otherwise.map(evaluate) ?? .undefined("conditional without else")
        }
    }

    func evaluate(_ arguments: CallArguments) throws(TemplateFailure) -> EvaluatedArguments {
        var result = EvaluatedArguments()
        for argument in arguments.positional { result.positional.append(try evaluate(argument)) }
        for argument in arguments.keyword { result.keyword.append((argument.name, try evaluate(argument.value))) }
        return result
    }

    /// Jinja's `getattr`: an attribute of an object, else an item of that name.
    func attribute(_ name: String, of object: Value) throws(TemplateFailure) -> Value {
        switch object {
        case .undefined(let missing):
            throw .runtime("'\(missing)' is undefined (reading its attribute '\(name)')")
        case .dictionary(let dictionary):
            return dictionary[name] ?? .undefined(name)
        case .namespace(let namespace):
            return namespace.attributes[name] ?? .undefined(name)
        case .loop(let state):
            return state.attribute(name)
        default:
            return .undefined(name)
        }
    }

    /// Jinja's `getitem`: `object[index]`, with Python's negative indices; missing → undefined.
    func item(_ index: Value, of object: Value) throws(TemplateFailure) -> Value {
        switch (object, index) {
        case (.undefined(let missing), _):
            throw .runtime("'\(missing)' is undefined (reading an item of it)")
        case (.array(let items), _), (.tuple(let items), _):
            guard let position = index.integer else { return .undefined("list item") }
            let resolved = position < 0 ? position + items.count : position
            return items.indices.contains(resolved) ? items[resolved] : .undefined("list index \(position)")
        case (.string(let text), _):
            guard let position = index.integer else { return .undefined("string item") }
            let scalars = Array(text.unicodeScalars)
            let resolved = position < 0 ? position + scalars.count : position
            return scalars.indices.contains(resolved) ? .string(String(scalars[resolved])) : .undefined("string index \(position)")
        case (_, .string(let key)):
            return try attribute(key, of: object)
        default:
            return .undefined("item")
        }
    }

    private func slice(_ object: Value, start: Value?, stop: Value?, step: Value?) throws(TemplateFailure) -> Value {
        func bound(_ value: Value?) throws(TemplateFailure) -> Int? {
            guard let value, !(value.isUndefined), !(value.isEqual(to: .none)) else { return nil }
            guard let integer = value.integer else { throw .runtime("slice indices must be integers") }
            return integer
        }
        let (first, last, stride) = (try bound(start), try bound(stop), try bound(step) ?? 1)
        guard stride != 0 else { throw .runtime("slice step cannot be zero") }
        switch object {
        case .array(let items):
            return .array(PythonSlice.indices(count: items.count, start: first, stop: last, step: stride).map { items[$0] })
        case .tuple(let items):
            return .tuple(PythonSlice.indices(count: items.count, start: first, stop: last, step: stride).map { items[$0] })
        case .string(let text):
            let scalars = Array(text.unicodeScalars)
            let picked = PythonSlice.indices(count: scalars.count, start: first, stop: last, step: stride).map { scalars[$0] }
            return .string(String(String.UnicodeScalarView(picked)))
        case .undefined(let missing):
            throw .runtime("'\(missing)' is undefined (slicing it)")
        default:
            throw .runtime("'\(object.typeName)' object is not subscriptable")
        }
    }

    private func call(_ callee: TemplateExpression, _ arguments: CallArguments) throws(TemplateFailure) -> Value {
        let evaluated = try evaluate(arguments)
        switch callee {
        case .attribute(let objectExpression, let name):
            return try Methods.call(name, on: try evaluate(objectExpression), arguments: evaluated)
        case .variable(let name) where lookup(name) == nil:
            return try Globals.call(name, arguments: evaluated, now: now)
        case .variable(let name):
            throw .runtime("'\(name)' is not callable")
        default:
            throw .unsupported("calling the result of an expression")
        }
    }

    /// What `{% for %}` iterates: list items, dictionary keys, string characters; nothing for
    /// undefined (Jinja's `Undefined` iterates as empty).
    func iterate(_ value: Value) throws(TemplateFailure) -> [Value] {
        switch value {
        case .array(let items), .tuple(let items): return items
        case .dictionary(let dictionary): return dictionary.keys.map(Value.string)
        case .string(let text): return text.unicodeScalars.map { .string(String($0)) }
        case .undefined: return []
        default: throw .runtime("'\(value.typeName)' object is not iterable")
        }
    }
}

/// Evaluated call arguments.
struct EvaluatedArguments {
    var positional: [Value] = []
    var keyword: [(name: String, value: Value)] = []

    /// Argument `name` given by keyword, else positionally at `position`.
    func value(_ name: String, at position: Int) -> Value? {
        if let match = keyword.first(where: { $0.name == name }) { return match.value }
        return positional.indices.contains(position) ? positional[position] : nil
    }

    /// Rejects calls with more arguments than the callee accepts.
    func check(_ callee: String, maximumPositional: Int, keywords: Set<String> = []) throws(TemplateFailure) {
        if positional.count > maximumPositional {
            throw .runtime("\(callee) takes at most \(maximumPositional) positional arguments (\(positional.count) given)")
        }
        if let unknown = keyword.first(where: { !keywords.contains($0.name) }) {
            throw .runtime("\(callee) got an unexpected keyword argument '\(unknown.name)'")
        }
    }
}

/// Python slice index arithmetic (`sequence[start:stop:step]`).
enum PythonSlice {
    static func indices(count: Int, start: Int?, stop: Int?, step: Int) -> [Int] {
        func clamp(_ value: Int?, default defaultValue: Int, lower: Int, upper: Int) -> Int {
            guard var value else { return defaultValue }
            if value < 0 { value += count }
            return min(max(value, lower), upper)
        }
        if step > 0 {
            let first = clamp(start, default: 0, lower: 0, upper: count)
            let last = clamp(stop, default: count, lower: 0, upper: count)
            return first < last ? Array(Swift.stride(from: first, to: last, by: step)) : []
        }
        let first = clamp(start, default: count - 1, lower: -1, upper: count - 1)
        let last = clamp(stop, default: -1, lower: -1, upper: count - 1)
        return first > last ? Array(Swift.stride(from: first, to: last, by: step)) : []
    }
}

/// Runs `body`, attaching `line` to any evaluation failure.
private func withLine<Result>(_ line: Int, _ body: () throws(TemplateFailure) -> Result) throws(TemplateError) -> Result {
    do {
        return try body()
    } catch {
        throw error.at(line: line)
    }
}
