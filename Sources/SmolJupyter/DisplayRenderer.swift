import SmolScope

/// Turns SmolScope's structured outputs into what a notebook shows. The text/plain form is always
/// the terminal's rendering (so a notebook's text matches `smol run` transcripts exactly); tables
/// add HTML, and heatmaps, histograms and bar charts add a PNG drawn from the same numbers.
enum DisplayRenderer {
    /// The display for a structured output, or nil for plain text and for outputs a notebook does
    /// not show (download progress, statement echoes).
    static func bundle(for output: Output) -> DisplayBundle? {
        switch output {
        case .table(let table):
            return DisplayBundle(plain: table.plainText, html: html(table))
        case .heatmap(let heatmap):
            let image = Rasterizer.heatmap(heatmap.values, rows: heatmap.rows, columns: heatmap.columns,
                                           range: heatmap.effectiveRange)
            let range = heatmap.effectiveRange
            let caption = "\(heatmap.title); colour from \(Format.short(Double(range.lowerBound))) (dark) "
                + "to \(Format.short(Double(range.upperBound))) (bright)"
            return figure(plain: heatmap.plainText, image: image, caption: caption,
                          labels: zip(heatmap.columnLabels.indices, heatmap.columnLabels).map { "\($0): \($1)" })
        case .histogram(let histogram):
            let image = Rasterizer.bars(histogram.counts.map(Double.init))
            let lo = histogram.edges.first ?? 0, hi = histogram.edges.last ?? 0
            let caption = "\(histogram.title); \(histogram.counts.count) bins from \(Format.short(lo)) to \(Format.short(hi))"
            return figure(plain: histogram.plainText, image: image, caption: caption, labels: [])
        case .chart(let chart):
            let image = Rasterizer.bars(chart.values)
            let labels = zip(chart.labels, chart.values).map { "\($0) \(chart.format.format($1))" }
            return figure(plain: chart.plainText, image: image, caption: chart.title, labels: labels)
        case .text, .stream, .progress, .echo:
            return nil
        }
    }

    static func html(_ table: Table) -> String {
        HTMLTable.render(
            columns: table.columns.map { HTMLTable.Column($0.name, $0.alignment == .right ? .right : .left) },
            rows: table.rows.map { row in row.map(\.text) }, caption: table.title, note: table.note)
    }

    /// A PNG with its text form, and an HTML figure (the same PNG inline, with the title and labels
    /// the picture itself does not draw). Falls back to text alone if the image cannot be encoded.
    private static func figure(plain: String, image: RGBImage, caption: String, labels: [String]) -> DisplayBundle {
        guard let png = try? PNGEncoder.encode(image) else { return DisplayBundle(plain: plain) }
        var html = "<figure style=\"margin: 0\">"
        html += "<img src=\"data:image/png;base64,\(png.base64)\" width=\"\(png.width)\" height=\"\(png.height)\""
        html += " alt=\"\(HTMLTable.escape(caption))\"/>"
        html += "<figcaption>\(HTMLTable.escape(caption))"
        if !labels.isEmpty {
            html += "<br/><small>" + labels.map(HTMLTable.escape).joined(separator: " · ") + "</small>"
        }
        html += "</figcaption></figure>"
        return DisplayBundle(plain: plain, html: html, png: png)
    }
}
