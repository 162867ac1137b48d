/// Counts of values in equal-width bins.
public struct Histogram: Sendable, Equatable {
    public var title: String
    /// `counts.count + 1` bin edges, ascending.
    public var edges: [Double]
    public var counts: [Int]

    public init(title: String, edges: [Double], counts: [Int]) {
        precondition(edges.count == counts.count + 1)
        self.title = title
        self.edges = edges
        self.counts = counts
    }

    /// Bins `values` into `bins` equal bins between their min and max.
    public init<S: Sequence>(title: String, values: S, bins: Int) where S.Element == Float {
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where v.isFinite {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        if !(lo <= hi) { lo = 0; hi = 0 }
        if lo == hi { lo -= 0.5; hi += 0.5 }
        let n = max(bins, 1)
        var counts = [Int](repeating: 0, count: n)
        let width = (Double(hi) - Double(lo)) / Double(n)
        for v in values where v.isFinite {
            counts[min(n - 1, max(0, Int((Double(v) - Double(lo)) / width)))] += 1
        }
        self.init(title: title, edges: (0...n).map { Double(lo) + Double($0) * width }, counts: counts)
    }

    public var plainText: String {
        let labels = counts.indices.map { "[\(Format.short(edges[$0])), \(Format.short(edges[$0 + 1])))" }
        let labelWidth = labels.map(\.count).max() ?? 0
        let peak = counts.max() ?? 0
        let countWidth = String(peak).count
        var out = [title]
        for (i, c) in counts.enumerated() {
            let label = labels[i] + String(repeating: " ", count: labelWidth - labels[i].count)
            let count = String(repeating: " ", count: countWidth - String(c).count) + String(c)
            out.append(label + " " + count + " " + Bar.draw(Double(c), max: Double(peak), width: 40))
        }
        return out.map { line in
            var l = line
            while l.last == " " { l.removeLast() }
            return l
        }.joined(separator: "\n")
    }
}

/// Horizontal bars drawn with block characters (eighths for the fractional end).
enum Bar {
    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    static func draw(_ value: Double, max: Double, width: Int) -> String {
        guard max > 0, value > 0, value.isFinite else { return "" }
        let units = Int((value / max * Double(width * 8)).rounded())
        var s = String(repeating: "█", count: units / 8)
        if units % 8 > 0 { s.append(eighths[units % 8 - 1]) }
        if s.isEmpty { s = "▏" }
        return s
    }
}
