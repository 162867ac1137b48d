/// Recursive-descent parser from ``TemplateToken``s to ``TemplateNode``s, following Jinja's
/// grammar and operator precedence (lowest first): conditional `x if c else y`, `or`, `and`,
/// `not`, comparisons and `in`, `+ -`, `~`, `* / // %`, `**`, unary minus, then primaries with
/// postfix `.attr`, `[index]`, `(call)`, `| filter` and `is test`.
struct TemplateParser {
    private let tokens: [TemplateToken]
    private var index = 0

    /// Tags Jinja has that this interpreter does not; named in the error instead of "unknown tag".
    private static let unsupportedTags: Set<String> = [
        "macro", "endmacro", "call", "endcall", "filter", "endfilter", "include", "import", "from", "extends",
        "block", "endblock", "raw", "endraw", "with", "endwith", "do", "autoescape", "endautoescape", "trans",
    ]

    static func parse(_ tokens: [TemplateToken]) throws(TemplateError) -> [TemplateNode] {
        var parser = TemplateParser(tokens: tokens)
        let (nodes, terminator) = try parser.parseBody(until: [])
        if let terminator {
            throw .syntax("unexpected '{% \(terminator.name) %}'", line: terminator.line)
        }
        return nodes
    }

    private init(tokens: [TemplateToken]) {
        self.tokens = tokens
    }

    // MARK: - Statements

    /// Parses nodes until a `{% name %}` with `name` in `terminators` (consumed up to and
    /// including the name) or the end of input.
    private mutating func parseBody(until terminators: Set<String>) throws(TemplateError) -> ([TemplateNode], (name: String, line: Int)?) {
        var nodes: [TemplateNode] = []
        while true {
            let token = current
            switch token.kind {
            case .end:
                return (nodes, nil)
            case .text(let text):
                advance()
                nodes.append(.text(text))
            case .outputStart:
                advance()
                let expression = try parseExpression()
                try expect(.outputEnd, "'}}'")
                nodes.append(.output(expression, line: token.line))
            case .statementStart:
                guard case .name(let keyword) = peek(1).kind else {
                    throw .syntax("expected a statement name after '{%'", line: token.line)
                }
                if terminators.contains(keyword) {
                    advance(2)
                    return (nodes, (keyword, token.line))
                }
                advance(2)
                nodes.append(try parseStatement(keyword, line: token.line, terminators: terminators))
            default:
                throw .syntax("unexpected token", line: token.line)
            }
        }
    }

    private mutating func parseStatement(_ keyword: String, line: Int, terminators: Set<String>) throws(TemplateError) -> TemplateNode {
        switch keyword {
        case "if": return try parseIf(line: line)
        case "for": return try parseFor(line: line)
        case "set": return try parseSet(line: line)
        case "generation":
            try expect(.statementEnd, "'%}'")
            let body = try parseBlock(closedBy: "endgeneration", opened: line)
            return .generation(body)
        case "break", "continue":
            try expect(.statementEnd, "'%}'")
            return keyword == "break" ? .breakLoop(line: line) : .continueLoop(line: line)
        default:
            if Self.unsupportedTags.contains(keyword) {
                throw .unsupported("'{% \(keyword) %}' tag", line: line)
            }
            if keyword.hasPrefix("end") || keyword == "elif" || keyword == "else" {
                throw .syntax("unexpected '{% \(keyword) %}'", line: line)
            }
            throw .unsupported("unknown tag '{% \(keyword) %}'", line: line)
        }
    }

    private mutating func parseBlock(closedBy terminator: String, opened line: Int) throws(TemplateError) -> [TemplateNode] {
        let (body, end) = try parseBody(until: [terminator])
        guard end != nil else { throw .syntax("block opened here is never closed with '{% \(terminator) %}'", line: line) }
        try expect(.statementEnd, "'%}'")
        return body
    }

    private mutating func parseIf(line: Int) throws(TemplateError) -> TemplateNode {
        var branches: [(condition: TemplateExpression, body: [TemplateNode])] = []
        var condition = try parseExpression()
        while true {
            try expect(.statementEnd, "'%}'")
            let (body, end) = try parseBody(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            guard let end else { throw .syntax("'{% if %}' opened here is never closed with '{% endif %}'", line: line) }
            switch end.name {
            case "elif":
                condition = try parseExpression()
            case "else":
                try expect(.statementEnd, "'%}'")
                let otherwise = try parseBlock(closedBy: "endif", opened: line)
                return .conditional(branches: branches, otherwise: otherwise, line: line)
            default:
                try expect(.statementEnd, "'%}'")
                return .conditional(branches: branches, otherwise: [], line: line)
            }
        }
    }

    private mutating func parseFor(line: Int) throws(TemplateError) -> TemplateNode {
        var targets = [try expectName("a loop variable")]
        while consumeSymbol(",") { targets.append(try expectName("a loop variable")) }
        guard consumeName("in") else { throw .syntax("expected 'in' in '{% for %}'", line: current.line) }
        let iterable = try parseOr()
        var filter: TemplateExpression?
        if consumeName("if") { filter = try parseExpression() }
        if consumeName("recursive") { throw .unsupported("recursive for loops", line: line) }
        try expect(.statementEnd, "'%}'")
        let (body, end) = try parseBody(until: ["else", "endfor"])
        guard let end else { throw .syntax("'{% for %}' opened here is never closed with '{% endfor %}'", line: line) }
        var otherwise: [TemplateNode] = []
        if end.name == "else" {
            try expect(.statementEnd, "'%}'")
            otherwise = try parseBlock(closedBy: "endfor", opened: line)
        } else {
            try expect(.statementEnd, "'%}'")
        }
        return .loop(ForLoop(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise, line: line))
    }

    private mutating func parseSet(line: Int) throws(TemplateError) -> TemplateNode {
        let name = try expectName("a variable name")
        let target: AssignmentTarget
        if consumeSymbol(".") {
            target = .attribute(object: name, attribute: try expectName("an attribute name"))
        } else if case .symbol(",") = current.kind {
            var names = [name]
            while consumeSymbol(",") { names.append(try expectName("a variable name")) }
            target = .unpack(names)
        } else {
            target = .variable(name)
        }
        if consumeSymbol("=") {
            let value = try parseTupleOrExpression()
            try expect(.statementEnd, "'%}'")
            return .assignment(target: target, value: value, line: line)
        }
        guard case .variable(let captured) = target, case .statementEnd = current.kind else {
            if case .symbol("|") = current.kind { throw .unsupported("filtered block '{% set … | filter %}'", line: line) }
            throw .syntax("expected '=' in '{% set %}'", line: line)
        }
        advance()
        return .capture(name: captured, body: try parseBlock(closedBy: "endset", opened: line), line: line)
    }

    // MARK: - Expressions

    /// `a, b` without brackets is a tuple (used by `{% set a, b = 1, 2 %}`).
    private mutating func parseTupleOrExpression() throws(TemplateError) -> TemplateExpression {
        let first = try parseExpression()
        guard case .symbol(",") = current.kind else { return first }
        var items = [first]
        while consumeSymbol(",") {
            if case .statementEnd = current.kind { break }
            items.append(try parseExpression())
        }
        return .tuple(items)
    }

    private mutating func parseExpression() throws(TemplateError) -> TemplateExpression {
        var expression = try parseOr()
        while consumeName("if") {
            let condition = try parseOr()
            let otherwise = consumeName("else") ? try parseExpression() : nil
            expression = .conditional(then: expression, condition: condition, otherwise: otherwise)
        }
        return expression
    }

    private mutating func parseOr() throws(TemplateError) -> TemplateExpression {
        var left = try parseAnd()
        while consumeName("or") { left = .or(left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws(TemplateError) -> TemplateExpression {
        var left = try parseNot()
        while consumeName("and") { left = .and(left, try parseNot()) }
        return left
    }

    private mutating func parseNot() throws(TemplateError) -> TemplateExpression {
        if consumeName("not") { return .not(try parseNot()) }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(TemplateError) -> TemplateExpression {
        let first = try parseSum()
        var comparisons: [(BinaryOperator, TemplateExpression)] = []
        while true {
            let op: BinaryOperator
            if case .symbol(let symbol) = current.kind, let comparison = BinaryOperator(rawValue: symbol),
               [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(comparison) {
                advance()
                op = comparison
            } else if consumeName("in") {
                op = .contains
            } else if case .name("not") = current.kind, case .name("in") = peek(1).kind {
                advance(2)
                op = .notContains
            } else {
                break
            }
            comparisons.append((op, try parseSum()))
        }
        // Python chains comparisons: a < b < c means a < b and b < c.
        var left = first
        var result: TemplateExpression?
        for (op, right) in comparisons {
            let comparison = TemplateExpression.binary(op, left, right)
            result = result.map { .and($0, comparison) } ?? comparison
            left = right
        }
        return result ?? first
    }

    private mutating func parseSum() throws(TemplateError) -> TemplateExpression {
        var left = try parseConcatenation()
        while case .symbol(let symbol) = current.kind, symbol == "+" || symbol == "-" {
            advance()
            left = .binary(symbol == "+" ? .add : .subtract, left, try parseConcatenation())
        }
        return left
    }

    private mutating func parseConcatenation() throws(TemplateError) -> TemplateExpression {
        var left = try parseProduct()
        while consumeSymbol("~") { left = .binary(.concatenate, left, try parseProduct()) }
        return left
    }

    private mutating func parseProduct() throws(TemplateError) -> TemplateExpression {
        var left = try parsePower()
        while case .symbol(let symbol) = current.kind, ["*", "/", "//", "%"].contains(symbol),
              let op = BinaryOperator(rawValue: symbol) {
            advance()
            left = .binary(op, left, try parsePower())
        }
        return left
    }

    private mutating func parsePower() throws(TemplateError) -> TemplateExpression {
        var left = try parseUnary(withFilters: true)
        while consumeSymbol("**") { left = .binary(.power, left, try parseUnary(withFilters: true)) }
        return left
    }

    private mutating func parseUnary(withFilters: Bool) throws(TemplateError) -> TemplateExpression {
        var expression: TemplateExpression
        if consumeSymbol("-") {
            expression = .negate(try parseUnary(withFilters: false))
        } else if consumeSymbol("+") {
            expression = try parseUnary(withFilters: false)
        } else {
            expression = try parsePrimary()
        }
        expression = try parsePostfix(expression)
        return withFilters ? try parseFiltersAndTests(expression) : expression
    }

    private mutating func parsePrimary() throws(TemplateError) -> TemplateExpression {
        let token = current
        switch token.kind {
        case .name(let name):
            advance()
            switch name {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .variable(name)
            }
        case .string(var text):
            advance()
            while case .string(let next) = current.kind {  // adjacent literals concatenate
                text += next
                advance()
            }
            return .literal(.string(text))
        case .integer(let value):
            advance()
            return .literal(.int(value))
        case .float(let value):
            advance()
            return .literal(.double(value))
        case .symbol("("):
            advance()
            if consumeSymbol(")") { return .tuple([]) }
            let first = try parseExpression()
            if consumeSymbol(")") { return first }
            var items = [first]
            while consumeSymbol(",") {
                if case .symbol(")") = current.kind { break }
                items.append(try parseExpression())
            }
            try expectSymbol(")")
            return .tuple(items)
        case .symbol("["):
            advance()
            var items: [TemplateExpression] = []
            while !consumeSymbol("]") {
                items.append(try parseExpression())
                if !consumeSymbol(",") {
                    try expectSymbol("]")
                    break
                }
            }
            return .list(items)
        case .symbol("{"):
            advance()
            var pairs: [(key: TemplateExpression, value: TemplateExpression)] = []
            while !consumeSymbol("}") {
                let key = try parseExpression()
                try expectSymbol(":")
                pairs.append((key, try parseExpression()))
                if !consumeSymbol(",") {
                    try expectSymbol("}")
                    break
                }
            }
            return .dictionary(pairs)
        default:
            throw .syntax("expected an expression", line: token.line)
        }
    }

    private mutating func parsePostfix(_ base: TemplateExpression) throws(TemplateError) -> TemplateExpression {
        var expression = base
        while true {
            if consumeSymbol(".") {
                switch current.kind {
                case .name(let name):
                    advance()
                    expression = .attribute(expression, name)
                case .integer(let index):
                    advance()
                    expression = .item(expression, .literal(.int(index)))
                default:
                    throw .syntax("expected an attribute name after '.'", line: current.line)
                }
            } else if consumeSymbol("[") {
                expression = try parseSubscript(of: expression)
            } else if consumeSymbol("(") {
                expression = .call(expression, try parseArguments())
            } else {
                return expression
            }
        }
    }

    private mutating func parseSubscript(of object: TemplateExpression) throws(TemplateError) -> TemplateExpression {
        func isSliceEnd(_ kind: TemplateToken.Kind) -> Bool {
            kind == .symbol(":") || kind == .symbol("]")
        }
        var start: TemplateExpression?
        if !isSliceEnd(current.kind) { start = try parseExpression() }
        guard consumeSymbol(":") else {
            try expectSymbol("]")
            guard let start else { throw .syntax("empty subscript", line: current.line) }
            return .item(object, start)
        }
        var stop: TemplateExpression?, step: TemplateExpression?
        if !isSliceEnd(current.kind) { stop = try parseExpression() }
        if consumeSymbol(":"), current.kind != .symbol("]") { step = try parseExpression() }
        try expectSymbol("]")
        return .slice(object, start: start, stop: stop, step: step)
    }

    /// Arguments after an opening parenthesis, through the closing one.
    private mutating func parseArguments() throws(TemplateError) -> CallArguments {
        var arguments = CallArguments()
        while !consumeSymbol(")") {
            if case .symbol(let symbol) = current.kind, symbol == "*" || symbol == "**" {
                throw .unsupported("'\(symbol)' argument unpacking", line: current.line)
            }
            if case .name(let name) = current.kind, case .symbol("=") = peek(1).kind {
                advance(2)
                arguments.keyword.append((name, try parseExpression()))
            } else {
                guard arguments.keyword.isEmpty else {
                    throw .syntax("positional argument after keyword argument", line: current.line)
                }
                arguments.positional.append(try parseExpression())
            }
            if !consumeSymbol(",") {
                try expectSymbol(")")
                break
            }
        }
        return arguments
    }

    private mutating func parseFiltersAndTests(_ base: TemplateExpression) throws(TemplateError) -> TemplateExpression {
        var expression = base
        while true {
            if consumeSymbol("|") {
                let name = try expectDottedName("a filter name")
                let arguments = consumeSymbol("(") ? try parseArguments() : CallArguments()
                expression = .filter(expression, name: name, arguments)
            } else if consumeName("is") {
                let negated = consumeName("not")
                let name = try expectDottedName("a test name")
                var arguments = CallArguments()
                if consumeSymbol("(") {
                    arguments = try parseArguments()
                } else if startsTestArgument(current.kind) {
                    arguments.positional = [try parsePostfix(try parsePrimary())]
                }
                expression = .test(expression, name: name, arguments, negated: negated)
            } else {
                return expression
            }
        }
    }

    /// Jinja lets a test take one argument without parentheses: `x is divisibleby 3`.
    private func startsTestArgument(_ kind: TemplateToken.Kind) -> Bool {
        switch kind {
        case .name(let name): !["else", "or", "and", "if", "is", "in", "not"].contains(name)
        case .string, .integer, .float: true
        case .symbol(let symbol): symbol == "[" || symbol == "{"
        default: false
        }
    }

    // MARK: - Token helpers

    private var current: TemplateToken { tokens[min(index, tokens.count - 1)] }

    private func peek(_ offset: Int) -> TemplateToken { tokens[min(index + offset, tokens.count - 1)] }

    private mutating func advance(_ count: Int = 1) { index = min(index + count, tokens.count - 1) }

    private mutating func consumeSymbol(_ symbol: String) -> Bool {
        guard current.kind == .symbol(symbol) else { return false }
        advance()
        return true
    }

    private mutating func consumeName(_ name: String) -> Bool {
        guard current.kind == .name(name) else { return false }
        advance()
        return true
    }

    private mutating func expect(_ kind: TemplateToken.Kind, _ description: String) throws(TemplateError) {
        guard current.kind == kind else { throw .syntax("expected \(description)", line: current.line) }
        advance()
    }

    private mutating func expectSymbol(_ symbol: String) throws(TemplateError) {
        try expect(.symbol(symbol), "'\(symbol)'")
    }

    private mutating func expectName(_ description: String) throws(TemplateError) -> String {
        guard case .name(let name) = current.kind else { throw .syntax("expected \(description)", line: current.line) }
        advance()
        return name
    }

    private mutating func expectDottedName(_ description: String) throws(TemplateError) -> String {
        var name = try expectName(description)
        while case .symbol(".") = current.kind, case .name(let part) = peek(1).kind {
            advance(2)
            name += "." + part
        }
        return name
    }
}
