import Foundation

/// A notebook: a Markdown file in which every ` ```smol ` fenced block is a code cell and the
/// ` ```output ` block right after it is that cell's recorded output (see notebooks/README.md).
///
/// Parsing keeps the byte span of every piece, so ``rewritten(outputs:)`` replaces the contents
/// of output blocks (inserting missing ones) and copies every other byte of the file unchanged:
/// prose, other code blocks, line endings, a missing final newline.
public struct NotebookDocument: Sendable {
    /// The path as given, for messages about the file itself.
    public let path: String
    /// The file name without its directory: recorded errors name it (`01-tour.md:42: error: …`), so
    /// outputs do not depend on where the notebook was run from.
    public let name: String
    public let bytes: [UInt8]
    /// Prose and code cells in file order (prose that is only blank lines is left out).
    public let cells: [NotebookCell]
    /// `\n`, or `\r\n` when the file's first line ends that way; used for inserted lines.
    let lineBreak: String

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public var codeCells: [CodeCell] {
        cells.compactMap { if case .code(let c) = $0 { c } else { nil } }
    }

    /// What the notebook's `load` commands load (`tiny`, `smollm2`, a path…), in order: tells a
    /// test harness whether the notebook can run offline.
    public var modelsLoaded: [String] {
        codeCells.flatMap { cell in
            Lexer.statements(cell.source).compactMap { item -> String? in
                guard case .statement(let s) = item, s.name == "load" else { return nil }
                return s.arguments.lazy.compactMap { if case .positional(let p) = $0 { p } else { nil } }.first
            }
        }
    }

    /// The directory holding the notebook: relative paths in its commands resolve against it,
    /// as they do in Jupyter, whose kernels start in the notebook's directory.
    public var directory: String {
        URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
    }

    public init(contentsOfFile path: String) throws(NotebookError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        try self.init(bytes: [UInt8](data), path: path)
    }

    /// Parses `text` as if read from `path`.
    public init(text: String, path: String) throws(NotebookError) {
        try self.init(bytes: Array(text.utf8), path: path)
    }

    init(bytes: [UInt8], path: String) throws(NotebookError) {
        guard String(validatingUTF8Bytes: bytes) != nil else { throw .notUTF8(path: path) }
        self.path = path
        self.name = URL(fileURLWithPath: path).lastPathComponent
        self.bytes = bytes
        let lines = SourceLines(bytes)
        self.lineBreak = lines.firstLineBreak
        self.cells = try Self.parse(lines, bytes: bytes, file: path)
    }

    // MARK: - Parsing

    private static func parse(_ lines: SourceLines, bytes: [UInt8], file: String) throws(NotebookError) -> [NotebookCell] {
        var cells: [NotebookCell] = []
        var prose = (start: 0, line: 1)
        /// The code cell an output block may still attach to (only blank lines since it closed).
        var openCell: Int?
        var codeCount = 0

        func flushProse(until end: Int) {
            guard prose.start < end else { return }
            let text = String(decoding: bytes[prose.start..<end], as: UTF8.self)
            guard !text.allSatisfy(\.isWhitespace) else { return }
            cells.append(.markdown(MarkdownCell(span: prose.start..<end, line: prose.line, text: text)))
        }

        var i = 0
        while i < lines.count {
            let line = lines[i]
            guard let fence = CodeFence(opening: lines.content(i)) else {
                if !lines.isBlank(i) { openCell = nil }
                i += 1
                continue
            }
            var close = i + 1
            while close < lines.count, !fence.isClosed(by: lines.content(close)) { close += 1 }
            let closed = close < lines.count
            let body = (i + 1)..<min(close, lines.count)

            switch fence.tag {
            case "smol":
                guard closed else { throw .unterminatedFence(file: file, line: line.number, tag: "smol") }
                var attributes: Set<CodeCell.Attribute> = []
                for word in fence.attributes {
                    guard let a = CodeCell.Attribute(rawValue: word) else {
                        throw .unknownAttribute(file: file, line: line.number, attribute: word)
                    }
                    attributes.insert(a)
                }
                flushProse(until: line.start)
                let cell = CodeCell(index: codeCount, span: line.start..<lines[close].end, line: line.number,
                                    source: lines.text(body, dedent: fence.indent), attributes: attributes, output: nil)
                codeCount += 1
                cells.append(.code(cell))
                openCell = cells.count - 1
            case "output":
                guard closed else { throw .unterminatedFence(file: file, line: line.number, tag: "output") }
                guard let index = openCell, case .code(var cell) = cells[index] else {
                    throw .strayOutput(file: file, line: line.number)
                }
                cell.output = OutputBlock(span: line.start..<lines[close].end, contentSpan: line.end..<lines[close].start,
                                          line: line.number, fence: fence, text: lines.text(body, dedent: fence.indent))
                cells[index] = .code(cell)
                openCell = nil
            default:
                // Any other fenced block is prose; it is skipped whole so its lines are not read as fences.
                openCell = nil
                i = closed ? close + 1 : lines.count
                continue
            }
            i = close + 1
            prose = (lines.end(of: close), close + 2)
        }
        flushProse(until: bytes.count)
        return cells
    }

    // MARK: - Rewriting

    /// The file with code cell `k`'s output block holding `outputs[k]` (one string per code cell,
    /// lines joined with `\n`). Existing blocks keep their fence unless the new text would close it
    /// early; cells without a block get one, after a blank line. Nothing else changes.
    public func rewritten(outputs: [String]) -> String {
        precondition(outputs.count == codeCells.count, "one output per code cell")
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var cursor = 0
        func copy(to end: Int) {
            out.append(contentsOf: bytes[cursor..<end])
            cursor = end
        }
        func write(_ s: String) { out.append(contentsOf: Array(s.utf8)) }
        func block(_ fence: CodeFence, _ text: String) -> String {
            fence.openingLine + lineBreak + content(text, indent: fence.indent) + fence.closingLine
        }

        for cell in codeCells {
            let text = outputs[cell.index]
            if let recorded = cell.output {
                if recorded.fence.canEnclose(text) {
                    copy(to: recorded.contentSpan.lowerBound)
                    write(content(text, indent: recorded.fence.indent))
                    cursor = recorded.contentSpan.upperBound
                } else {
                    copy(to: recorded.span.lowerBound)
                    let fence = CodeFence.backticks(for: text, indent: recorded.fence.indent, info: recorded.fence.info)
                    write(block(fence, text) + (endsWithLineBreak(recorded.span) ? lineBreak : ""))
                    cursor = recorded.span.upperBound
                }
            } else {
                copy(to: cell.span.upperBound)
                if !endsWithLineBreak(cell.span) { write(lineBreak) }
                write(lineBreak + block(CodeFence.backticks(for: text, info: "output"), text) + lineBreak)
            }
        }
        copy(to: bytes.count)
        return String(decoding: out, as: UTF8.self)
    }

    /// Output lines with the fence's indentation and the file's line breaks.
    private func content(_ text: String, indent: Int) -> String {
        guard !text.isEmpty else { return "" }
        let pad = String(repeating: " ", count: indent)
        return text.lines
            .map { ($0.isEmpty ? "" : pad) + $0 + lineBreak }.joined()
    }

    private func endsWithLineBreak(_ span: Range<Int>) -> Bool {
        span.upperBound > 0 && bytes[span.upperBound - 1] == UInt8(ascii: "\n")
    }
}

extension String {
    /// The text of `bytes` if they are valid UTF-8, else nil.
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): scalars.append(s)
            case .emptyInput: self = String(scalars); return
            case .error: return nil
            }
        }
    }
}
