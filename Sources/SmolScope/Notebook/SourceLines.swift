/// The lines of a file as byte ranges, so parsers can report line numbers and rewrites can keep
/// every byte (including `\r\n` line endings and a missing final newline).
struct SourceLines {
    struct Line {
        /// 1-based.
        var number: Int
        var start: Int
        /// End of the text, before `\r\n` or `\n`.
        var contentEnd: Int
        /// After the line break (equal to `contentEnd` on a last line without one).
        var end: Int
    }

    let bytes: [UInt8]
    private let lines: [Line]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var lines: [Line] = []
        var start = 0
        let newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        for (i, b) in bytes.enumerated() where b == newline {
            let contentEnd = i > start && bytes[i - 1] == cr ? i - 1 : i
            lines.append(Line(number: lines.count + 1, start: start, contentEnd: contentEnd, end: i + 1))
            start = i + 1
        }
        if start < bytes.count {
            lines.append(Line(number: lines.count + 1, start: start, contentEnd: bytes.count, end: bytes.count))
        }
        self.lines = lines
    }

    var count: Int { lines.count }
    subscript(i: Int) -> Line { lines[i] }

    /// Where line `i` ends (the end of the file past the last line).
    func end(of i: Int) -> Int { i < lines.count ? lines[i].end : bytes.count }

    func content(_ i: Int) -> ArraySlice<UInt8> { bytes[lines[i].start..<lines[i].contentEnd] }

    func isBlank(_ i: Int) -> Bool {
        content(i).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// Lines `range` joined with `\n`, each without up to `dedent` leading spaces.
    func text(_ range: Range<Int>, dedent: Int) -> String {
        range.map { i in
            var line = content(i)
            var removed = 0
            while removed < dedent, line.first == UInt8(ascii: " ") { line = line.dropFirst(); removed += 1 }
            return String(decoding: line, as: UTF8.self)
        }.joined(separator: "\n")
    }

    /// The line break the file uses: that of its first line (`\n` when it has none).
    var firstLineBreak: String {
        guard let first = lines.first, first.end > first.contentEnd else { return "\n" }
        return first.end - first.contentEnd == 2 ? "\r\n" : "\n"
    }
}
