import CKernels
import SmolFormats

/// Q3_K, 110 bytes per 256 weights: hmask[32] (third bit), qs[64] (low 2 bits, four per byte),
/// scales[12] (sixteen 6-bit signed scales, one per 16 weights), d:f16 — `w = d·sc·(q − 4)` where
/// `q` is the 3-bit value (a clear hmask bit means −4).
///
/// Order as Q2_K: bits 2j of `qs[32·half + l]` and bit `4·half + j` of `hmask[l]` are weight
/// `128·half + 32·j + l`. Pairs with Q8_K: sums of `q·a` per 16 weights scaled by `sc`, summed
/// exactly over the block and scaled into one f32 (the order it shares with Q6_K); the −4 offset
/// applied once through the activation block's per-16 sums (ggml `ggml_vec_dot_q3_K_q8_K`).
public enum Q3_K: CKernelCodec {
    public static var type: TensorType { .q3_K }
    public static var activationType: TensorType { .q8_K }

    public static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 110, y = dst + b * 256
            let d = block.half(at: 108)
            let scales = KQuantScales.q3Scales(block + 96)
            let hm = block.uint8s(at: 0)
            for half in 0..<2 {
                let q = block.uint8s(at: 32 + 32 * half)
                for j in 0..<4 {
                    let shift = UInt8(2 * j), bit = UInt8(4 * half + j)
                    for g in 0..<2 {
                        let dl = d * Float(scales[8 * half + 2 * j + g])
                        let out = y + 128 * half + 32 * j + 16 * g
                        for l in 16 * g..<16 * g + 16 {
                            let v = Int32((q[l] &>> shift) & 3) - ((hm[l] &>> bit) & 1 == 0 ? 4 : 0)
                            out[l - 16 * g] = dl * Float(v)
                        }
                    }
                }
            }
        }
    }

    public static var cDot: CDot { smol_ck_dot_q3_K_q8_K }
    public static var cGemm: CGemm { smol_ck_gemm_q3_K_q8_K }

    /// The portable Swift kernel (the C ones compute the same sums in the same order).
    public static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0, offsets: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 110, ab = a + b * ActivationBlock.q8_KBytes
            for line in stride(from: 0, to: 110, by: 64) { prefetchAhead(wb + line) }
            let scales = KQuantScales.q3Scales(wb + 96)
            let hm = wb.loadUnaligned(as: SIMD16<UInt16>.self)
            let qa = ab + ActivationBlock.q8_KQuants
            var isum = SIMD8<Int32>()
            for half in 0..<2 {
                let q = wb.loadUnaligned(fromByteOffset: 32 + 32 * half, as: SIMD16<UInt16>.self)
                for j in 0..<4 {
                    let g = 8 * half + 2 * j
                    let codes = ((q &>> UInt16(2 * j)) & 0x0303) | ((hm &>> UInt16(4 * half + j)) & 0x0101) &<< 2
                    let products = ByteLanes(unsigned: codes).pairProducts(ByteLanes(signed: qa + 16 * g))
                    isum &+= products.pairSums(scaledBy: SIMD8(halves: Int32(scales[g]), Int32(scales[g + 1])))
                }
            }
            let bsums = ab.int16s(at: ActivationBlock.q8_KSums)
            var offset: Int32 = 0
            for k in 0..<16 { offset &+= Int32(scales[k]) &* Int32(bsums[k]) }
            let d = ab.loadUnaligned(as: Float.self) * wb.half(at: 108)
            acc.addProduct(d, Float(isum.wrappedSum()))
            offsets += d * Float(4 &* offset)
        }
        return acc - offsets
    }
}
