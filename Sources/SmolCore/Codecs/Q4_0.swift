import CKernels
import SmolFormats

/// Q4_0, 18 bytes per 32 weights: d:f16, qs[16] (low nibbles = weights 0–15, high = 16–31) —
/// `w = d·(q − 8)`.
///
/// Pairs with Q8_0 activations: the nibbles minus 8 take Q8_0's lanes (ggml's AVX2
/// `ggml_vec_dot_q4_0_q8_0`).
public enum Q4_0: CKernelCodec {
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

    public static var cDot: CDot { smol_ck_dot_q4_0_q8_0 }
    public static var cGemm: CGemm { smol_ck_gemm_q4_0_q8_0 }

    /// The portable Swift kernel (the C one computes the same lanes in the same order).
    public static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        for b in 0..<blocks {
            let wb = w + b * 18, ab = a + b * ActivationBlock.q8_0Bytes
            let weights = ByteLanes(unsigned: Nibbles.bytes32(wb + 2), minus: 8)
            let products = weights.pairProducts(ByteLanes(signed: ab + ActivationBlock.q8_0Quants))
            acc.addProduct(SIMD8(repeating: wb.half(at: 0) * ab.half(at: 0)), SIMD8<Float>(products.pairSums))
        }
        return acc.ggmlSum
    }
}
