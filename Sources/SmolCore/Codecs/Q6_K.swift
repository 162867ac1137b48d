import CKernels
import SmolFormats

/// Q6_K, 210 bytes per 256 weights: ql[128] (low 4 bits), qh[64] (high 2 bits), scales[16]:i8
/// (one per 16 weights), d:f16 — `w = d·sc·(q − 32)`.
///
/// Each half of 128 weights reads `ql[64·half…]` and `qh[32·half…]`: for l < 32, weight l is
/// `lo(ql[l])` with qh bits 0–1, weight l+32 `lo(ql[l+32])` with bits 2–3, weight l+64
/// `hi(ql[l])` with bits 4–5, weight l+96 `hi(ql[l+32])` with bits 6–7. Pairs with Q8_K: the
/// unsigned 6-bit codes times the activations, each 16 scaled by their `sc`, summed exactly over
/// the block and scaled into one f32 (as Q4_K, so the AVX-512 prompt tile can carry sixteen tokens
/// per register); the −32 is applied once per block through the activation block's per-16 sums, as
/// ggml's `ggml_vec_dot_q6_K_q8_K` does.
public enum Q6_K: CKernelCodec {
    public static var type: TensorType { .q6_K }
    public static var activationType: TensorType { .q8_K }

    public static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 210
            let d = block.half(at: 208)
            let scales = block.int8s(at: 192)
            for half in 0..<2 {
                let ql = block.uint8s(at: 64 * half), qh = block.uint8s(at: 128 + 32 * half)
                let sc = scales + 8 * half, y = dst + b * 256 + 128 * half
                for l in 0..<32 {
                    let g = l / 16
                    let q1 = Int32((ql[l] & 0xF) | (qh[l] & 3) << 4) - 32
                    let q2 = Int32((ql[l + 32] & 0xF) | ((qh[l] >> 2) & 3) << 4) - 32
                    let q3 = Int32((ql[l] >> 4) | ((qh[l] >> 4) & 3) << 4) - 32
                    let q4 = Int32((ql[l + 32] >> 4) | ((qh[l] >> 6) & 3) << 4) - 32
                    y[l] = d * Float(sc[g]) * Float(q1)
                    y[l + 32] = d * Float(sc[g + 2]) * Float(q2)
                    y[l + 64] = d * Float(sc[g + 4]) * Float(q3)
                    y[l + 96] = d * Float(sc[g + 6]) * Float(q4)
                }
            }
        }
    }

    public static var cDot: CDot { smol_ck_dot_q6_K_q8_K }
    public static var cGemm: CGemm { smol_ck_gemm_q6_K_q8_K }

    /// The portable Swift kernel (the C ones compute the same sums in the same order).
    public static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0, offsets: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 210, ab = a + b * ActivationBlock.q8_KBytes
            let scales = wb.int8s(at: 192)
            let qa = ab + ActivationBlock.q8_KQuants
            var isum = SIMD8<Int32>()
            /// 32 codes against their activations, each 16 scaled by its own `sc[g]`, `sc[g + 1]`.
            @inline(__always) func add(_ codes: SIMD16<UInt16>, _ g: Int) {
                let products = ByteLanes(unsigned: codes).pairProducts(ByteLanes(signed: qa + 16 * g))
                isum &+= products.pairSums(scaledBy: SIMD8(halves: Int32(scales[g]), Int32(scales[g + 1])))
            }
            for half in 0..<2 {
                let ql0 = wb.loadUnaligned(fromByteOffset: 64 * half, as: SIMD16<UInt16>.self)
                let ql1 = wb.loadUnaligned(fromByteOffset: 64 * half + 32, as: SIMD16<UInt16>.self)
                let qh = wb.loadUnaligned(fromByteOffset: 128 + 32 * half, as: SIMD16<UInt16>.self)
                add((ql0 & 0x0F0F) | (qh & 0x0303) &<< 4, 8 * half)
                add((ql1 & 0x0F0F) | ((qh &>> 2) & 0x0303) &<< 4, 8 * half + 2)
                add(((ql0 &>> 4) & 0x0F0F) | ((qh &>> 4) & 0x0303) &<< 4, 8 * half + 4)
                add(((ql1 &>> 4) & 0x0F0F) | ((qh &>> 6) & 0x0303) &<< 4, 8 * half + 6)
            }
            let bsums = ab.int16s(at: ActivationBlock.q8_KSums)
            var offset: Int32 = 0
            for k in 0..<16 { offset &+= Int32(scales[k]) &* Int32(bsums[k]) }
            let d = ab.loadUnaligned(as: Float.self) * wb.half(at: 208)
            acc.addProduct(d, Float(isum.wrappedSum()))
            offsets += d * Float(32 &* offset)
        }
        return acc - offsets
    }
}
