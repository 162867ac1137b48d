import SmolFormats

/// Q4_0, 18 bytes per 32 weights: d:f16, qs[16] (low nibbles = weights 0–15, high = 16–31) —
/// `w = d·(q − 8)`.
///
/// Pairs with Q8_0 activations (ggml `ggml_vec_dot_q4_0_q8_0`): one integer sum per block.
public enum Q4_0: BlockCodec {
    public static var type: TensorType { .q4_0 }
    public static var activationType: TensorType { .q8_0 }

    public static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 18, y = dst + b * 32
            let d = block.half(at: 0)
            let qs = block.uint8s(at: 2)
            for j in 0..<16 {
                y[j] = d * Float(Int32(qs[j] & 0xF) - 8)
                y[j + 16] = d * Float(Int32(qs[j] >> 4) - 8)
            }
        }
    }

    public static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 18, ab = a + b * ActivationBlock.q8_0Bytes
            let qs = wb.uint8s(at: 2), qa = ab.int8s(at: ActivationBlock.q8_0Quants)
            var isum: Int32 = 0
            for j in 0..<16 {
                isum &+= (Int32(qs[j] & 0xF) &- 8) &* Int32(qa[j])
                isum &+= (Int32(qs[j] >> 4) &- 8) &* Int32(qa[j + 16])
            }
            sum += wb.half(at: 0) * ab.half(at: 0) * Float(isum)
        }
        return sum
    }
}
