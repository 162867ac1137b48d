import Foundation

/// Rows of cells under named columns. Cells keep their values (not only their text) so a front
/// end can render them its own way; ``plainText`` is the terminal form.
public struct Table: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var name: String
        public var alignment: Alignment
        public init(_ name: String, _ alignment: Alignment = .left) {
            self.name = name
            self.alignment = alignment
        }
    }

    public enum Alignment: Sendable, Equatable { case left, right }

    public var title: String?
    public var columns: [Column]
    public var rows: [[Cell]]
    /// A line under the table (e.g. "showing 16 of 600 keys").
    public var note: String?

    public init(title: String? = nil, columns: [Column], rows: [[Cell]] = [], note: String? = nil) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.note = note
    }

    public mutating func append(_ row: [Cell]) { rows.append(row) }

    public var plainText: String {
        let texts = rows.map { row in columns.indices.map { $0 < row.count ? row[$0].text : "" } }
        var widths = columns.map { $0.name.count }
        for row in texts {
            for (i, t) in row.enumerated() { widths[i] = max(widths[i], t.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, c) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                let last = i == cells.count - 1
                switch columns[i].alignment {
                case .left: parts.append(last ? c : c + pad)
                case .right: parts.append(pad + c)
                }
            }
            var text = parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var out: [String] = []
        if let title { out.append(title) }
        out.append(line(columns.map(\.name)))
        out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        out += texts.map(line)
        if let note { out.append(note) }
        return out.joined(separator: "\n")
    }
}

/// One table cell: the value and how to show it.
public enum Cell: Sendable, Equatable {
    case text(String)
    case integer(Int)
    /// A number shown with `format`.
    case number(Double, NumberFormat)
    case empty

    /// Shorthand for a fixed-point number.
    public static func fixed(_ value: Double, _ digits: Int) -> Cell { .number(value, .fixed(digits)) }
    public static func fixed(_ value: Float, _ digits: Int) -> Cell { .number(Double(value), .fixed(digits)) }

    public var text: String {
        switch self {
        case .text(let s): s
        case .integer(let i): String(i)
        case .number(let v, let f): f.format(v)
        case .empty: ""
        }
    }

    /// The numeric value, when there is one.
    public var value: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let v, _): v
        default: nil
        }
    }
}

/// How a number is written. Deterministic on every platform.
public enum NumberFormat: Sendable, Equatable {
    /// `digits` after the point.
    case fixed(Int)
    /// A probability as a percentage with `digits` after the point: 0.2311 → `23.1%`.
    case percent(Int)
    /// `1.23e-05`.
    case scientific(Int)
    /// Bytes as `12.0 KiB`.
    case bytes

    public func format(_ v: Double) -> String {
        switch self {
        case .fixed(let d): Format.fixed(v, d)
        case .percent(let d): Format.fixed(v * 100, d) + "%"
        case .scientific(let d): Format.scientific(v, d)
        case .bytes: Format.bytes(Int(v))
        }
    }
}
