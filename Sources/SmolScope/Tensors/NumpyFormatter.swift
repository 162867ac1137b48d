import Foundation

/// Prints arrays the way numpy's `print(a)` does: nested brackets, aligned columns, and large
/// arrays summarized with `...` (threshold 1000 elements, 3 edge items).
enum NumpyFormatter {
    static let threshold = 1000
    static let edgeItems = 3
    static let lineWidth = 75

    /// - Parameters:
    ///   - threshold: summarize (`...`) when there are more elements than this (numpy's default 1000).
    ///   - value: the element at a multi-index of `shape` (only the shown ones are asked for).
    static func format(shape: [Int], precision: Int = 4, threshold: Int = threshold, value: ([Int]) -> Float) -> String {
        let total = shape.reduce(1, *)
        if shape.isEmpty { return number(value([]), precision: precision, scientific: false) }
        if total == 0 { return String(repeating: "[", count: shape.count) + String(repeating: "]", count: shape.count) }
        let summarize = total > threshold
        // The shown indices of each dimension (nil marks the "..." gap).
        let shown: [[Int?]] = shape.map { n in
            summarize && n > 2 * edgeItems ? Array(0..<edgeItems) + [nil] + Array((n - edgeItems)..<n) : Array(0..<n)
        }
        // Collect shown values to choose one format and width for all.
        var values: [[Int]: Float] = [:]
        func collect(_ prefix: [Int]) {
            if prefix.count == shape.count {
                values[prefix] = value(prefix)
                return
            }
            for i in shown[prefix.count] { if let i { collect(prefix + [i]) } }
        }
        collect([])
        let finite = values.values.filter(\.isFinite).map { abs(Double($0)) }
        let maxAbs = finite.max() ?? 0, minNonZero = finite.filter { $0 > 0 }.min() ?? 1
        let scientific = maxAbs >= 1e5 || minNonZero < pow(10, -Double(precision))
        var texts: [[Int]: String] = [:]
        for (k, v) in values { texts[k] = number(v, precision: precision, scientific: scientific) }
        let width = texts.values.map(\.count).max() ?? 1

        func render(_ prefix: [Int], indent: Int) -> String {
            let d = prefix.count
            if d == shape.count - 1 {
                let items = shown[d].map { i -> String in
                    guard let i else { return "..." }
                    let t = texts[prefix + [i]]!
                    return String(repeating: " ", count: width - t.count) + t
                }
                // Wrap at the line width as numpy does; continuation lines align after the brackets.
                var lines: [String] = []
                var line = "["
                var column = d + 1
                for (k, item) in items.enumerated() {
                    let piece = (k == 0 ? "" : " ") + item
                    if k > 0, column + piece.count + 1 > lineWidth {
                        lines.append(line)
                        line = String(repeating: " ", count: d + 1) + item
                        column = d + 1 + item.count
                    } else {
                        line += piece
                        column += piece.count
                    }
                }
                lines.append(line + "]")
                return lines.joined(separator: "\n")
            }
            let pad = String(repeating: " ", count: indent + 1)
            let separator = "\n" + String(repeating: "\n", count: shape.count - d - 2)
            let parts = shown[d].map { i -> String in
                guard let i else { return "..." }
                return render(prefix + [i], indent: indent + 1)
            }
            return "[" + parts.enumerated().map { $0.offset == 0 ? $0.element : pad + $0.element }.joined(separator: separator) + "]"
        }
        return render([], indent: 0)
    }

    static func number(_ v: Float, precision: Int, scientific: Bool) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        return scientific ? String(format: "%.\(precision)e", Double(v)) : Format.fixed(Double(v), precision)
    }

    /// Formats `tensor` (row-major) fully or summarized.
    static func format(_ shape: [Int], _ data: [Float], precision: Int = 4, threshold: Int = threshold) -> String {
        var strides = [Int](repeating: 1, count: shape.count)
        for i in stride(from: shape.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
        return format(shape: shape, precision: precision, threshold: threshold) { idx in
            var o = 0
            for (i, s) in zip(idx, strides) { o += i * s }
            return data[o]
        }
    }
}
