import CKernels
import SmolFormats

/// Q5_1, 24 bytes per 32 weights: d:f16, m:f16, qh:u32 (bit j = 5th bit of weight j), qs[16] —
/// `w = d·q + m`.
///
/// Pairs with Q8_1 activations: `d_w·d_a·Σ q_w·q_a + m·s` (ggml `ggml_vec_dot_q5_1_q8_1`), the
/// integer part summed exactly per block and scaled into one f32, as Q8_0 does.
public enum Q5_1: CKernelCodec {
    public static var type: TensorType { .q5_1 }
    public static var activationType: TensorType { .q8_1 }

    public static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 24, y = dst + b * 32
            let d = block.half(at: 0), m = block.half(at: 2)
            let qh = block.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
            let qs = block.uint8s(at: 8)
            for j in 0..<16 {
                let lo = UInt32(qs[j] & 0xF) | ((qh &>> UInt32(j)) & 1) << 4
                let hi = UInt32(qs[j] >> 4) | ((qh &>> UInt32(j + 16)) & 1) << 4
                y[j] = d * Float(lo) + m
                y[j + 16] = d * Float(hi) + m
            }
        }
    }

    public static var cDot: CDot { smol_ck_dot_q5_1_q8_1 }
    public static var cGemm: CGemm { smol_ck_gemm_q5_1_q8_1 }

    /// The portable Swift kernel (the C ones compute the same sums in the same order).
    public static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0, mins: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 24, ab = a + b * ActivationBlock.q8_1Bytes
            prefetchAhead(wb)
            let qs = wb.loadUnaligned(fromByteOffset: 8, as: SIMD8<UInt16>.self)
            let codes = SIMD16(lowHalf: qs & 0x0F0F, highHalf: (qs &>> 4) & 0x0F0F)
                | ByteLanes.fifthBits(wb.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let products = ByteLanes(unsigned: codes).pairProducts(ByteLanes(signed: ab + ActivationBlock.q8_1Quants))
            acc.addProduct(wb.half(at: 0) * ab.half(at: 0), Float(products.pairSums.wrappedSum()))
            mins += wb.half(at: 2) * ab.half(at: ActivationBlock.q8_1Sum)
        }
        return acc + mins
    }
}
