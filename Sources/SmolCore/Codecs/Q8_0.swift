import CKernels
import SmolFormats

/// Q8_0, 34 bytes per 32 weights: d:f16, qs[32]:i8 — `w = d·q`.
///
/// Pairs with Q8_0 activations: per block, the exact integer dot of the 32 quants, then
/// `acc = fma(d_w·d_a, dot, acc)` in one f32, block after block. Every Q8_0 kernel (this one, the AVX2
/// dot and the AVX-512 prompt tile) uses that order, so a prompt's batched products equal per-token
/// mat-vecs bit for bit. (ggml's AVX2 kernel keeps eight f32 lane partials instead; a prompt tile
/// with sixteen tokens across its lanes cannot afford eight accumulators per token.)
public enum Q8_0: CKernelCodec {
    public static var type: TensorType { .q8_0 }
    public static var activationType: TensorType { .q8_0 }

    public static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 34, y = dst + b * 32
            let d = block.half(at: 0)
            let qs = block.int8s(at: 2)
            for j in 0..<32 { y[j] = Float(qs[j]) * d }
        }
    }

    public static var cDot: CDot { smol_ck_dot_q8_0_q8_0 }
    public static var cGemm: CGemm { smol_ck_gemm_q8_0_q8_0 }

    /// The portable Swift kernel (the C ones compute the same sums in the same order).
    public static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0
        for b in 0..<blocks {
            let wb = w + b * 34, ab = a + b * ActivationBlock.q8_0Bytes
            let products = ByteLanes(signed: wb + 2).pairProducts(ByteLanes(signed: ab + ActivationBlock.q8_0Quants))
            let dot = products.pairSums.wrappedSum()
            acc.addProduct(wb.half(at: 0) * ab.half(at: 0), Float(dot))
        }
        return acc
    }
}
