/// One labelled bar per item (attention over key positions, a logit-lens probability per layer).
public struct BarChart: Sendable, Equatable {
    public var title: String
    public var labels: [String]
    public var values: [Double]
    public var format: NumberFormat

    public init(title: String, labels: [String], values: [Double], format: NumberFormat = .fixed(4)) {
        precondition(labels.count == values.count)
        self.title = title
        self.labels = labels
        self.values = values
        self.format = format
    }

    public var plainText: String {
        let labelWidth = labels.map(\.count).max() ?? 0
        let texts = values.map(format.format)
        let valueWidth = texts.map(\.count).max() ?? 0
        let peak = values.filter(\.isFinite).max() ?? 0
        var out = [title]
        for i in labels.indices {
            out.append(labels[i] + String(repeating: " ", count: labelWidth - labels[i].count) + " "
                       + String(repeating: " ", count: valueWidth - texts[i].count) + texts[i] + " "
                       + Bar.draw(values[i], max: peak, width: 40))
        }
        return out.map { line in
            var l = line
            while l.last == " " { l.removeLast() }
            return l
        }.joined(separator: "\n")
    }
}
