import CKernels
import SmolFormats

/// Q5_K, 176 bytes per 256 weights: d:f16, dmin:f16, scales[12] (as Q4_K), qh[32], qs[128] —
/// `w = d·sc·q − dmin·m`, with `q` the nibble of Q4_K's layout plus 16 when bit `2c` (low nibble)
/// or `2c+1` (high nibble) of `qh[l]` is set, for chunk c.
///
/// Pairs with Q8_K like Q4_K (ggml `ggml_vec_dot_q5_K_q8_K`).
public enum Q5_K: CKernelCodec {
    public static var type: TensorType { .q5_K }
    public static var activationType: TensorType { .q8_K }

    public static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 176, y = dst + b * 256
            let d = block.half(at: 0), dmin = block.half(at: 2)
            let (sc, m) = KQuantScales.scalesAndMins(block + 4)
            let qh = block.uint8s(at: 16)
            for c in 0..<4 {
                let q = block.uint8s(at: 48 + 32 * c), out = y + 64 * c
                let d1 = d * Float(sc[2 * c]), m1 = dmin * Float(m[2 * c])
                let d2 = d * Float(sc[2 * c + 1]), m2 = dmin * Float(m[2 * c + 1])
                let bit = UInt8(2 * c)
                for l in 0..<32 {
                    let lo = (q[l] & 0xF) | ((qh[l] &>> bit) & 1) << 4
                    let hi = (q[l] >> 4) | ((qh[l] &>> (bit + 1)) & 1) << 4
                    out[l] = d1 * Float(lo) - m1
                    out[l + 32] = d2 * Float(hi) - m2
                }
            }
        }
    }

    public static var cDot: CDot { smol_ck_dot_q5_K_q8_K }
    public static var cGemm: CGemm { smol_ck_gemm_q5_K_q8_K }

    /// The portable Swift kernel (the C ones compute the same sums in the same order).
    public static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0, mins: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 176, ab = a + b * ActivationBlock.q8_KBytes
            for line in stride(from: 0, to: 176, by: 64) { prefetchAhead(wb + line) }
            let (sc, m) = KQuantScales.scalesAndMins(wb + 4)
            let qh = wb.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt16>.self)
            let qa = ab + ActivationBlock.q8_KQuants
            var isum = SIMD8<Int32>()
            for c in 0..<4 {
                let q = wb.loadUnaligned(fromByteOffset: 48 + 32 * c, as: SIMD16<UInt16>.self)
                let bit = UInt16(2 * c)
                let loCodes = (q & 0x0F0F) | ((qh &>> bit) & 0x0101) &<< 4
                let hiCodes = ((q &>> 4) & 0x0F0F) | ((qh &>> (bit + 1)) & 0x0101) &<< 4
                let lo = ByteLanes(unsigned: loCodes).pairProducts(ByteLanes(signed: qa + 64 * c))
                let hi = ByteLanes(unsigned: hiCodes).pairProducts(ByteLanes(signed: qa + 64 * c + 32))
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
