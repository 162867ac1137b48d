/// The form in which a cell's output is recorded and compared. Trailing spaces are removed from
/// every line and trailing blank lines dropped: Markdown editors and pre-commit hooks strip them,
/// and a check must not fail because of what an editor did to whitespace nobody can see.
public enum RecordedOutput {
    public static func normalize(_ text: String) -> String {
        var lines = text.lines.map { line in
            var s = Substring(line).unicodeScalars
            while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
            return String(s)
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
