import CKernels
import SmolFormats

/// Q4_0, 18 bytes per 32 weights: d:f16, qs[16] (low nibbles = weights 0–15, high = 16–31) —
/// `w = d·(q − 8)`.
///
/// Pairs with Q8_0 activations: the nibbles minus 8 (low nibbles first, as ggml's
/// `bytes_from_nibbles_32`) are summed with the activations exactly per block and scaled into one
/// f32, as Q8_0 does, so the AVX-512 prompt tile can carry sixteen tokens per register.
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

    /// The portable Swift kernel (the C ones compute the same sums in the same order).
    public static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 18, ab = a + b * ActivationBlock.q8_0Bytes
            let weights = ByteLanes(unsigned: Nibbles.bytes32(wb + 2), minus: 8)
            let products = weights.pairProducts(ByteLanes(signed: ab + ActivationBlock.q8_0Quants))
            acc.addProduct(wb.half(at: 0) * ab.half(at: 0), Float(products.pairSums.wrappedSum()))
        }
        return acc
    }
}
