/// A template statement or output run.
indirect enum TemplateNode: Sendable {
    case text(String)
    /// `{{ expression }}`
    case output(TemplateExpression, line: Int)
    /// `{% if %}…{% elif %}…{% else %}…{% endif %}`: the first branch whose condition holds runs.
    case conditional(branches: [(condition: TemplateExpression, body: [TemplateNode])], otherwise: [TemplateNode], line: Int)
    /// `{% for a[, b] in iterable [if filter] %}…{% else %}…{% endfor %}`
    case loop(ForLoop)
    /// `{% set name = value %}` or `{% set namespace.attribute = value %}`
    case assignment(target: AssignmentTarget, value: TemplateExpression, line: Int)
    /// `{% set name %}…{% endset %}`: the rendered body becomes a string variable.
    case capture(name: String, body: [TemplateNode], line: Int)
    /// `{% break %}` / `{% continue %}` (Jinja's loopcontrols extension, enabled by transformers).
    case breakLoop(line: Int)
    case continueLoop(line: Int)
    /// `{% generation %}…{% endgeneration %}`: marks assistant text for training masks in
    /// transformers; renders its body unchanged.
    case generation([TemplateNode])
}

struct ForLoop: Sendable {
    let targets: [String]
    let iterable: TemplateExpression
    let filter: TemplateExpression?
    let body: [TemplateNode]
    let otherwise: [TemplateNode]
    let line: Int
}

enum AssignmentTarget: Sendable {
    case variable(String)
    case attribute(object: String, attribute: String)
    /// `{% set a, b = pair %}`
    case unpack([String])
}

/// An expression inside `{{ }}` or a statement.
indirect enum TemplateExpression: Sendable {
    case literal(TemplateLiteral)
    case variable(String)
    case list([TemplateExpression])
    case tuple([TemplateExpression])
    case dictionary([(key: TemplateExpression, value: TemplateExpression)])
    /// `object.name`
    case attribute(TemplateExpression, String)
    /// `object[index]`
    case item(TemplateExpression, TemplateExpression)
    /// `object[start:stop:step]`
    case slice(TemplateExpression, start: TemplateExpression?, stop: TemplateExpression?, step: TemplateExpression?)
    /// `callee(arguments)`: a global function or, when the callee is an attribute, a method.
    case call(TemplateExpression, CallArguments)
    /// `value | name(arguments)`
    case filter(TemplateExpression, name: String, CallArguments)
    /// `value is [not] name(arguments)`
    case test(TemplateExpression, name: String, CallArguments, negated: Bool)
    case not(TemplateExpression)
    case negate(TemplateExpression)
    case binary(BinaryOperator, TemplateExpression, TemplateExpression)
    /// `a and b` / `a or b`, short-circuiting and returning an operand, as in Python.
    case and(TemplateExpression, TemplateExpression)
    case or(TemplateExpression, TemplateExpression)
    /// `then if condition else otherwise`; a missing else yields undefined.
    case conditional(then: TemplateExpression, condition: TemplateExpression, otherwise: TemplateExpression?)
}

struct CallArguments: Sendable {
    var positional: [TemplateExpression] = []
    var keyword: [(name: String, value: TemplateExpression)] = []
}

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
    case concatenate = "~"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case contains = "in", notContains = "not in"
}

/// A constant written in the template.
enum TemplateLiteral: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)

    var value: Value {
        switch self {
        case .none: .none
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        }
    }
}
