/// A matrix of values with labelled rows and columns (attention: query × key positions).
/// The terminal shows it with a character ramp; the kernel paints it as a PNG.
public struct Heatmap: Sendable, Equatable {
    public var title: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// Row-major, `rowLabels.count × columnLabels.count`; NaN = no value (e.g. masked).
    public var values: [Float]
    /// Values mapped to the ends of the ramp (nil = the data's own min and max).
    public var range: ClosedRange<Float>?
    /// How values become shades: one scale for the matrix, or each row relative to its own maximum
    /// (attention rows: where each query looks, however peaked it is).
    public var scale: Scale

    public enum Scale: Sendable, Equatable { case global, row }

    public init(title: String, rowLabels: [String], columnLabels: [String], values: [Float], range: ClosedRange<Float>? = nil,
                scale: Scale = .global) {
        precondition(values.count == rowLabels.count * columnLabels.count)
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.range = range
        self.scale = scale
    }

    /// Every cell as a shade in 0...1 (NaN where there is no value), as the scale says: what a
    /// picture should paint.
    public var shades: [Float] {
        switch scale {
        case .global:
            let r = effectiveRange, span = r.upperBound - r.lowerBound
            return values.map { $0.isFinite ? (span > 0 ? min(max(($0 - r.lowerBound) / span, 0), 1) : 0) : .nan }
        case .row:
            var out = values
            for r in 0..<rows {
                let row = values[(r * columns)..<((r + 1) * columns)]
                let peak = row.filter(\.isFinite).max() ?? 0
                for c in 0..<columns {
                    let v = values[r * columns + c]
                    out[r * columns + c] = v.isFinite ? (peak > 0 ? min(max(v / peak, 0), 1) : 0) : .nan
                }
            }
            return out
        }
    }

    public var rows: Int { rowLabels.count }
    public var columns: Int { columnLabels.count }
    public func value(row: Int, column: Int) -> Float { values[row * columns + column] }

    /// The range actually used for shading.
    public var effectiveRange: ClosedRange<Float> {
        if let range { return range }
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max(), lo < hi else { return 0...1 }
        return lo...hi
    }

    static let ramp: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]
    /// Widest matrix drawn cell for cell; larger ones are pooled (maximum of each block).
    static let maxCells = 80

    public var plainText: String {
        let rowStep = (rows + Self.maxCells - 1) / Self.maxCells, colStep = (columns + Self.maxCells - 1) / Self.maxCells
        let shownRows = (rows + rowStep - 1) / max(rowStep, 1), shownCols = (columns + colStep - 1) / max(colStep, 1)
        let r = effectiveRange
        let shades = self.shades
        func shade(_ t: Float) -> Character {
            guard t.isFinite else { return " " }
            return Self.ramp[Int((min(max(t, 0), 1) * Float(Self.ramp.count - 1)).rounded())]
        }
        var out = [title]
        let legend = scale == .row ? "shading per row: ' ' = 0 … '@' = the row's largest value"
            : "shading: ' ' = \(Format.short(Double(r.lowerBound))) … '@' = \(Format.short(Double(r.upperBound)))"
        out.append(legend + (rowStep > 1 || colStep > 1 ? "; pooled \(rowStep)×\(colStep) (max)" : ""))
        let labelWidth = min(16, (0..<shownRows).map { label(rowLabels[$0 * rowStep]).count }.max() ?? 0)
        // Ruler: the column index every 10 cells.
        var ruler = Array(repeating: Character(" "), count: shownCols)
        for c in stride(from: 0, to: shownCols, by: 10) {
            for (k, ch) in String(c * colStep).enumerated() where c + k < shownCols { ruler[c + k] = ch }
        }
        out.append(String(repeating: " ", count: labelWidth + 2) + String(ruler))
        for sr in 0..<shownRows {
            var line = ""
            for sc in 0..<shownCols {
                var v = -Float.infinity
                var any = false
                for rr in (sr * rowStep)..<min(rows, (sr + 1) * rowStep) {
                    for cc in (sc * colStep)..<min(columns, (sc + 1) * colStep) {
                        let x = shades[rr * columns + cc]
                        if x.isFinite { v = max(v, x); any = true }
                    }
                }
                line.append(any ? shade(v) : " ")
            }
            var l = label(rowLabels[sr * rowStep])
            if l.count > labelWidth { l = String(l.prefix(labelWidth - 1)) + "…" }
            out.append(l + String(repeating: " ", count: labelWidth - l.count) + " |" + line + "|")
        }
        return out.joined(separator: "\n")
    }

    private func label(_ s: String) -> String { s }
}
