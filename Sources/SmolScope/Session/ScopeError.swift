/// Why a command could not run. Every case reads as one line; the session stays usable after any
/// of them, and in a script the runner prefixes `file:line:`.
public enum ScopeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not a well-formed statement (e.g. an unterminated string).
    case syntax(String)
    case unknownCommand(String, suggestion: String?)
    /// Wrong arguments; `usage` is the command's synopsis.
    case usage(command: String, problem: String, usage: String)
    /// A layer, head, position or id outside its valid range.
    case outOfRange(what: String, value: String, valid: String)
    case noModel
    /// The command needs tokens in the sequence.
    case emptySequence
    /// The command needs a tokenizer the model does not have.
    case noTokenizer(model: String)
    /// Data the command reads was not recorded during the forward pass.
    case notRecorded(String)
    /// A file, model or computation failed; the message says why.
    case failed(String)
    /// Stopped by the user (Ctrl-C or a kernel interrupt).
    case interrupted

    public var description: String {
        switch self {
        case .syntax(let m): "syntax error: \(m)"
        case .unknownCommand(let n, let s):
            "unknown command '\(n)'" + (s.map { " (did you mean '\($0)'?)" } ?? "; type 'help' for the list")
        case .usage(let c, let p, let u): "\(c): \(p) (usage: \(u))"
        case .outOfRange(let w, let v, let r): "\(w) \(v) is out of range (\(r))"
        case .noModel: "no model loaded; try 'load tiny' or 'load smollm2'"
        case .emptySequence: "the sequence is empty; run 'prompt TEXT' or 'chat TEXT' first"
        case .noTokenizer(let m): "model '\(m)' has no tokenizer; use token ids (e.g. 'prompt ids=1,2,3')"
        case .notRecorded(let m): m
        case .failed(let m): m
        case .interrupted: "interrupted"
        }
    }
}
