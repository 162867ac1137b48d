import CKernels
import SmolFormats

/// Q4_K, 144 bytes per 256 weights: d:f16, dmin:f16, scales[12] (eight 6-bit scales and mins, one
/// pair per 32 weights), qs[128] — `w = d·sc·q − dmin·m`. Chunk c of 64 weights reads
/// `qs[32c ..< 32c+32]`: low nibbles are weights 64c…64c+31, high nibbles the next 32.
///
/// Pairs with Q8_K: each 32-weight sub-block's integer products times its 6-bit scale, summed
/// exactly over the block, then `acc = fma(d_a·d, Σ, acc)` in one f32; the mins meet the activation
/// block's per-16 sums as in ggml's `ggml_vec_dot_q4_K_q8_K`. Every Q4_K/Q5_K kernel (Swift, AVX2,
/// the AVX-512 prompt tile with sixteen tokens across its lanes) sums in that order, so prompts'
/// batched products equal per-token mat-vecs bit for bit.
public enum Q4_K: CKernelCodec {
    public static var type: TensorType { .q4_K }
    public static var activationType: TensorType { .q8_K }

    public static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 144, y = dst + b * 256
            let d = block.half(at: 0), dmin = block.half(at: 2)
            let (sc, m) = KQuantScales.scalesAndMins(block + 4)
            for c in 0..<4 {
                let q = block.uint8s(at: 16 + 32 * c), out = y + 64 * c
                let d1 = d * Float(sc[2 * c]), m1 = dmin * Float(m[2 * c])
                let d2 = d * Float(sc[2 * c + 1]), m2 = dmin * Float(m[2 * c + 1])
                for l in 0..<32 {
                    out[l] = d1 * Float(q[l] & 0xF) - m1
                    out[l + 32] = d2 * Float(q[l] >> 4) - m2
                }
            }
        }
    }

    public static var cDot: CDot { smol_ck_dot_q4_K_q8_K }
    public static var cGemm: CGemm { smol_ck_gemm_q4_K_q8_K }

    /// The portable Swift kernel (the C ones compute the same sums in the same order).
    public static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0, mins: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 144, ab = a + b * ActivationBlock.q8_KBytes
            let (sc, m) = KQuantScales.scalesAndMins(wb + 4)
            let qa = ab + ActivationBlock.q8_KQuants
            var isum = SIMD8<Int32>()
            for c in 0..<4 {
                let q = wb.loadUnaligned(fromByteOffset: 16 + 32 * c, as: SIMD16<UInt16>.self)
                let lo = ByteLanes(unsigned: q & 0x0F0F).pairProducts(ByteLanes(signed: qa + 64 * c))
                let hi = ByteLanes(unsigned: (q &>> 4) & 0x0F0F).pairProducts(ByteLanes(signed: qa + 64 * c + 32))
                isum &+= lo.pairSums(scaledBy: SIMD8(repeating: Int32(sc[2 * c])))
                isum &+= hi.pairSums(scaledBy: SIMD8(repeating: Int32(sc[2 * c + 1])))
            }
            let bsums = ab.int16s(at: ActivationBlock.q8_KSums)
            var msum: Int32 = 0
            for j in 0..<8 { msum &+= Int32(m[j]) &* (Int32(bsums[2 * j]) &+ Int32(bsums[2 * j + 1])) }
            let ad = ab.loadUnaligned(as: Float.self)
            acc.addProduct(ad * wb.half(at: 0), Float(isum.wrappedSum()))
            mins += ad * wb.half(at: 2) * Float(msum)
        }
        return acc - mins
    }
}
