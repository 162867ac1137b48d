@testable import SmolCore
import SmolFormats
import Testing

/// Activations are quantized as llama.cpp's x86 CPU backend does (AVX2 `quantize_row_q8_0/1`,
/// `quantize_row_q8_K_ref`), so ties at .5 must go to even, not away from zero.
@Suite("Activation quantization")
struct ActivationQuantizerTests {
    /// A block whose largest magnitude is 127, so the multiplier is exactly 1 (Q8_0/Q8_1: 127/amax;
    /// Q8_K: −127/max with max = −127) and each value's quant is its own rounding.
    static func tieBlock(count: Int) -> [Float] {
        var x = [Float](repeating: 0, count: count)
        x[0] = -127
        x[1] = 2.5; x[2] = 3.5; x[3] = -2.5; x[4] = -0.5; x[5] = 0.5; x[6] = 126.5
        return x
    }

    @Test("Q8_0 and Q8_1 round ties to even, as ggml's AVX2 quantizers do", arguments: [TensorType.q8_0, .q8_1])
    func q8BlockTiesToEven(type: TensorType) {
        let acts = QuantizedActivations(Self.tieBlock(count: 32), as: type)
        #expect(acts.quants(0).prefix(7) == [-127, 2, 4, -2, 0, 0, 126])
        #expect(acts.scale(0) == 1)
    }

    @Test("Q8_K rounds ties to even, as ggml's nearest_int does")
    func q8KTiesToEven() {
        let acts = QuantizedActivations(Self.tieBlock(count: 256), as: .q8_K)
        #expect(acts.quants(0).prefix(7) == [-127, 2, 4, -2, 0, 0, 126])
        #expect(acts.scale(0) == 1)
    }

    @Test("Q8_K keeps the sign of the largest value in its scale")
    func q8KScaleSign() {
        var x = [Float](repeating: 0.25, count: 256)
        x[7] = 2
        let acts = QuantizedActivations(x, as: .q8_K)
        #expect(acts.scale(0) == 1 / (Float(-127) / 2))
        #expect(acts.quants(0)[7] == -127)
    }

    @Test("Q8_1 stores s = d·Σq rounded to f16")
    func q8_1BlockSum() {
        var rng = SeededGenerator(seed: 81)
        let x = (0..<32).map { _ in Float.random(in: -3...3, using: &rng) }
        let acts = QuantizedActivations(x, as: .q8_1)
        let amax = x.map(abs).max() ?? 0
        let sum = acts.quants(0).reduce(0) { $0 + Int($1) }
        #expect(acts.blockSum(0) == Float(Float16(amax / 127 * Float(sum))))
    }

    @Test("Q8_0 and Q8_1 equal ggml's AVX2 definition value by value, ties and a zero block included",
          arguments: [TensorType.q8_0, .q8_1])
    func q8MatchesReference(type: TensorType) {
        var rng = SeededGenerator(seed: 0x0832)
        var x = (0..<(32 * 8)).map { _ in Float.random(in: -5...5, using: &rng) }
        for j in 64..<96 { x[j] = Float(Int.random(in: -8...8, using: &rng)) + 0.5 }
        x[64] = 127  // multiplier exactly 1: every .5 is a tie
        for j in 96..<128 { x[j] = 0 }
        let acts = QuantizedActivations(x, as: type)
        for b in 0..<8 {
            let block = x[(32 * b)..<(32 * b + 32)]
            let amax = block.map { abs($0) }.max()!
            let id: Float = amax != 0 ? 127 / amax : 0
            let quants = block.map { Int8(($0 * id).rounded(.toNearestOrEven)) }
            #expect(acts.quants(b) == quants, "block \(b)")
            #expect(acts.scale(b) == Float(Float16(amax / 127)), "block \(b)")
        }
    }

    /// ggml's `quantize_row_q8_K_ref` for one block, value by value: the written definition the
    /// vectorised quantizer must reproduce byte for byte.
    static func q8KReference(_ x: ArraySlice<Float>) -> (scale: Float, quants: [Int8]) {
        var amax: Float = 0, extreme: Float = 0
        for v in x where abs(v) > amax {
            amax = abs(v)
            extreme = v
        }
        guard amax != 0 else { return (0, [Int8](repeating: 0, count: x.count)) }
        let iscale = -127 / extreme
        return (1 / iscale, x.map { Int8(min(127, Int32((iscale * $0).rounded(.toNearestOrEven)))) })
    }

    @Test("Q8_K equals ggml's value-by-value definition, repeated maxima and both signs included")
    func q8KMatchesReference() {
        var rng = SeededGenerator(seed: 0x08CB)
        var x = (0..<(256 * 6)).map { _ in Float.random(in: -3...3, using: &rng) }
        x[256 + 40] = 9; x[256 + 200] = -9  // equal magnitudes: the first one sets the sign
        x[512 + 3] = -7.5; x[512 + 100] = 7.5
        for j in 768..<1024 { x[j] = Float(Int.random(in: -8...8, using: &rng)) + 0.5 }  // ties
        for j in 1024..<1280 { x[j] = 0 }
        x[1030] = 1e-30
        let acts = QuantizedActivations(x, as: .q8_K)
        for b in 0..<6 {
            let reference = Self.q8KReference(x[(256 * b)..<(256 * b + 256)])
            #expect(acts.scale(b) == reference.scale, "block \(b)")
            #expect(acts.quants(b) == reference.quants, "block \(b)")
        }
    }

    @Test("Q8_K stores the sum of each 16 quants")
    func q8KGroupSums() {
        var rng = SeededGenerator(seed: 82)
        let x = (0..<256).map { _ in Float.random(in: -1...1, using: &rng) }
        let acts = QuantizedActivations(x, as: .q8_K)
        let q = acts.quants(0)
        let sums = acts.withBytes { p in (0..<16).map { p.int16s(at: ActivationBlock.q8_KSums)[$0] } }
        #expect(sums == (0..<16).map { g in Int16(q[(16 * g)..<(16 * g + 16)].reduce(0) { $0 + Int($1) }) })
    }

    @Test("an all-zero block quantizes to zero scale and zero quants", arguments: [TensorType.q8_0, .q8_1, .q8_K])
    func zeroBlock(type: TensorType) {
        let acts = QuantizedActivations([Float](repeating: 0, count: type.blockSize), as: type)
        #expect(acts.scale(0) == 0)
        #expect(acts.quants(0).allSatisfy { $0 == 0 })
    }
}
