/// A lexical token of a template.
struct TemplateToken: Equatable {
    enum Kind: Equatable {
        /// Literal output text, whitespace control already applied.
        case text(String)
        case outputStart, outputEnd, statementStart, statementEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        /// Operators and punctuation: `+ - * / // % ** ~ == != < <= > >= ( ) [ ] { } , . : | =`.
        case symbol(String)
        case end
    }

    let kind: Kind
    let line: Int
}

/// Splits template source into text and tag tokens with Jinja's whitespace rules as HF renders
/// chat templates (`trim_blocks=True`, `lstrip_blocks=True`, `keep_trailing_newline=False`):
///
/// - `{%-` / `{{-` / `{#-` remove all whitespace before the tag, `-%}` / `-}}` / `-#}` all after;
/// - trim_blocks: the first newline after a `%}` or `#}` is removed;
/// - lstrip_blocks: spaces and tabs between the start of a line and a `{%` or `{#` are removed
///   (`{%+` disables it);
/// - newlines are normalised to `\n` and one trailing newline of the template is dropped.
struct TemplateLexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    private var tokens: [TemplateToken] = []
    /// Whether the text about to be read starts a line (Jinja's `line_starting`).
    private var atLineStart = true

    private init(source: String) {
        var text = source.replacingNewlines()
        if text.hasSuffix("\n") { text.removeLast() }
        scalars = Array(text.unicodeScalars)
    }

    static func tokenize(_ source: String) throws(TemplateError) -> [TemplateToken] {
        var lexer = TemplateLexer(source: source)
        try lexer.run()
        return lexer.tokens
    }

    // MARK: - Text and tags

    private enum TagKind {
        case output, statement, comment
    }

    private mutating func run() throws(TemplateError) {
        while position < scalars.count {
            let opener = nextTagOpener(from: position)
            var text = String(String.UnicodeScalarView(scalars[position..<(opener ?? scalars.count)]))
            guard let opener else {
                emitText(text)
                position = scalars.count
                break
            }
            let kind: TagKind = switch scalars[opener + 1] {
            case "{": .output
            case "%": .statement
            default: .comment
            }
            let modifier = opener + 2 < scalars.count ? scalars[opener + 2] : nil
            if modifier == "-" {
                text = text.trimmingTrailingWhitespace()
            } else if kind != .output, modifier != "+" {
                text = strippingIndentation(of: text)
            }
            emitText(text)
            position = opener + 2 + (modifier == "-" || modifier == "+" ? 1 : 0)
            switch kind {
            case .comment: try skipComment()
            case .output: try lexTag(start: .outputStart, end: .outputEnd, closer: "}")
            case .statement: try lexTag(start: .statementStart, end: .statementEnd, closer: "%")
            }
        }
        tokens.append(TemplateToken(kind: .end, line: line))
    }

    private func nextTagOpener(from start: Int) -> Int? {
        var index = start
        while index + 1 < scalars.count {
            if scalars[index] == "{", ["{", "%", "#"].contains(scalars[index + 1]) { return index }
            index += 1
        }
        return nil
    }

    /// lstrip_blocks: drop spaces/tabs between the last line start and the tag.
    private func strippingIndentation(of text: String) -> String {
        let textScalars = Array(text.unicodeScalars)
        let lineStart = (textScalars.lastIndex(of: "\n").map { $0 + 1 }) ?? 0
        guard lineStart > 0 || atLineStart else { return text }
        guard textScalars[lineStart...].allSatisfy({ $0 == " " || $0 == "\t" }) else { return text }
        return String(String.UnicodeScalarView(textScalars[..<lineStart]))
    }

    private mutating func emitText(_ text: String) {
        if !text.isEmpty { tokens.append(TemplateToken(kind: .text(text), line: line)) }
        line += text.unicodeScalars.count { $0 == "\n" }
    }

    private mutating func skipComment() throws(TemplateError) {
        let startLine = line
        while position + 1 < scalars.count {
            if scalars[position] == "#", scalars[position + 1] == "}" {
                let modifier = position > 0 ? scalars[position - 1] : nil
                position += 2
                consumeWhitespaceAfterTag(trimsAll: modifier == "-", isBlock: true, keepsNewline: modifier == "+")
                return
            }
            if scalars[position] == "\n" { line += 1 }
            position += 1
        }
        throw .syntax("comment opened here is never closed with '#}'", line: startLine)
    }

    /// After a tag: `-` removes all following whitespace; otherwise trim_blocks removes one
    /// newline after a statement or comment (not after `+%}`).
    private mutating func consumeWhitespaceAfterTag(trimsAll: Bool, isBlock: Bool, keepsNewline: Bool) {
        if trimsAll {
            var lastConsumed: Unicode.Scalar?
            while position < scalars.count, scalars[position].properties.isWhitespace {
                lastConsumed = scalars[position]
                if scalars[position] == "\n" { line += 1 }
                position += 1
            }
            atLineStart = lastConsumed == "\n"
        } else if isBlock, !keepsNewline, position < scalars.count, scalars[position] == "\n" {
            position += 1
            line += 1
            atLineStart = true
        } else {
            atLineStart = false
        }
    }

    // MARK: - Inside tags

    private mutating func lexTag(start: TemplateToken.Kind, end: TemplateToken.Kind, closer: Unicode.Scalar) throws(TemplateError) {
        let startLine = line
        tokens.append(TemplateToken(kind: start, line: line))
        var depth = 0
        while true {
            skipWhitespaceInTag()
            guard position < scalars.count else {
                throw .syntax("tag opened here is never closed with '\(closer)}'", line: startLine)
            }
            if depth == 0, let (length, trimsAll, keepsNewline) = closerAhead(closer) {
                position += length
                tokens.append(TemplateToken(kind: end, line: line))
                consumeWhitespaceAfterTag(trimsAll: trimsAll, isBlock: closer == "%", keepsNewline: keepsNewline)
                return
            }
            let kind = try lexExpressionToken()
            if case .symbol(let symbol) = kind {
                if ["(", "[", "{"].contains(symbol) { depth += 1 }
                if [")", "]", "}"].contains(symbol) { depth = max(0, depth - 1) }
            }
            tokens.append(TemplateToken(kind: kind, line: line))
        }
    }

    /// `}}` / `-}}` or `%}` / `-%}` / `+%}` at the current position: (length, trims all, keeps newline).
    private func closerAhead(_ closer: Unicode.Scalar) -> (Int, Bool, Bool)? {
        func matches(_ offset: Int, _ text: [Unicode.Scalar]) -> Bool {
            position + offset + text.count <= scalars.count
                && text.indices.allSatisfy { scalars[position + offset + $0] == text[$0] }
        }
        if matches(0, [closer, "}"]) { return (2, false, false) }
        if matches(0, ["-", closer, "}"]) { return (3, true, false) }
        if closer == "%", matches(0, ["+", "%", "}"]) { return (3, false, true) }
        return nil
    }

    private mutating func skipWhitespaceInTag() {
        while position < scalars.count, scalars[position].properties.isWhitespace {
            if scalars[position] == "\n" { line += 1 }
            position += 1
        }
    }

    private mutating func lexExpressionToken() throws(TemplateError) -> TemplateToken.Kind {
        let scalar = scalars[position]
        if scalar == "_" || (scalar.isASCII && scalar.properties.isAlphabetic) {
            let start = position
            while position < scalars.count,
                  scalars[position] == "_" || (scalars[position].isASCII && scalars[position].properties.isAlphabetic)
                    || ("0"..."9").contains(scalars[position]) {
                position += 1
            }
            return .name(String(String.UnicodeScalarView(scalars[start..<position])))
        }
        if ("0"..."9").contains(scalar) { return try lexNumber() }
        if scalar == "'" || scalar == "\"" { return .string(try lexString(quote: scalar)) }
        for symbol in ["//", "**", "==", "!=", "<=", ">="] where hasPrefix(symbol) {
            position += 2
            return .symbol(symbol)
        }
        if "+-*/%~<>()[]{},.:|=".unicodeScalars.contains(scalar) {
            position += 1
            return .symbol(String(scalar))
        }
        throw .syntax("unexpected character '\(scalar)' in a tag", line: line)
    }

    private func hasPrefix(_ text: String) -> Bool {
        let expected = Array(text.unicodeScalars)
        return position + expected.count <= scalars.count
            && expected.indices.allSatisfy { scalars[position + $0] == expected[$0] }
    }

    private mutating func lexNumber() throws(TemplateError) -> TemplateToken.Kind {
        let start = position
        var isFloat = false
        func digits() { while position < scalars.count, ("0"..."9").contains(scalars[position]) { position += 1 } }
        digits()
        if position + 1 < scalars.count, scalars[position] == ".", ("0"..."9").contains(scalars[position + 1]) {
            isFloat = true
            position += 1
            digits()
        }
        if position < scalars.count, scalars[position] == "e" || scalars[position] == "E" {
            let save = position
            position += 1
            if position < scalars.count, scalars[position] == "+" || scalars[position] == "-" { position += 1 }
            if position < scalars.count, ("0"..."9").contains(scalars[position]) {
                isFloat = true
                digits()
            } else {
                position = save
            }
        }
        let lexeme = String(String.UnicodeScalarView(scalars[start..<position]))
        if !isFloat, let value = Int(lexeme) { return .integer(value) }
        guard let value = Double(lexeme) else { throw .syntax("invalid number '\(lexeme)'", line: line) }
        return .float(value)
    }

    /// A string literal with Python escapes (`\n`, `\t`, `\\`, `\'`, `\"`, `\xHH`, `\uHHHH`, …);
    /// an unknown escape keeps its backslash, as Python does.
    private mutating func lexString(quote: Unicode.Scalar) throws(TemplateError) -> String {
        let startLine = line
        position += 1
        var result = String.UnicodeScalarView()
        while position < scalars.count {
            let scalar = scalars[position]
            position += 1
            if scalar == quote { return String(result) }
            if scalar == "\n" { line += 1 }
            guard scalar == "\\", position < scalars.count else {
                result.append(scalar)
                continue
            }
            let escape = scalars[position]
            position += 1
            switch escape {
            case "n": result.append("\n")
            case "t": result.append("\t")
            case "r": result.append("\r")
            case "0": result.append("\0")
            case "a": result.append("\u{07}")
            case "b": result.append("\u{08}")
            case "f": result.append("\u{0C}")
            case "v": result.append("\u{0B}")
            case "\\", "'", "\"": result.append(escape)
            case "\n": line += 1  // line continuation
            case "x", "u", "U":
                let width = escape == "x" ? 2 : escape == "u" ? 4 : 8
                guard position + width <= scalars.count,
                      let value = UInt32(String(String.UnicodeScalarView(scalars[position..<(position + width)])), radix: 16),
                      let decoded = Unicode.Scalar(value) else {
                    throw .syntax("invalid \\\(escape) escape in a string", line: line)
                }
                result.append(decoded)
                position += width
            default:
                result.append("\\")
                result.append(escape)
            }
        }
        throw .syntax("string opened here is never closed", line: startLine)
    }
}

extension String {
    /// `\r\n` and `\r` as `\n`, as Jinja's lexer normalises them.
    func replacingNewlines() -> String {
        guard unicodeScalars.contains("\r") else { return self }
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                result.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            result.append(scalar)
        }
        return String(result)
    }

    /// Python's `str.rstrip()` with no argument.
    func trimmingTrailingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let last = scalars.last, PythonText.isWhitespace(last) { scalars.removeLast() }
        return String(scalars)
    }
}
