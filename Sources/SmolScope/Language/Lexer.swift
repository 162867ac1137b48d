/// Splits command-language source into statements.
///
/// Grammar (also in `help syntax` and docs/repl.md):
///
///     script     = { line } ;
///     line       = [ statement { ";" statement } ] [ comment ] newline ;
///     statement  = name { argument } ;
///     argument   = word | key "=" word | "--" flag ;
///     word       = bare | '"' chars-with-escapes '"' | "'" raw-chars "'" | '"""' raw-multi-line '"""' ;
///                  (in a bare word, spaces inside [ ] do not end it: `[0, :8]` is one word)
///     comment    = "#" { any } ;          (a "#" that starts a word)
///
/// A backslash at the end of a line continues the statement on the next line. Escapes in double
/// quotes: `\n \t \r \\ \" \' \u{1F600}`. A word may mix bare and quoted parts: `system="Be brief."`.
public enum Lexer {
    /// One statement, or the error that made a line unreadable (the lexer resumes at the next line).
    public enum Item: Sendable, Equatable {
        case statement(Statement)
        case error(ScopeError, SourceLocation)
    }

    /// Whether `source` can be run as is, needs more lines (open `"""` or trailing `\`), or is broken.
    public enum Completeness: Sendable, Equatable { case complete, incomplete, invalid }

    public static func completeness(_ source: String) -> Completeness {
        var s = Scanner(source)
        var sawError = false
        while let item = s.next() {
            if case .error(let e, _) = item {
                if e == .syntax("unterminated \"\"\" string") || e == .syntax("line continuation at end of input") {
                    return .incomplete
                }
                sawError = true
            }
        }
        return sawError ? .invalid : .complete
    }

    public static func statements(_ source: String) -> [Item] {
        var s = Scanner(source)
        var items: [Item] = []
        while let item = s.next() { items.append(item) }
        return items
    }

    /// Parses exactly one statement (for programmatic use); nil for empty input.
    public static func statement(_ source: String) throws(ScopeError) -> Statement? {
        for item in statements(source) {
            switch item {
            case .statement(let st): return st
            case .error(let e, _): throw e
            }
        }
        return nil
    }

    /// `s` as one word of the language: bare when possible, else double-quoted with escapes.
    public static func quoteIfNeeded(_ s: String) -> String {
        let special: Set<Character> = [" ", "\t", "\n", "\r", ";", "#", "\"", "'", "\\", "="]
        if !s.isEmpty, !s.contains(where: { special.contains($0) }) { return s }
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}

/// The lexer's cursor over unicode scalars.
private struct Scanner {
    let chars: [Unicode.Scalar]
    var i = 0
    var line = 1
    var lineStart = 0

    init(_ source: String) { chars = Array(source.unicodeScalars) }

    var atEnd: Bool { i >= chars.count }
    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < chars.count ? chars[i + k] : nil }

    mutating func advance() {
        if chars[i] == "\n" {
            line += 1
            lineStart = i + 1
        }
        i += 1
    }

    mutating func skipToNextLine() {
        while let c = peek(), c != "\n" { advance() }
        if !atEnd { advance() }
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" }
    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || f.properties.isAlphabetic || f == "-" else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0 == "-" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }

    /// The next statement or error; nil at the end of the source.
    mutating func next() -> Lexer.Item? {
        var words: [Word] = []
        var start: (index: Int, location: SourceLocation)?
        var end = i
        while true {
            // Between words.
            while let c = peek(), Self.isSpace(c) { advance() }
            guard let c = peek() else { break }
            if c == "\n" || c == ";" {
                advance()
                if words.isEmpty { continue }
                break
            }
            if c == "#" {
                while let c = peek(), c != "\n" { advance() }
                continue
            }
            if c == "\\", peek(1) == "\n" || (peek(1) == "\r" && peek(2) == "\n") {
                advance()
                if peek() == "\r" { advance() }
                guard !atEnd else { return .error(.syntax("line continuation at end of input"), location(i)) }
                advance()
                continue
            }
            if c == "\\", peek(1) == nil {
                advance()
                return .error(.syntax("line continuation at end of input"), location(i - 1))
            }
            if start == nil { start = (i, location(i)) }
            let wordStart = location(i)
            switch word() {
            case .success(let w):
                words.append(w)
                end = i
            case .failure(let e):
                skipToNextLine()
                return .error(e, wordStart)
            }
        }
        guard let start, !words.isEmpty else { return nil }
        let text = String(String.UnicodeScalarView(chars[start.index..<end]))
        return .statement(Statement(words: words, location: start.location, text: text))
    }

    func location(_ index: Int) -> SourceLocation { SourceLocation(line: line, column: index - lineStart + 1) }

    /// One word, starting at a non-space character.
    mutating func word() -> Result<Word, ScopeError> {
        var text = String.UnicodeScalarView()
        var quoted = false
        var keyLength: Int?
        var bareSoFar = true
        var brackets = 0
        while let c = peek() {
            if (Self.isSpace(c) && brackets == 0) || c == "\n" || c == ";" { break }
            if c == "\"" && peek(1) == "\"" && peek(2) == "\"" {
                advance(); advance(); advance()
                quoted = true
                bareSoFar = false
                if peek() == "\n" { advance() } else if peek() == "\r", peek(1) == "\n" { advance(); advance() }
                var closed = false
                while let d = peek() {
                    if d == "\"" && peek(1) == "\"" && peek(2) == "\"" {
                        advance(); advance(); advance()
                        closed = true
                        break
                    }
                    text.append(d)
                    advance()
                }
                if !closed { return .failure(.syntax("unterminated \"\"\" string")) }
            } else if c == "\"" || c == "'" {
                advance()
                quoted = true
                bareSoFar = false
                var closed = false
                while let d = peek(), d != "\n" {
                    advance()
                    if d == c { closed = true; break }
                    if d == "\\" && c == "\"" {
                        guard let e = peek(), e != "\n" else { break }
                        advance()
                        switch e {
                        case "n": text.append("\n")
                        case "t": text.append("\t")
                        case "r": text.append("\r")
                        case "0": text.append("\0")
                        case "\\", "\"", "'": text.append(e)
                        case "u":
                            guard peek() == "{" else { return .failure(.syntax("expected \\u{hex} in a string")) }
                            advance()
                            var hex = ""
                            while let h = peek(), h != "}", h != "\"", h != "\n" { hex.unicodeScalars.append(h); advance() }
                            guard peek() == "}", let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else {
                                return .failure(.syntax("bad \\u{\(hex)} escape"))
                            }
                            advance()
                            text.append(s)
                        default: return .failure(.syntax("unknown escape \\\(e) in a string (use \\\\ for a backslash)"))
                        }
                    } else {
                        text.append(d)
                    }
                }
                if !closed { return .failure(.syntax("unterminated \(c == "\"" ? "\"" : "'") string")) }
            } else {
                if c == "[" { brackets += 1 }
                if c == "]", brackets > 0 { brackets -= 1 }
                if c == "=", bareSoFar, keyLength == nil, Self.isIdentifier(String(String.UnicodeScalarView(text)).trimmingDashes) {
                    keyLength = text.count
                }
                text.append(c)
                advance()
            }
        }
        return .success(Word(String(text), quoted: quoted, keyLength: keyLength))
    }
}

private extension String {
    /// `--key` → `key`, for `--key=value` options.
    var trimmingDashes: String { hasPrefix("--") ? String(dropFirst(2)) : self }
}
