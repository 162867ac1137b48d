import CKernels
import SmolFormats

/// Q4_1, 20 bytes per 32 weights: d:f16, m:f16, qs[16] (low nibbles = weights 0–15) — `w = d·q + m`.
///
/// Pairs with Q8_1 activations, whose `s = d_a·Σq_a` turns the min term into one multiply:
/// `Σ w·a = d_w·d_a·Σ q_w·q_a + m·s` (ggml's `ggml_vec_dot_q4_1_q8_1`), the integer part summed
/// exactly per block and scaled into one f32, as Q8_0 does.
public enum Q4_1: CKernelCodec {
    public static var type: TensorType { .q4_1 }
    public static var activationType: TensorType { .q8_1 }

    public static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 20, y = dst + b * 32
            let d = block.half(at: 0), m = block.half(at: 2)
            let qs = block.uint8s(at: 4)
            for j in 0..<16 {
                y[j] = d * Float(qs[j] & 0xF) + m
                y[j + 16] = d * Float(qs[j] >> 4) + m
            }
        }
    }

    public static var cDot: CDot { smol_ck_dot_q4_1_q8_1 }
    public static var cGemm: CGemm { smol_ck_gemm_q4_1_q8_1 }

    /// The portable Swift kernel (the C ones compute the same sums in the same order).
    public static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0, mins: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 20, ab = a + b * ActivationBlock.q8_1Bytes
            let products = ByteLanes(unsigned: Nibbles.bytes32(wb + 4)).pairProducts(ByteLanes(signed: ab + ActivationBlock.q8_1Quants))
            acc.addProduct(wb.half(at: 0) * ab.half(at: 0), Float(products.pairSums.wrappedSum()))
            mins += wb.half(at: 2) * ab.half(at: ActivationBlock.q8_1Sum)
        }
        return acc + mins
    }
}
