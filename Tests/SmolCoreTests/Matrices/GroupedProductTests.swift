import SmolCore
import SmolFormats
import Testing

/// `WeightMatrices.products` runs q/k/v (gate/up) in one parallel region for a decode step; it must
/// give exactly what the matrices' own products give.
@Suite("Grouped products")
struct GroupedProductTests {
    /// Three matrices of one type with row counts that put chunk boundaries inside each of them.
    static func matrices(_ type: TensorType, cols: Int) throws -> [any WeightMatrix] {
        var rng = SeededGenerator(seed: 0x6A0 &+ UInt64(type.rawValue))
        return try [40, 24, 13].map { rows in
            switch type {
            case .f16: DenseMatrixTests.matrix(Float16.self, rows: rows, cols: cols, seed: rng.next(), store: DenseMatrixTests.f16).0
            case .bf16: DenseMatrixTests.matrix(BFloat16.self, rows: rows, cols: cols, seed: rng.next(), store: DenseMatrixTests.bf16).0
            case .f32: DenseMatrix<Float>(rows: rows, cols: cols, values: DenseMatrixTests.activations(rows * cols, seed: rng.next()))
            default: try SyntheticWeights(type, rows: rows, cols: cols, using: &rng).matrix()
            }
        }
    }

    @Test("products of matrices sharing an input equal their separate products, bit for bit",
          arguments: [TensorType.q8_0, .q4_0, .q5_1, .q4_K, .q6_K, .f16, .bf16, .f32])
    func groupedEqualsSeparate(type: TensorType) throws {
        let cols = 512
        let ms = try Self.matrices(type, cols: cols)
        for count in [1, 3] {
            for numerics in [Numerics.fast, .exact] {
                let x = DenseMatrixTests.activations(count * cols, seed: 77)
                let batch = ActivationBatch()
                // Each matrix's outputs at its own offset of one buffer per way of computing them.
                let offsets = [0, count * ms[0].rows, count * (ms[0].rows + ms[1].rows)]
                let total = count * ms.reduce(0) { $0 + $1.rows }
                var separate = [Float](repeating: .nan, count: total), grouped = separate
                x.withUnsafeBufferPointer { xp in
                    batch.reset(xp.baseAddress!, count: count, cols: cols)
                    separate.withUnsafeMutableBufferPointer { y in
                        for i in ms.indices { ms[i].product(batch, into: y.baseAddress! + offsets[i], numerics: numerics) }
                    }
                    grouped.withUnsafeMutableBufferPointer { y in
                        let y = y.baseAddress!
                        WeightMatrices.products(batch, numerics: numerics, (ms[0], y + offsets[0]), (ms[1], y + offsets[1]),
                                                (ms[2], y + offsets[2]))
                    }
                }
                #expect(grouped.map(\.bitPattern) == separate.map(\.bitPattern), "\(count) rows, \(numerics)")
            }
        }
    }
}
