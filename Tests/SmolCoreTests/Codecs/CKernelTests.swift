import SmolCore
import SmolFormats
import Testing

/// The C kernels (CKernels) must compute the Swift kernels' sums in the same order, so the
/// two agree bit for bit; the batched `gemm` must equal one `dot` per (row, activation row).
@Suite("C kernels agree with the Swift kernels")
struct CKernelTests {
    static let rows = 13, cols = 2048

    static func swiftDot(_ type: TensorType) -> ((UnsafeRawPointer, UnsafeRawPointer, Int) -> Float)? {
        switch type {
        case .q8_0: { Q8_0.swiftDot($0, $1, blocks: $2) }
        case .q4_0: { Q4_0.swiftDot($0, $1, blocks: $2) }
        case .q4_1: { Q4_1.swiftDot($0, $1, blocks: $2) }
        case .q5_K: { Q5_K.swiftDot($0, $1, blocks: $2) }
        case .q2_K: { Q2_K.swiftDot($0, $1, blocks: $2) }
        case .q3_K: { Q3_K.swiftDot($0, $1, blocks: $2) }
        case .q5_0: { Q5_0.swiftDot($0, $1, blocks: $2) }
        case .q5_1: { Q5_1.swiftDot($0, $1, blocks: $2) }
        case .q4_K: { Q4_K.swiftDot($0, $1, blocks: $2) }
        case .q6_K: { Q6_K.swiftDot($0, $1, blocks: $2) }
        default: nil
        }
    }

    @Test("dot is bit-identical to the Swift kernel", arguments: [TensorType.q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K])
    func dotMatchesSwift(type: TensorType) throws {
        guard CPUFeatures.avx2 else { return }
        var rng = SeededGenerator(seed: 0xC0DE &+ UInt64(type.rawValue))
        let weights = SyntheticWeights(type, rows: Self.rows, cols: Self.cols, using: &rng)
        let codec = try #require(MatrixFactory.codecs[type])
        let reference = try #require(Self.swiftDot(type))
        let blocks = Self.cols / type.blockSize
        for r in 0..<Self.rows {
            let acts = QuantizedActivations(syntheticActivations(Self.cols, using: &rng), as: codec.activationType)
            let (c, s) = acts.withBytes { (codec.dot(weights.rowPointer(r), $0, blocks: blocks), reference(weights.rowPointer(r), $0, blocks)) }
            #expect(c.bitPattern == s.bitPattern, "row \(r): C \(c) vs Swift \(s)")
        }
    }

    @Test("gemm over rows × activation rows equals one dot each", arguments: [TensorType.q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K])
    func gemmMatchesDots(type: TensorType) throws {
        var rng = SeededGenerator(seed: 0x6E77 &+ UInt64(type.rawValue))
        let weights = SyntheticWeights(type, rows: Self.rows, cols: Self.cols, using: &rng)
        let codec = try #require(MatrixFactory.codecs[type])
        let blocks = Self.cols / type.blockSize
        let actType = codec.activationType
        let actRowBytes = blocks * actType.bytesPerBlock
        for count in [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33] {
            var x = [Float]()
            for _ in 0..<count { x += syntheticActivations(Self.cols, using: &rng) }
            var acts = [UInt8](repeating: 0, count: count * actRowBytes)
            acts.withUnsafeMutableBytes { a in
                x.withUnsafeBufferPointer { xp in
                    for t in 0..<count {
                        ActivationQuantizer.quantize(xp.baseAddress! + t * Self.cols, into: a.baseAddress! + t * actRowBytes,
                                                     count: Self.cols, as: actType)
                    }
                }
            }
            let rowBytes = blocks * type.bytesPerBlock
            var y = [Float](repeating: .nan, count: count * Self.rows)
            acts.withUnsafeBytes { a in
                y.withUnsafeMutableBufferPointer { yp in
                    codec.gemm(weights.rowPointer(0), rowBytes: rowBytes, rows: Self.rows, a.baseAddress!, actRowBytes: actRowBytes,
                               count: count, blocks: blocks, into: yp.baseAddress!, ldy: Self.rows)
                }
                for t in 0..<count {
                    for r in 0..<Self.rows {
                        let d = codec.dot(weights.rowPointer(r), a.baseAddress! + t * actRowBytes, blocks: blocks)
                        #expect(d.bitPattern == y[t * Self.rows + r].bitPattern, "count \(count) t \(t) r \(r)")
                    }
                }
            }
        }
    }
}
