/// The small f32 kernels the forward pass is built from. Several SIMD accumulators keep the FMA
/// pipes busy; a plain `Float` reduction would stay scalar (no fast-math in Swift).
public enum VectorOps {
    /// `prefetchingA` asks for `a` a few KB ahead: for weight rows streamed from memory (see CKernels).
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int, prefetchingA: Bool = false) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var i = 0
        while i + 32 <= n {
            if prefetchingA {
                prefetchAhead(ra + i * 4)
                prefetchAhead(ra + i * 4 + 64)
            }
            s0.addProduct(ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self), rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
            s1.addProduct(ra.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self), rb.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self))
            s2.addProduct(ra.loadUnaligned(fromByteOffset: i * 4 + 64, as: SIMD8<Float>.self), rb.loadUnaligned(fromByteOffset: i * 4 + 64, as: SIMD8<Float>.self))
            s3.addProduct(ra.loadUnaligned(fromByteOffset: i * 4 + 96, as: SIMD8<Float>.self), rb.loadUnaligned(fromByteOffset: i * 4 + 96, as: SIMD8<Float>.self))
            i += 32
        }
        while i + 8 <= n {
            s0.addProduct(ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self), rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
            i += 8
        }
        var s = ((s0 + s1) + (s2 + s3)).sum()
        while i < n {
            s += a[i] * b[i]
            i += 1
        }
        return s
    }

    /// `y += alpha · x`
    @inline(__always)
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let a8 = SIMD8<Float>(repeating: alpha)
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        while i + 8 <= n {
            var v = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            v.addProduct(a8, rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
            ry.storeBytes(of: v, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            y[i] += alpha * x[i]
            i += 1
        }
    }

    /// RMSNorm as transformers computes it: `x / sqrt(mean(x²) + eps) · weight`, in f32.
    public static func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, eps: Float,
                               into y: UnsafeMutablePointer<Float>, _ n: Int) {
        let ms = dot(x, x, n) / Float(n)
        let scale = 1 / (ms + eps).squareRoot()
        for i in 0..<n { y[i] = (x[i] * scale) * weight[i] }
    }

    /// In-place softmax over `n` values (max-subtracted, f32).
    public static func softmax(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        guard n > 0 else { return }
        var m = -Float.infinity
        for i in 0..<n where x[i] > m { m = x[i] }
        var s: Float = 0
        for i in 0..<n {
            let e = expf(x[i] - m)
            x[i] = e
            s += e
        }
        let inv = 1 / s
        for i in 0..<n { x[i] *= inv }
    }

    /// `gate[i] = silu(gate[i]) · up[i]` — the SwiGLU of the MLP.
    public static func swiglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ n: Int) {
        for i in 0..<n {
            let g = gate[i]
            gate[i] = g / (1 + expf(-g)) * up[i]
        }
    }

    public static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ n: Int) {
        axpy(1, x, y, n)
    }
}

#if canImport(Glibc)
import Glibc
#endif
