/// Why a notebook could not be read, parsed or written. Each case names the file (and the line,
/// when there is one) the way compilers do, so an editor can jump to it:
/// `notebooks/02-rope-vs-nope.md:41: error: unterminated ```smol cell`.
public enum NotebookError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notUTF8(path: String)
    /// A ` ```smol ` cell or ` ```output ` block whose closing fence never comes.
    case unterminatedFence(file: String, line: Int, tag: String)
    /// An ` ```output ` block that does not directly follow a ` ```smol ` cell (only blank lines may
    /// separate them), or a second output block for the same cell.
    case strayOutput(file: String, line: Int)
    /// A word after `smol` in a cell's info string that the notebook format does not know.
    case unknownAttribute(file: String, line: Int, attribute: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): error: cannot read the notebook (\(reason))"
        case .notUTF8(let path): "\(path): error: the notebook is not valid UTF-8"
        case .unterminatedFence(let file, let line, let tag):
            "\(file):\(line): error: unterminated ```\(tag) block (close it with a line of backticks)"
        case .strayOutput(let file, let line):
            "\(file):\(line): error: an ```output block must directly follow a ```smol cell (only blank lines between)"
        case .unknownAttribute(let file, let line, let attribute):
            "\(file):\(line): error: unknown cell attribute '\(attribute)' (known: \(CodeCell.Attribute.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .unwritable(let path, let reason): "\(path): error: cannot write (\(reason))"
        }
    }
}
