import SmolFormats

/// How far a fused quantized dot product may land from a reference, derived from the formats
/// rather than chosen: f32 rounding in the kernel, and the rounding of activations to 8 bits.
enum DotErrorBound {
    /// Unit roundoff of f32.
    static let u = Double(Float.ulpOfOne) / 2

    /// f32 rounding. Each block's term is a product of at most four rounded factors and a
    /// subtraction (≤ 5 roundings), the terms are summed in f32 (≤ `blocks` roundings), and the
    /// reference's dequantized weights carry ≤ 3 roundings each: `(blocks + 8)·u` times the sum
    /// of the magnitudes of the parts, `Σ |a|·(|w − z| + |z|)` (scale part and zero-point part).
    static func rounding(weights w: [Float], zeroPoints z: [Float], activations a: [Float], blocks: Int) -> Double {
        var magnitude = 0.0
        for i in w.indices { magnitude += Double(abs(a[i])) * (Double(abs(w[i] - z[i])) + Double(abs(z[i]))) }
        return Double(blocks + 8) * u * magnitude
    }

    /// The largest `|scale·q − x|` over one block of activations `x` quantized to `type`.
    ///
    /// With `d = amax/127`, `q = round(x/d)` is off by at most ½ step plus the f32 rounding of the
    /// scaled value (`127·2u` steps); storing the scale rounded (f16 for Q8_0/Q8_1, `1/iscale` in f32
    /// for Q8_K) moves every `q·scale` by at most `127·|stored − d|`.
    static func activationStep(_ x: ArraySlice<Float>, as type: TensorType) -> Double {
        var amax: Float = 0, extreme: Float = 0
        for v in x where abs(v) > amax { amax = abs(v); extreme = v }
        guard amax > 0 else { return 0 }
        let d = Double(amax) / 127
        let stored: Double = type == .q8_K ? Double(abs(1 / (-127 / extreme))) : Double(Float(Float16(amax / 127)))
        return d * (0.5 + 254 * u) + 127 * abs(stored - d)
    }

    /// The extra error of Q8_1 partners: the block min multiplies `s = d·Σq` rounded to f16
    /// (relative 2⁻¹¹), and `|d·Σq| ≤ 32·amax`.
    static func blockSumRounding(zeroPoint: Float, _ x: ArraySlice<Float>) -> Double {
        let amax = x.reduce(Float(0)) { max($0, abs($1)) }
        return Double(abs(zeroPoint)) * 32 * Double(amax) / 2048
    }
}
