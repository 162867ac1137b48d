/// The JSON of an `.ipynb` file, written exactly as Jupyter writes it (Python's
/// `json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False)` plus a final newline), so
/// opening and saving an exported notebook in Jupyter leaves the file unchanged.
indirect enum NotebookJSON: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([NotebookJSON])
    case object([String: NotebookJSON])

    /// Text split the way nbformat stores multi-line strings: one element per line, each keeping
    /// its `\n` (the last line without one).
    static func lines(_ text: String) -> NotebookJSON {
        guard !text.isEmpty else { return .array([]) }
        let parts = text.lines
        return .array(parts.enumerated().compactMap { i, line in
            i == parts.count - 1 ? (line.isEmpty ? nil : .string(line)) : .string(line + "\n")
        })
    }

    /// The whole document, ending with a newline.
    var fileText: String {
        var out = ""
        write(to: &out, indent: 0)
        return out + "\n"
    }

    private func write(to out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent + 1), closing = String(repeating: " ", count: indent)
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .string(let s): out += JSONText.quoted(s)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(to: &out, indent: indent + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += closing + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            // Python sorts keys by code point.
            let keys = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            for (i, key) in keys.enumerated() {
                out += pad
                out += JSONText.quoted(key)
                out += ": "
                members[key]!.write(to: &out, indent: indent + 1)
                out += i == keys.count - 1 ? "\n" : ",\n"
            }
            out += closing + "}"
        }
    }
}
