import SmolFormats

/// Q8_0, 34 bytes per 32 weights: d:f16, qs[32]:i8 — `w = d·q`.
///
/// Pairs with Q8_0 activations: per block one int8·int8 sum, scaled by `d_w·d_a`
/// (ggml `ggml_vec_dot_q8_0_q8_0`).
public enum Q8_0: BlockCodec {
    public static var type: TensorType { .q8_0 }
    public static var activationType: TensorType { .q8_0 }

    public static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 34, y = dst + b * 32
            let d = block.half(at: 0)
            let qs = block.int8s(at: 2)
            for j in 0..<32 { y[j] = Float(qs[j]) * d }
        }
    }

    public static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 34, ab = a + b * ActivationBlock.q8_0Bytes
            let qw = wb.int8s(at: 2), qa = ab.int8s(at: ActivationBlock.q8_0Quants)
            var isum: Int32 = 0
            for j in 0..<32 { isum &+= Int32(qw[j]) &* Int32(qa[j]) }
            sum += wb.half(at: 0) * ab.half(at: 0) * Float(isum)
        }
        return sum
    }
}
