import CKernels
import SmolFormats

/// Q2_K, 84 bytes per 256 weights: scales[16] (low nibble = scale, high nibble = min, one pair
/// per 16 weights), qs[64] (four 2-bit weights per byte), d:f16, dmin:f16 — `w = d·sc·q − dmin·m`.
///
/// Weights run in two halves of 128; within a half, bits 2j…2j+1 of `qs[32·half + l]` are weight
/// `128·half + 32·j + l`. Pairs with Q8_K: the scaled integer sums of the 16 groups, summed exactly
/// over the block and scaled into one f32 (as Q4_K), and the mins through the activation block's
/// per-16 sums (ggml `ggml_vec_dot_q2_K_q8_K`).
public enum Q2_K: CKernelCodec {
    public static var type: TensorType { .q2_K }
    public static var activationType: TensorType { .q8_K }

    public static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 84, y = dst + b * 256
            let d = block.half(at: 80), dmin = block.half(at: 82)
            let sc = block.uint8s(at: 0)
            for half in 0..<2 {
                let q = block.uint8s(at: 16 + 32 * half)
                for j in 0..<4 {
                    let shift = UInt8(2 * j)
                    for g in 0..<2 {
                        let s = sc[8 * half + 2 * j + g]
                        let dl = d * Float(s & 0xF), ml = dmin * Float(s >> 4)
                        let out = y + 128 * half + 32 * j + 16 * g, qg = q + 16 * g
                        for l in 0..<16 { out[l] = dl * Float((qg[l] &>> shift) & 3) - ml }
                    }
                }
            }
        }
    }

    public static var cDot: CDot { smol_ck_dot_q2_K_q8_K }
    public static var cGemm: CGemm { smol_ck_gemm_q2_K_q8_K }

    /// The portable Swift kernel (the C ones compute the same sums in the same order).
    public static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0, mins: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 84, ab = a + b * ActivationBlock.q8_KBytes
            for line in stride(from: 0, to: 84, by: 64) { prefetchAhead(wb + line) }
            let sc = wb.uint8s(at: 0)
            let qa = ab + ActivationBlock.q8_KQuants
            var isum = SIMD8<Int32>()
            for half in 0..<2 {
                let q = wb.loadUnaligned(fromByteOffset: 16 + 32 * half, as: SIMD16<UInt16>.self)
                for j in 0..<4 {
                    let g = 8 * half + 2 * j
                    let products = ByteLanes(unsigned: (q &>> UInt16(2 * j)) & 0x0303).pairProducts(ByteLanes(signed: qa + 16 * g))
                    isum &+= products.pairSums(scaledBy: SIMD8(halves: Int32(sc[g] & 0xF), Int32(sc[g + 1] & 0xF)))
                }
            }
            let bsums = ab.int16s(at: ActivationBlock.q8_KSums)
            var msum: Int32 = 0
            for k in 0..<16 { msum &+= Int32(sc[k] >> 4) &* Int32(bsums[k]) }
            let ad = ab.loadUnaligned(as: Float.self)
            acc.addProduct(ad * wb.half(at: 80), Float(isum.wrappedSum()))
            mins += ad * wb.half(at: 82) * Float(msum)
        }
        return acc - mins
    }
}
