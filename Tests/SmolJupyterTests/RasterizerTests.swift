import Testing
@testable import SmolJupyter

/// Pictures: sizes are predictable from the data's shape (the e2e test relies on it), colours
/// follow the value, and odd data (NaN, negatives, empty) draws something rather than trapping.
@Suite("Rasterizer and HTML tables")
struct RasterizerTests {
    @Test("a heatmap cell is 384 / the longer side pixels, between 1 and 24", arguments: [
        (rows: 12, columns: 12, cell: 24), (rows: 4, columns: 4, cell: 24), (rows: 20, columns: 20, cell: 19),
        (rows: 1, columns: 100, cell: 3), (rows: 500, columns: 500, cell: 1),
    ])
    func heatmapCell(rows: Int, columns: Int, cell: Int) {
        #expect(Rasterizer.heatmapCellSize(rows: rows, columns: columns) == cell)
        let image = Rasterizer.heatmap([Float](repeating: 0.5, count: rows * columns), rows: rows, columns: columns, range: 0...1)
        #expect(image.width == columns * cell && image.height == rows * cell)
    }

    @Test("a matrix longer than 768 is pooled in blocks, each drawn as its largest value")
    func heatmapPooling() {
        let n = 1000
        var values = [Float](repeating: 0, count: n * n)
        values[1 * n + 1] = 1  // inside the first 2×2 block
        let image = Rasterizer.heatmap(values, rows: n, columns: n, range: 0...1)
        #expect(Rasterizer.heatmapPooling(rows: n, columns: n) == 2)
        #expect(image.width == 500 && image.height == 500)
        #expect(image[0, 0] == ColorMap.viridis(1))
        #expect(image[1, 1] == ColorMap.viridis(0))
        #expect(Rasterizer.heatmapPooling(rows: 768, columns: 10) == 1)
    }

    @Test("the range's ends take the colour map's ends; NaN is grey")
    func heatmapColours() {
        let image = Rasterizer.heatmap([0, 1, .nan, 0.5], rows: 2, columns: 2, range: 0...1)
        let cell = Rasterizer.heatmapCellSize(rows: 2, columns: 2)
        #expect(image[0, 0] == RGB(68, 1, 84))
        #expect(image[cell, 0] == RGB(253, 231, 37))
        #expect(image[0, cell] == RGB(220, 220, 220))
        #expect(image[cell + 1, cell + 1] == ColorMap.viridis(0.5))
    }

    @Test("missing heatmap values (fewer than rows × columns) are drawn as no value")
    func heatmapShortData() {
        let image = Rasterizer.heatmap([1], rows: 2, columns: 2, range: 0...1)
        #expect(image[image.width - 1, image.height - 1] == RGB(220, 220, 220))
    }

    @Test("the tallest bar fills the plot height; the image size follows the bar count")
    func bars() {
        let image = Rasterizer.bars([1, 4, 2])
        let slot = Rasterizer.barSlotWidth(count: 3)
        #expect(image.width == 2 * Rasterizer.barMargin + 3 * slot)
        #expect(image.height == 2 * Rasterizer.barMargin + Rasterizer.barPlotHeight)
        let tallestX = Rasterizer.barMargin + slot
        #expect(image[tallestX, Rasterizer.barMargin] == RGB(70, 130, 180))
        #expect(image[tallestX, Rasterizer.barMargin - 1] == .white)
        // The first bar is a quarter as tall: its top is three quarters down the plot.
        #expect(image[Rasterizer.barMargin, Rasterizer.barMargin + Rasterizer.barPlotHeight / 2] == .white)
        #expect(image[Rasterizer.barMargin, Rasterizer.barMargin + Rasterizer.barPlotHeight - 2] == RGB(70, 130, 180))
    }

    @Test("negative bars hang below the zero line; NaN, all-zero and empty data still draw")
    func oddBars() throws {
        let mixed = Rasterizer.bars([-1, 1])
        #expect(mixed[Rasterizer.barMargin, mixed.height - Rasterizer.barMargin - 2] == RGB(214, 96, 77))
        for values in [[Double.nan, 1], [0, 0], []] {
            let image = Rasterizer.bars(values)
            #expect(image.width > 0 && image.height > 0)
            _ = try PNGEncoder.encode(image)
        }
    }

    @Test("viridis is clamped outside 0…1")
    func colourMapClamps() {
        #expect(ColorMap.viridis(-3) == ColorMap.viridis(0))
        #expect(ColorMap.viridis(7) == ColorMap.viridis(1))
        #expect(ColorMap.viridis(.nan) == ColorMap.viridis(0))
    }

    @Test("HTML tables escape cell text, and align numbers right")
    func htmlTable() {
        let html = HTMLTable.render(columns: [.init("token"), .init("p", .right)],
                                    rows: [["<|im_end|>", "0.5"], ["a & \"b\""]], caption: "top <k>", note: "2 rows")
        #expect(html.contains("<caption>top &lt;k&gt;</caption>"))
        #expect(html.contains("<td style=\"text-align: left\">&lt;|im_end|&gt;</td><td style=\"text-align: right\">0.5</td>"))
        #expect(html.contains("<td style=\"text-align: left\">a &amp; &quot;b&quot;</td><td style=\"text-align: right\"></td>"))
        #expect(html.hasSuffix("<p>2 rows</p>"))
    }
}
