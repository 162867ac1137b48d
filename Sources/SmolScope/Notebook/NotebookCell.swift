/// The pieces of a Markdown notebook. Every piece keeps its exact byte span in the file, so a
/// rewrite can replace recorded outputs and copy everything else through untouched.
public enum NotebookCell: Sendable, Equatable {
    /// Prose (and any fenced blocks that are not `smol` cells) between code cells.
    case markdown(MarkdownCell)
    case code(CodeCell)
}

/// A stretch of prose, exactly as written.
public struct MarkdownCell: Sendable, Equatable {
    /// Byte offsets in the file.
    public var span: Range<Int>
    /// 1-based line of the first byte.
    public var line: Int
    public var text: String
}

/// A ` ```smol ` fenced block: commands run in the notebook's session, followed by its recorded
/// ` ```output ` block (absent until the notebook is first run).
public struct CodeCell: Sendable, Equatable {
    /// Words allowed after `smol` in the info string.
    public enum Attribute: String, Sendable, CaseIterable {
        /// The cell is meant to fail (to show an error message); its error is its output, and a
        /// check fails if it stops failing. Exported with the `raises-exception` tag nbclient knows.
        case expectError = "expect-error"
    }

    /// 0-based position among the notebook's code cells.
    public var index: Int
    /// The whole fenced block, fences included, in bytes.
    public var span: Range<Int>
    /// 1-based line of the opening fence.
    public var line: Int
    /// 1-based line of the first command line (the line after the fence).
    public var sourceLine: Int { line + 1 }
    /// The commands, lines joined with `\n` (fence indentation removed).
    public var source: String
    public var attributes: Set<Attribute>
    public var output: OutputBlock?

    public var expectsError: Bool { attributes.contains(.expectError) }

    /// The first non-blank command line, to name the cell in reports.
    public var title: String {
        source.split(separator: "\n").first { !$0.allSatisfy(\.isWhitespace) }.map(String.init) ?? "(empty cell)"
    }
}

/// A cell's recorded output: the ` ```output ` fenced block after it.
public struct OutputBlock: Sendable, Equatable {
    /// The whole block, fences included.
    public var span: Range<Int>
    /// The lines between the fences (where a rewrite puts the new output).
    public var contentSpan: Range<Int>
    /// 1-based line of the opening fence.
    public var line: Int
    /// The opening fence as written (its indentation is removed from, and restored to, the content).
    var fence: CodeFence
    /// The recorded text: lines joined with `\n`, without the final line break.
    public var text: String
}
