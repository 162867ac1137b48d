/// Draws the two kinds of picture the kernel shows: a heatmap (attention, query × key) and a bar
/// chart (histograms, attention over keys, the logit lens). No text: labels stay in the text/plain
/// and HTML forms next to the image, which keeps this small and the pictures font-free.
public enum Rasterizer {
    /// Pixels per heatmap cell: about 384 pixels for the longer side, between 1 and 24 per cell, so
    /// a 12-token prompt gives a 288-pixel square and a long one stays one pixel per entry.
    public static func heatmapCellSize(rows: Int, columns: Int) -> Int {
        max(1, min(24, 384 / max(1, rows, columns)))
    }

    /// Longest heatmap side drawn entry for entry; longer matrices are pooled in square blocks.
    public static let heatmapMaxSide = 768

    /// The block size that keeps a heatmap within `heatmapMaxSide` (1: no pooling).
    public static func heatmapPooling(rows: Int, columns: Int) -> Int {
        let side = max(rows, columns)
        return side <= heatmapMaxSide ? 1 : (side + heatmapMaxSide - 1) / heatmapMaxSide
    }

    /// `values` is row-major `rows × columns`; `range` maps to the ends of the colour map. NaN
    /// (masked, no value) is drawn light grey. Matrices longer than `heatmapMaxSide` are pooled,
    /// each block drawn as its largest value (as the terminal heatmap does), so a long context's
    /// attention stays a picture of reasonable size where a strong entry still shows.
    public static func heatmap(_ values: [Float], rows: Int, columns: Int, range: ClosedRange<Float>) -> RGBImage {
        let pool = heatmapPooling(rows: rows, columns: columns)
        let shownRows = (rows + pool - 1) / pool, shownColumns = (columns + pool - 1) / pool
        let cell = heatmapCellSize(rows: shownRows, columns: shownColumns)
        var image = RGBImage(width: shownColumns * cell, height: shownRows * cell)
        let span = range.upperBound - range.lowerBound
        for row in 0..<shownRows {
            for column in 0..<shownColumns {
                var value = Float.nan
                for r in (row * pool)..<min(rows, (row + 1) * pool) {
                    for c in (column * pool)..<min(columns, (column + 1) * pool) {
                        let index = r * columns + c
                        if index < values.count, values[index].isFinite, !(values[index] <= value) { value = values[index] }
                    }
                }
                let color = value.isFinite ? ColorMap.viridis(span > 0 ? (value - range.lowerBound) / span : 0)
                    : RGB(220, 220, 220)
                image.fill(x: column * cell, y: row * cell, width: cell, height: cell, color)
            }
        }
        return image
    }

    /// Height of the plotting area of a bar chart, and the margin around it.
    public static let barPlotHeight = 160
    public static let barMargin = 8

    /// Pixels per bar slot: about 480 pixels across, between 3 and 24 per bar.
    public static func barSlotWidth(count: Int) -> Int {
        max(3, min(24, 480 / max(1, count)))
    }

    /// One vertical bar per value, scaled to the largest magnitude; negative values hang below a
    /// zero line. Non-finite values leave their slot empty.
    public static func bars(_ values: [Double]) -> RGBImage {
        let slot = barSlotWidth(count: values.count)
        let barWidth = slot - max(1, slot / 6)
        var image = RGBImage(width: 2 * barMargin + max(1, values.count) * slot,
                             height: 2 * barMargin + barPlotHeight)
        let finite = values.filter(\.isFinite)
        let top = max(0, finite.max() ?? 0), bottom = min(0, finite.min() ?? 0)
        let span = top - bottom
        // The zero line's height above the plot bottom, in pixels.
        let zero = span > 0 ? Int((-bottom / span * Double(barPlotHeight)).rounded()) : 0
        let baseline = barMargin + barPlotHeight - zero
        for (i, value) in values.enumerated() where value.isFinite && span > 0 {
            let length = Int((abs(value) / span * Double(barPlotHeight)).rounded())
            let x = barMargin + i * slot
            if value >= 0 {
                image.fill(x: x, y: baseline - length, width: barWidth, height: length, RGB(70, 130, 180))
            } else {
                image.fill(x: x, y: baseline, width: barWidth, height: length, RGB(214, 96, 77))
            }
        }
        image.fill(x: barMargin, y: baseline, width: image.width - 2 * barMargin, height: 1, RGB(90, 90, 90))
        return image
    }
}

/// Colour maps from a 0…1 value.
public enum ColorMap {
    /// matplotlib's viridis at nine stops, linearly interpolated: perceptually even and readable by
    /// colour-blind users, and the colour map people expect for attention.
    private static let viridisStops: [(Float, Float, Float)] = [
        (68, 1, 84), (71, 45, 123), (59, 82, 139), (44, 114, 142), (33, 145, 140),
        (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
    ]

    public static func viridis(_ t: Float) -> RGB {
        let clamped = t.isFinite ? min(max(t, 0), 1) : 0
        let position = clamped * Float(viridisStops.count - 1)
        let i = min(Int(position), viridisStops.count - 2)
        let f = position - Float(i)
        let (a, b) = (viridisStops[i], viridisStops[i + 1])
        func mix(_ x: Float, _ y: Float) -> UInt8 { UInt8((x + (y - x) * f).rounded()) }
        return RGB(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}
