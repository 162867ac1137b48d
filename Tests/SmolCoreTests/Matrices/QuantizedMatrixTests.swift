import SmolCore
import SmolFormats
import Testing

@Suite("QuantizedMatrix")
struct QuantizedMatrixTests {
    /// Tokens spanning two prompt passes, whole 16-token tiles and leftovers.
    static let rows = 40, cols = 512, tokens = WeightMatrices.promptBlock + 19

    @Test("fast matmul over many tokens equals a fast matvec per token, bit for bit", arguments: quantizedTypes)
    func matmulMatchesMatvec(type: TensorType) throws {
        var rng = SeededGenerator(seed: 0x3A7 &+ UInt64(type.rawValue))
        let matrix = try SyntheticWeights(type, rows: Self.rows, cols: Self.cols, using: &rng).matrix()
        let x = syntheticActivations(Self.tokens * Self.cols, using: &rng)
        var batched = [Float](repeating: 0, count: Self.tokens * Self.rows)
        matrix.matmul(x, count: Self.tokens, into: &batched, numerics: .fast)
        for t in 0..<Self.tokens {
            var single = [Float](repeating: 0, count: Self.rows)
            Array(x[(t * Self.cols)..<((t + 1) * Self.cols)]).withUnsafeBufferPointer { xt in
                matrix.matvec(xt.baseAddress!, into: &single, numerics: .fast)
            }
            #expect(Array(batched[(t * Self.rows)..<((t + 1) * Self.rows)]) == single, "token \(t)")
        }
    }

    @Test("exact matvec is the f32 product of the dequantized rows", arguments: quantizedTypes)
    func exactMatvecUsesDequantizedWeights(type: TensorType) throws {
        var rng = SeededGenerator(seed: 0xE8 &+ UInt64(type.rawValue))
        let matrix = try SyntheticWeights(type, rows: Self.rows, cols: Self.cols, using: &rng).matrix()
        let x = syntheticActivations(Self.cols, using: &rng)
        var y = [Float](repeating: 0, count: Self.rows)
        matrix.matvec(x, into: &y, numerics: .exact)
        for r in 0..<Self.rows {
            let w = matrix.row(r)
            let reference = zip(w, x).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            // An f32 dot of n terms is within n·u·Σ|w·x| of the exact one.
            let bound = Double(Self.cols) * DotErrorBound.u * zip(w, x).reduce(0.0) { $0 + Double(abs($1.0 * $1.1)) }
            #expect(abs(Double(y[r]) - reference) <= bound, "row \(r)")
        }
    }
}
