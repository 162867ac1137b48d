import Testing
@testable import SmolScope

/// The plain-text renderings every front end shares.
@Suite("Output rendering")
struct OutputTests {
    @Test("tables align numbers right and text left, under a rule")
    func table() {
        var t = Table(title: "t", columns: [.init("name"), .init("n", .right), .init("p", .right)])
        t.append([.text("a"), .integer(5), .number(0.2311, .percent(1))])
        t.append([.text("long name"), .integer(12345), .fixed(1.5, 2)])
        t.note = "2 rows"
        #expect(t.plainText == """
        t
        name           n      p
        ---------  -----  -----
        a              5  23.1%
        long name  12345   1.50
        2 rows
        """)
    }

    @Test("numpy-style printing: alignment, wrapping, summarizing")
    func numpy() {
        #expect(NumpyFormatter.format([3], [1, -0.5, 0.25]) == "[ 1.0000 -0.5000  0.2500]")
        #expect(NumpyFormatter.format([2, 2], [1, 2, 3, 4]) == "[[1.0000 2.0000]\n [3.0000 4.0000]]")
        #expect(NumpyFormatter.format([2, 1, 1], [1, 2]) == "[[[1.0000]]\n\n [[2.0000]]]")
        let big = (0..<2000).map { Float($0) }
        #expect(NumpyFormatter.format([2000], big) == "[   0.0000    1.0000    2.0000 ... 1997.0000 1998.0000 1999.0000]")
        let wrapped = NumpyFormatter.format([20], (0..<20).map { Float($0) / 10 })
        #expect(wrapped.split(separator: "\n").allSatisfy { $0.count <= 75 })
        #expect(wrapped.hasPrefix("[0.0000 0.1000"))
        #expect(NumpyFormatter.format([2], [1e-7, 2]) == "[1.0000e-07 2.0000e+00]")
    }

    @Test("histograms count values into equal bins")
    func histogram() {
        let h = Histogram(title: "h", values: [0, 0.1, 0.2, 0.9, 1.0], bins: 2)
        #expect(h.counts == [3, 2])
        #expect(h.edges == [0, 0.5, 1.0])
        #expect(h.plainText.split(separator: "\n").count == 3)
    }

    @Test("heatmaps shade with a ramp; per-row scale makes each row's maximum '@'")
    func heatmap() {
        let h = Heatmap(title: "h", rowLabels: ["a", "b"], columnLabels: ["x", "y"], values: [1, .nan, 0.1, 0.2],
                        range: 0...1, scale: .row)
        let lines = h.plainText.split(separator: "\n")
        #expect(lines[3] == "a |@ |")
        #expect(lines[4] == "b |+@|")
        var global = h
        global.scale = .global
        #expect(global.plainText.split(separator: "\n")[4] == "b |.:|")
    }

    @Test("bar charts scale bars to the largest value")
    func barChart() {
        let c = BarChart(title: "c", labels: ["a", "bb"], values: [1, 0.5], format: .fixed(1))
        #expect(c.plainText == "c\na  1.0 " + String(repeating: "█", count: 40) + "\nbb 0.5 " + String(repeating: "█", count: 20))
    }

    @Test("number formats are stable")
    func formats() {
        #expect(Format.short(5_000_000) == "5e+06")
        #expect(Format.short(0.23456) == "0.2346")
        #expect(Format.percent(0.0004) == "<0.1%")
        #expect(Format.bytes(43008) == "42.0 KiB")
        #expect(Format.grouped(4985088) == "4,985,088")
        #expect(Format.fixed(-0.00001, 3) == "0.000")
        #expect(Format.quoted("a'b\n") == "'a\\'b\\n'")
    }
}
