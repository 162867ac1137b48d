/// A CommonMark code fence: up to three spaces of indentation, then a run of at least three
/// backticks (or tildes) and an info string. The block ends at a line of the same character, at
/// least as long, with nothing after it but spaces.
struct CodeFence: Sendable, Equatable {
    var indent: Int
    var character: UInt8
    var length: Int
    /// The info string, trimmed (`smol expect-error`, `output`, `sh`…).
    var info: String

    static let backtick = UInt8(ascii: "`"), tilde = UInt8(ascii: "~"), space = UInt8(ascii: " ")

    /// The fence a line opens, if it opens one.
    init?(opening line: ArraySlice<UInt8>) {
        var i = line.startIndex
        while i < line.endIndex, line[i] == Self.space, i - line.startIndex < 3 { i += 1 }
        guard i < line.endIndex, line[i] == Self.backtick || line[i] == Self.tilde else { return nil }
        let character = line[i], runStart = i
        while i < line.endIndex, line[i] == character { i += 1 }
        guard i - runStart >= 3 else { return nil }
        let info = line[i...]
        // A backtick fence's info string may not contain backticks (it would be inline code).
        if character == Self.backtick, info.contains(Self.backtick) { return nil }
        self.indent = runStart - line.startIndex
        self.character = character
        self.length = i - runStart
        self.info = String(decoding: info, as: UTF8.self).trimmingSpaces
    }

    init(indent: Int = 0, length: Int = 3, info: String) {
        self.indent = indent
        self.character = Self.backtick
        self.length = length
        self.info = info
    }

    /// Whether `line` closes a block opened by this fence.
    func isClosed(by line: ArraySlice<UInt8>) -> Bool {
        var i = line.startIndex
        while i < line.endIndex, line[i] == Self.space, i - line.startIndex < 3 { i += 1 }
        let runStart = i
        while i < line.endIndex, line[i] == character { i += 1 }
        guard i - runStart >= length else { return false }
        return line[i...].allSatisfy { $0 == Self.space || $0 == UInt8(ascii: "\t") }
    }

    /// The info string's first word (`smol`, `output`), which says what the block is.
    var tag: String { info.split(separator: " ").first.map(String.init) ?? "" }
    /// The words after the tag.
    var attributes: [String] { info.split(separator: " ").dropFirst().map(String.init) }

    /// The opening line, without its line break.
    var openingLine: String { String(repeating: " ", count: indent) + marker + info }
    /// The closing line, without its line break.
    var closingLine: String { String(repeating: " ", count: indent) + marker }
    private var marker: String { String(repeating: Character(Unicode.Scalar(character)), count: length) }

    /// A backtick fence long enough that no line of `content` can close it: one longer than the
    /// longest backtick run in it, and at least three.
    static func backticks(for content: String, indent: Int = 0, info: String) -> CodeFence {
        var longest = 0, run = 0
        for byte in content.utf8 {
            run = byte == backtick ? run + 1 : 0
            longest = max(longest, run)
        }
        return CodeFence(indent: indent, length: max(3, longest + 1), info: info)
    }

    /// Whether a block of `content` can keep this fence (no line of it would close the block).
    func canEnclose(_ content: String) -> Bool {
        !content.lines.contains { isClosed(by: Array($0.utf8)[...]) }
    }
}

extension String {
    /// The lines between `\n`s (split on scalars: `"\r\n"` is a single Character).
    var lines: [String] {
        unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
    }

    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
