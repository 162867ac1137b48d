import CKernels
import SmolFormats

/// Q5_0, 22 bytes per 32 weights: d:f16, qh:u32 (bit j = 5th bit of weight j), qs[16] (low
/// nibbles = weights 0–15) — `w = d·(q − 16)`.
///
/// Pairs with Q8_0 activations: per block, the nibbles (low ones first) with their fifth bits as
/// 32 bytes minus 16, summed with the activations exactly and scaled into one f32, as Q8_0 does.
public enum Q5_0: CKernelCodec {
    public static var type: TensorType { .q5_0 }
    public static var activationType: TensorType { .q8_0 }

    public static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 22, y = dst + b * 32
            let d = block.half(at: 0)
            let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
            let qs = block.uint8s(at: 6)
            for j in 0..<16 {
                let lo = Int32(qs[j] & 0xF) | Int32((qh &>> UInt32(j)) & 1) << 4
                let hi = Int32(qs[j] >> 4) | Int32((qh &>> UInt32(j + 16)) & 1) << 4
                y[j] = d * Float(lo - 16)
                y[j + 16] = d * Float(hi - 16)
            }
        }
    }

    public static var cDot: CDot { smol_ck_dot_q5_0_q8_0 }
    public static var cGemm: CGemm { smol_ck_gemm_q5_0_q8_0 }

    /// The portable Swift kernel (the C ones compute the same sums in the same order).
    public static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 22, ab = a + b * ActivationBlock.q8_0Bytes
            prefetchAhead(wb)
            let qs = wb.loadUnaligned(fromByteOffset: 6, as: SIMD8<UInt16>.self)
            let codes = SIMD16(lowHalf: qs & 0x0F0F, highHalf: (qs &>> 4) & 0x0F0F)
                | ByteLanes.fifthBits(wb.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            let products = ByteLanes(unsigned: codes, minus: 16).pairProducts(ByteLanes(signed: ab + ActivationBlock.q8_0Quants))
            acc.addProduct(wb.half(at: 0) * ab.half(at: 0), Float(products.pairSums.wrappedSum()))
        }
        return acc
    }
}
