/// Where a statement starts in its source (1-based).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// One lexed word: its text with quotes removed and escapes applied.
public struct Word: Sendable, Equatable {
    public var text: String
    /// Some part of the word was quoted.
    public var quoted: Bool
    /// For `key=value` with the key and the `=` unquoted: the key's length in unicode scalars.
    public var keyLength: Int?

    public init(_ text: String, quoted: Bool = false, keyLength: Int? = nil) {
        self.text = text
        self.quoted = quoted
        self.keyLength = keyLength
    }
}

/// One command as written: its name, arguments and where it came from.
public struct Statement: Sendable, Equatable {
    /// One argument of a command, classified by its spelling.
    public enum Argument: Sendable, Equatable {
        /// A plain word or quoted string.
        case positional(String)
        /// `key=value` (the key is an identifier; the value may be quoted).
        case option(key: String, value: String)
        /// `--name`.
        case flag(String)
    }

    public var name: String
    public var arguments: [Argument]
    public var location: SourceLocation
    /// The statement's source text, for echoing in transcripts.
    public var text: String

    public init(name: String, arguments: [Argument] = [], location: SourceLocation = SourceLocation(line: 1, column: 1), text: String? = nil) {
        self.name = name
        self.arguments = arguments
        self.location = location
        self.text = text ?? ([name] + arguments.map(\.spelling)).joined(separator: " ")
    }

    /// Classifies lexed words: the first is the command name; `--x` is a flag, `key=value` an
    /// option, anything else (including every quoted word) positional.
    init(words: [Word], location: SourceLocation, text: String) {
        name = words[0].text
        arguments = words.dropFirst().map { w in
            if let k = w.keyLength {
                let scalars = w.text.unicodeScalars
                let key = String(String.UnicodeScalarView(scalars.prefix(k)))
                let value = String(String.UnicodeScalarView(scalars.dropFirst(k + 1)))
                return .option(key: key.hasPrefix("--") ? String(key.dropFirst(2)) : key, value: value)
            }
            if !w.quoted, w.text.hasPrefix("--"), w.text.count > 2 { return .flag(String(w.text.dropFirst(2))) }
            return .positional(w.text)
        }
        self.location = location
        self.text = text
    }
}

extension Statement.Argument {
    /// The argument written back in the command language.
    public var spelling: String {
        switch self {
        case .positional(let s): Lexer.quoteIfNeeded(s)
        case .option(let k, let v): k + "=" + Lexer.quoteIfNeeded(v)
        case .flag(let f): "--" + f
        }
    }
}
