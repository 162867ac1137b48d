/// Why a chat template could not be parsed or rendered. Every case carries the template line, so
/// an unsupported construct in a model's template is reported where it is, never rendered as a
/// subtly wrong prompt.
public enum TemplateError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The template text is not valid Jinja.
    case syntax(String, line: Int)
    /// Valid Jinja that this interpreter does not implement (a tag, filter, test, method…).
    case unsupported(String, line: Int)
    /// Evaluation failed: a type error, an undefined value used where Jinja would raise, …
    case runtime(String, line: Int)
    /// The template called `raise_exception(message)`.
    case raised(String, line: Int)

    public var line: Int {
        switch self {
        case .syntax(_, let line), .unsupported(_, let line), .runtime(_, let line), .raised(_, let line): line
        }
    }

    public var description: String {
        switch self {
        case .syntax(let message, let line): "template syntax error on line \(line): \(message)"
        case .unsupported(let construct, let line): "unsupported template construct on line \(line): \(construct)"
        case .runtime(let message, let line): "template error on line \(line): \(message)"
        case .raised(let message, let line): "template raised an exception on line \(line): \(message)"
        }
    }
}
