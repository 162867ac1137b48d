import SmolFormats

/// Q6_K, 210 bytes per 256 weights: ql[128] (low 4 bits), qh[64] (high 2 bits), scales[16]:i8
/// (one per 16 weights), d:f16 — `w = d·sc·(q − 32)`.
///
/// Each half of 128 weights reads `ql[64·half…]` and `qh[32·half…]`: for l < 32, weight l is
/// `lo(ql[l])` with qh bits 0–1, weight l+32 `lo(ql[l+32])` with bits 2–3, weight l+64
/// `hi(ql[l])` with bits 4–5, weight l+96 `hi(ql[l+32])` with bits 6–7. Pairs with Q8_K: unsigned
/// 6-bit sums per 16 weights scaled by `sc`, the −32 applied once through the activation block's
/// per-16 sums (ggml `ggml_vec_dot_q6_K_q8_K`).
public enum Q6_K: BlockCodec {
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

    public static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 210, ab = a + b * ActivationBlock.q8_KBytes
            let scales = wb.int8s(at: 192)
            let qa = ab.int8s(at: ActivationBlock.q8_KQuants), bsums = ab.int16s(at: ActivationBlock.q8_KSums)
            var isum: Int32 = 0
            for half in 0..<2 {
                let sc = scales + 8 * half
                for g in 0..<2 {
                    let ql = wb.uint8s(at: 64 * half + 16 * g), qh = wb.uint8s(at: 128 + 32 * half + 16 * g)
                    let ag = qa + 128 * half + 16 * g
                    var s1: Int32 = 0, s2: Int32 = 0, s3: Int32 = 0, s4: Int32 = 0
                    for l in 0..<16 {
                        s1 &+= Int32((ql[l] & 0xF) | (qh[l] & 3) << 4) &* Int32(ag[l])
                        s2 &+= Int32((ql[l + 32] & 0xF) | ((qh[l] >> 2) & 3) << 4) &* Int32(ag[l + 32])
                        s3 &+= Int32((ql[l] >> 4) | ((qh[l] >> 4) & 3) << 4) &* Int32(ag[l + 64])
                        s4 &+= Int32((ql[l + 32] >> 4) | ((qh[l] >> 6) & 3) << 4) &* Int32(ag[l + 96])
                    }
                    isum &+= Int32(sc[g]) &* s1 &+ Int32(sc[g + 2]) &* s2 &+ Int32(sc[g + 4]) &* s3 &+ Int32(sc[g + 6]) &* s4
                }
            }
            var offset: Int32 = 0
            for k in 0..<16 { offset &+= Int32(scales[k]) &* Int32(bsums[k]) }
            isum &-= 32 &* offset
            sum += ab.loadUnaligned(as: Float.self) * wb.half(at: 208) * Float(isum)
        }
        return sum
    }
}
