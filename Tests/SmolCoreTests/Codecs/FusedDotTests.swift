import SmolCore
import SmolFormats
import Testing

/// The quantized types whose `fast` product is a fused integer dot.
let quantizedTypes: [TensorType] = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K]

@Suite("Fused quantized dot products")
struct FusedDotTests {
    static let rows = 24, cols = 1024

    @Test("dot equals the f64 product of dequantized weights and dequantized activations, up to f32 rounding",
          arguments: quantizedTypes)
    func matchesDequantizedProduct(type: TensorType) throws {
        var rng = SeededGenerator(seed: 0xD07 &+ UInt64(type.rawValue))
        let weights = SyntheticWeights(type, rows: Self.rows, cols: Self.cols, using: &rng)
        let matrix = try weights.matrix()
        let codec = try #require(MatrixFactory.codecs[type])
        let blocks = Self.cols / type.blockSize
        for r in 0..<Self.rows {
            let x = syntheticActivations(Self.cols, using: &rng)
            let acts = QuantizedActivations(x, as: codec.activationType)
            let a = acts.dequantized
            let w = matrix.row(r)
            let z = try zeroPoints(type, row: weights.rowPointer(r), cols: Self.cols)

            var reference = zip(w, a).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            var bound = DotErrorBound.rounding(weights: w, zeroPoints: z, activations: a, blocks: blocks)
            if BlockLayout.usesBlockSums(type) {
                // The kernel multiplies the block min by the stored s, not by Σ of the dequantized activations.
                for b in 0..<acts.blocks {
                    let m = Double(z[b * 32]), s = Double(acts.blockSum(b))
                    let sumQ = acts.quants(b).reduce(0) { $0 + Int($1) }
                    reference += m * (s - Double(acts.scale(b)) * Double(sumQ))
                    bound += Double(blocks + 8) * DotErrorBound.u * abs(m * s)
                }
            }
            let fast = acts.withBytes { codec.dot(weights.rowPointer(r), $0, blocks: blocks) }
            #expect(abs(Double(fast) - reference) <= bound, "row \(r): fast \(fast) vs \(reference), bound \(bound)")
        }
    }

    @Test("dot stays within the activation-quantization error of the exact f32 product", arguments: quantizedTypes)
    func withinActivationQuantizationError(type: TensorType) throws {
        var rng = SeededGenerator(seed: 0xAC7 &+ UInt64(type.rawValue))
        let weights = SyntheticWeights(type, rows: Self.rows, cols: Self.cols, using: &rng)
        let matrix = try weights.matrix()
        for r in 0..<Self.rows {
            let x = syntheticActivations(Self.cols, using: &rng)
            let w = matrix.row(r)
            let z = try zeroPoints(type, row: weights.rowPointer(r), cols: Self.cols)
            try expectWithinActivationError(type, weights: weights.rowPointer(r), dequantized: w, zeroPoints: z, x: x)
        }
    }

    @Test("dot on the fixture GGUF's real quantized rows stays within the activation-quantization error",
          arguments: quantizedTypes)
    func realRowsWithinActivationQuantizationError(type: TensorType) throws {
        let fixture = try DequantRowsFixture.load()
        let entry = try fixture.entry(type)
        let gguf = try GGUFFile(path: Fixtures.path("tiny-smollm3-gguf/" + entry.sourceFile))
        let tensor = try #require(gguf.tensor(entry.tensor))
        let matrix = try MatrixFactory.matrix(tensor)
        var rng = SeededGenerator(seed: 0x6601 &+ UInt64(type.rawValue))
        let rowBytes = try #require(type.byteCount(elements: matrix.cols))
        for r in 0..<min(matrix.rows, 32) {
            let row = try #require(tensor.bytes.baseAddress) + r * rowBytes
            let x = syntheticActivations(matrix.cols, using: &rng)
            let z = try zeroPoints(type, row: row, cols: matrix.cols)
            try expectWithinActivationError(type, weights: row, dequantized: matrix.row(r), zeroPoints: z, x: x)
        }
    }

    /// `|fast − Σ w·x| ≤ Σ |w|·step(block) (+ the Q8_1 sum rounding) + f32 rounding`.
    private func expectWithinActivationError(_ type: TensorType, weights: UnsafeRawPointer, dequantized w: [Float],
                                             zeroPoints z: [Float], x: [Float]) throws {
        let codec = try #require(MatrixFactory.codecs[type])
        let actType = codec.activationType
        let acts = QuantizedActivations(x, as: actType)
        let reference = zip(w, x).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        var bound = DotErrorBound.rounding(weights: w, zeroPoints: z, activations: acts.dequantized, blocks: w.count / type.blockSize)
        for b in 0..<acts.blocks {
            let range = (b * actType.blockSize)..<((b + 1) * actType.blockSize)
            let step = DotErrorBound.activationStep(x[range], as: actType)
            for i in range { bound += (Double(abs(w[i] - z[i])) + Double(abs(z[i]))) * step }
            if BlockLayout.usesBlockSums(type) {
                bound += DotErrorBound.blockSumRounding(zeroPoint: z[range.lowerBound], x[range])
            }
        }
        let fast = acts.withBytes { codec.dot(weights, $0, blocks: w.count / type.blockSize) }
        #expect(abs(Double(fast) - reference) <= bound, "fast \(fast) vs exact \(reference), bound \(bound)")
    }
}
