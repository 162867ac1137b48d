import SmolCore
import SmolFormats
import Testing

/// Every storage type the fixture GGUFs contain, plus BF16 (its GGUF is not shipped; its row 0 is).
let shippedTypes: [TensorType] = [.f32, .f16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K]

@Suite("Dequantization against gguf-py")
struct DequantizationTests {
    /// gguf-py's formulas are llama.cpp's reference, and the fixture's row 0 was checked
    /// bit-identical against libggml's `to_float`.
    static let tolerance: Float = 1e-6

    @Test("rows read from the tiny GGUF dequantize to gguf_dequant_rows", arguments: shippedTypes)
    func ggufRowsMatch(type: TensorType) throws {
        let fixture = try DequantRowsFixture.load()
        let entry = try fixture.entry(type)
        let gguf = try GGUFFile(path: Fixtures.path("tiny-smollm3-gguf/" + entry.sourceFile))
        let tensor = try #require(gguf.tensor(entry.tensor))
        #expect(tensor.type == type)
        let rows: [[Float]]
        if tensor.shape.count == 1 {
            rows = [try MatrixFactory.vector(tensor)]
        } else {
            let matrix = try MatrixFactory.matrix(tensor)
            rows = (0..<entry.rows).map { matrix.row($0) }
        }
        for r in 0..<entry.rows {
            let reference = try fixture.referenceRow(type, r)
            try #require(rows[r].count == entry.rowLength)
            #expect(maxAbsDifference(rows[r], reference) <= Self.tolerance, "row \(r)")
        }
    }

    @Test("row 0 from the fixture's raw hex dequantizes to gguf_dequant_rows", arguments: shippedTypes + [.bf16])
    func rawFirstRowMatches(type: TensorType) throws {
        let fixture = try DequantRowsFixture.load()
        let entry = try fixture.entry(type)
        let raw = try fixture.rawFirstRow(type)
        #expect(raw.count == entry.bytesPerRow)
        #expect(type.byteCount(elements: entry.rowLength) == raw.count)

        let buffer = WeightBuffer(byteCount: raw.count)
        buffer.raw.copyMemory(from: raw, byteCount: raw.count)
        let matrix = try MatrixFactory.matrix(type: type, rows: 1, cols: entry.rowLength,
                                              base: UnsafeRawPointer(buffer.raw), owner: buffer)
        #expect(maxAbsDifference(matrix.row(0), try fixture.referenceRow(type, 0)) <= Self.tolerance)
    }
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
