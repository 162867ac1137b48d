/// The small f32 kernels the forward pass is built from. Several SIMD accumulators keep the FMA
/// pipes busy; a plain `Float` reduction would stay scalar (no fast-math in Swift).
public enum VectorOps {
    /// `prefetchingA` asks for `a` a few KB ahead: for weight rows streamed from memory (see CKernels).
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int, prefetchingA: Bool = false) -> Float {
        let (lanes, done) = laneSums(a, b, n, prefetchingA: prefetchingA)
        var s = lanes.sum()
        for i in done..<n { s += a[i] * b[i] }
        return s
    }

    /// `dot`'s eight lane sums over the first multiple of 8 elements, and that count.
    @inline(__always)
    private static func laneSums(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int,
                                 prefetchingA: Bool = false) -> (SIMD8<Float>, Int) {
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
        return ((s0 + s1) + (s2 + s3), i)
    }

    /// `out[j] = dot(q, rows + j·stride, n) · scale` for `count` rows (attention scores): bit-identical
    /// to `dot` per row. `dot` ends in a sequential sum of its eight lanes, which costs a chain of
    /// dependent adds per row; here eight rows' lane vectors are transposed so their sums run as
    /// eight vector adds in the same order.
    public static func scaledDots(_ q: UnsafePointer<Float>, rows: UnsafePointer<Float>, stride: Int, count: Int, _ n: Int,
                                  scale: Float, into out: UnsafeMutablePointer<Float>) {
        var j = 0
        if n % 8 == 0 {
            while j + 8 <= count {
                let r = rows + j * stride
                let t0 = laneSums(q, r, n).0, t1 = laneSums(q, r + stride, n).0, t2 = laneSums(q, r + 2 * stride, n).0
                let t3 = laneSums(q, r + 3 * stride, n).0, t4 = laneSums(q, r + 4 * stride, n).0, t5 = laneSums(q, r + 5 * stride, n).0
                let t6 = laneSums(q, r + 6 * stride, n).0, t7 = laneSums(q, r + 7 * stride, n).0
                var sum = SIMD8<Float>(repeating: -0.0)
                for lane in 0..<8 {
                    sum += SIMD8(t0[lane], t1[lane], t2[lane], t3[lane], t4[lane], t5[lane], t6[lane], t7[lane])
                }
                UnsafeMutableRawPointer(out + j).storeBytes(of: sum * scale, as: SIMD8<Float>.self)
                j += 8
            }
        }
        while j < count {
            out[j] = dot(q, rows + j * stride, n) * scale
            j += 1
        }
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

    /// `out = Σ_j weights[j] · rows[j·stride ..< j·stride + n]` (attention's probability-weighted
    /// values): the same multiply-adds in the same order as an `axpy` per row into a zeroed `out`,
    /// so bit-identical to it, but 64 outputs at a time stay in registers across all the rows
    /// instead of being stored and reloaded for each one (that chain made the per-key attention
    /// loop ~7% of SmolLM2-135M's decode at a few hundred positions).
    public static func weightedSum(_ weights: UnsafePointer<Float>, rows: UnsafePointer<Float>, stride: Int, count: Int,
                                   _ n: Int, into out: UnsafeMutablePointer<Float>) {
        let rr = UnsafeRawPointer(rows), ro = UnsafeMutableRawPointer(out)
        var i = 0
        while i + 64 <= n {
            var acc = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(),
                       SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
            for j in 0..<count {
                let w = SIMD8<Float>(repeating: weights[j]), r = rr + (j * stride + i) * 4
                acc.0.addProduct(w, r.loadUnaligned(as: SIMD8<Float>.self))
                acc.1.addProduct(w, r.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
                acc.2.addProduct(w, r.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
                acc.3.addProduct(w, r.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
                acc.4.addProduct(w, r.loadUnaligned(fromByteOffset: 128, as: SIMD8<Float>.self))
                acc.5.addProduct(w, r.loadUnaligned(fromByteOffset: 160, as: SIMD8<Float>.self))
                acc.6.addProduct(w, r.loadUnaligned(fromByteOffset: 192, as: SIMD8<Float>.self))
                acc.7.addProduct(w, r.loadUnaligned(fromByteOffset: 224, as: SIMD8<Float>.self))
            }
            let o = ro + i * 4
            o.storeBytes(of: acc.0, as: SIMD8<Float>.self)
            o.storeBytes(of: acc.1, toByteOffset: 32, as: SIMD8<Float>.self)
            o.storeBytes(of: acc.2, toByteOffset: 64, as: SIMD8<Float>.self)
            o.storeBytes(of: acc.3, toByteOffset: 96, as: SIMD8<Float>.self)
            o.storeBytes(of: acc.4, toByteOffset: 128, as: SIMD8<Float>.self)
            o.storeBytes(of: acc.5, toByteOffset: 160, as: SIMD8<Float>.self)
            o.storeBytes(of: acc.6, toByteOffset: 192, as: SIMD8<Float>.self)
            o.storeBytes(of: acc.7, toByteOffset: 224, as: SIMD8<Float>.self)
            i += 64
        }
        // Other widths: the rest as `axpy` does it.
        (out + i).initialize(repeating: 0, count: n - i)
        for j in 0..<count { axpy(weights[j], rows + j * stride + i, out + i, n - i) }
    }

    /// RMSNorm as transformers computes it: `x / sqrt(mean(x²) + eps) · weight`, in f32.
    public static func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, eps: Float,
                               into y: UnsafeMutablePointer<Float>, _ n: Int) {
        let ms = dot(x, x, n) / Float(n)
        let scale = 1 / (ms + eps).squareRoot()
        for i in 0..<n { y[i] = (x[i] * scale) * weight[i] }
    }

    /// In-place softmax over `n` values (max-subtracted, f32), eight at a time (`exp8`). With `expf`
    /// one value at a time, this and `swiglu` cost a 3B Q4_K_M 2048-token prompt ~10% (56.9 → 62.7
    /// tok/s with both vectorised, 2 threads) and a decode step over 2048 positions ~2% (8.69 → 8.87).
    public static func softmax(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        guard n > 0 else { return }
        let raw = UnsafeMutableRawPointer(x)
        var m8 = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i + 8 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            m8.replace(with: v, where: v .> m8)  // (the stdlib's pointwiseMax stays a generic call)
            i += 8
        }
        var m = m8.max()
        while i < n {
            m = max(m, x[i])
            i += 1
        }
        let shift = SIMD8<Float>(repeating: m)
        var sum8 = SIMD8<Float>()
        i = 0
        while i + 8 <= n {
            let e = exp8(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - shift)
            raw.storeBytes(of: e, toByteOffset: i * 4, as: SIMD8<Float>.self)
            sum8 += e
            i += 8
        }
        if i < n {  // the last few through the same exponential, so every value is computed alike
            var tail = SIMD8<Float>(repeating: -.infinity)
            for j in i..<n { tail[j - i] = x[j] - m }
            let e = exp8(tail)
            for j in i..<n { x[j] = e[j - i] }
            sum8 += e
        }
        let inv = 1 / sum8.sum()
        for i in 0..<n { x[i] *= inv }
    }

    /// `gate[i] = silu(gate[i]) · up[i]` — the SwiGLU of the MLP, eight at a time (with the softmax:
    /// 3B Q4_K_M pp64 67.6 → 71.2 tok/s, pp512 64.8 → 68.3; alone, the softmax gave pp512 +1.5%).
    public static func swiglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ n: Int) {
        let rg = UnsafeMutableRawPointer(gate), ru = UnsafeRawPointer(up)
        var i = 0
        while i + 8 <= n {
            let g = rg.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let u = ru.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            rg.storeBytes(of: g / (1 + exp8(-g)) * u, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        if i < n {  // the last few through the same exponential
            var g = SIMD8<Float>(), u = SIMD8<Float>()
            for j in i..<n { g[j - i] = gate[j]; u[j - i] = up[j] }
            let y = g / (1 + exp8(-g)) * u
            for j in i..<n { gate[j] = y[j - i] }
        }
    }

    /// e^x in eight lanes, within 2 ulp of `expf` (tested): x = n·ln 2 + r with |r| ≤ ln 2 / 2, Cephes'
    /// degree-6 polynomial for e^r, and 2^n put straight into exponent bits. Below −87.33 (where e^x
    /// leaves the normal floats) it returns 0, above 88.72 infinity.
    @inline(__always)
    public static func exp8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let magic = SIMD8<Float>(repeating: 12_582_912)  // 1.5 · 2²³: adding it rounds to an integer
        var scaled = x * 1.442_695_04
        scaled.replace(with: -126, where: scaled .< -126)  // (`clamped` stays a generic call)
        scaled.replace(with: 128, where: scaled .> 128)
        let t = scaled + magic
        let n = t - magic
        var r = x.addingProduct(n, SIMD8(repeating: -0.693_359_375))
        r = r.addingProduct(n, SIMD8(repeating: 2.121_944_4e-4))
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = SIMD8(repeating: 1.398_199_950_7e-3).addingProduct(p, r)
        p = SIMD8(repeating: 8.333_451_907_3e-3).addingProduct(p, r)
        p = SIMD8(repeating: 4.166_579_589_4e-2).addingProduct(p, r)
        p = SIMD8(repeating: 1.666_666_545_9e-1).addingProduct(p, r)
        p = SIMD8(repeating: 5.000_000_120_1e-1).addingProduct(p, r)
        p = (r + 1).addingProduct(p, r * r)
        // 2^n as 2^h · 2^(n−h), h = n/2, so n = 128 (e^x just below the largest float) stays finite;
        // powers of two multiply exactly.
        let n32 = unsafeBitCast(t, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        let h = n32 &>> 1
        let e = p * unsafeBitCast((h &+ 127) &<< 23, to: SIMD8<Float>.self)
            * unsafeBitCast((n32 &- h &+ 127) &<< 23, to: SIMD8<Float>.self)
        return e.replacing(with: 0, where: x .< -87.336_55).replacing(with: Float.infinity, where: x .> 88.722_83)
    }

    public static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ n: Int) {
        axpy(1, x, y, n)
    }
}

#if canImport(Glibc)
import Glibc
#endif
