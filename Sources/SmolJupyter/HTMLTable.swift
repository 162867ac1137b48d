/// Renders a table as HTML for JupyterLab, which styles plain `<table>` markup itself. Everything
/// that came from the model (token text can hold `<`, `&`, quotes) is escaped.
public enum HTMLTable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var name: String
        public var alignment: Alignment
        public init(_ name: String, _ alignment: Alignment = .left) {
            self.name = name
            self.alignment = alignment
        }
    }

    /// `caption` goes above the table, `note` below it, both escaped.
    public static func render(columns: [Column], rows: [[String]], caption: String? = nil, note: String? = nil) -> String {
        var html = "<table>\n"
        if let caption { html += "<caption>\(escape(caption))</caption>\n" }
        html += "<thead><tr>"
        for column in columns { html += "<th\(style(column.alignment))>\(escape(column.name))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for (i, column) in columns.enumerated() {
                let text = i < row.count ? row[i] : ""
                html += "<td\(style(column.alignment))>\(escape(text))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>"
        if let note { html += "\n<p>\(escape(note))</p>" }
        return html
    }

    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func style(_ alignment: Alignment) -> String {
        alignment == .right ? " style=\"text-align: right\"" : " style=\"text-align: left\""
    }
}
