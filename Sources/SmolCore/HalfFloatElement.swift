/// The 16-bit float formats (F16, BF16), widened to f32 eight at a time. Their dot products share
/// one loop, so both sum in the same order and `dot4` equals `dot` bit for bit.
protocol HalfFloatElement: DenseElement {
    /// Eight stored values at `byteOffset` as f32.
    static func widen8(_ p: UnsafeRawPointer, _ byteOffset: Int) -> SIMD8<Float>
    /// One stored value at `byteOffset` as f32.
    static func widen1(_ p: UnsafeRawPointer, _ byteOffset: Int) -> Float
}

/// Four f32 accumulators of a dot product in progress (lanes of 32 consecutive values).
typealias DotLanes = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

extension HalfFloatElement {
    static func halfWiden(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n {
            UnsafeMutableRawPointer(dst).storeBytes(of: widen8(src, i * 2), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            dst[i] = widen1(src, i * 2)
            i += 1
        }
    }

    /// 32 values from `i` on into the four accumulators.
    @inline(__always) static func accumulate32(_ w: UnsafeRawPointer, _ x: UnsafeRawPointer, _ i: Int, into s: inout DotLanes) {
        s.0.addProduct(widen8(w, i * 2), x.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
        s.1.addProduct(widen8(w, i * 2 + 16), x.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self))
        s.2.addProduct(widen8(w, i * 2 + 32), x.loadUnaligned(fromByteOffset: i * 4 + 64, as: SIMD8<Float>.self))
        s.3.addProduct(widen8(w, i * 2 + 48), x.loadUnaligned(fromByteOffset: i * 4 + 96, as: SIMD8<Float>.self))
    }

    /// The rest of a dot from `i` (fewer than 32 values left): eight at a time into the first
    /// accumulator, the four reduced, then one at a time.
    @inline(__always) static func finish(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, from start: Int, _ n: Int,
                                         _ s: DotLanes) -> Float {
        var s0 = s.0, i = start
        while i + 8 <= n {
            s0.addProduct(widen8(w, i * 2), UnsafeRawPointer(x).loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
            i += 8
        }
        var sum = ((s0 + s.1) + (s.2 + s.3)).sum()
        while i < n {
            sum += widen1(w, i * 2) * x[i]
            i += 1
        }
        return sum
    }

    @inline(__always) static func halfDot(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var s: DotLanes = (.zero, .zero, .zero, .zero)
        var i = 0
        while i + 32 <= n {
            prefetchAhead(w + i * 2)  // one 64-byte line per pass (see CKernels)
            accumulate32(w, x, i, into: &s)
            i += 32
        }
        return finish(w, x, from: i, n, s)
    }

    /// Four rows' passes interleaved, each row prefetching the row four further on: four streams a
    /// whole group ahead keep more lines in flight than one stream 4 KB ahead (as CKernels'
    /// `q8_0_four_rows`).
    @inline(__always) static func halfDot4(_ w: UnsafeRawPointer, rowBytes: Int, _ x: UnsafePointer<Float>, _ n: Int) -> SIMD4<Float> {
        var s0: DotLanes = (.zero, .zero, .zero, .zero), s1 = s0, s2 = s0, s3 = s0
        var i = 0
        while i + 32 <= n {
            for r in 4..<8 { prefetchLine(w + r * rowBytes + i * 2) }
            accumulate32(w, x, i, into: &s0)
            accumulate32(w + rowBytes, x, i, into: &s1)
            accumulate32(w + 2 * rowBytes, x, i, into: &s2)
            accumulate32(w + 3 * rowBytes, x, i, into: &s3)
            i += 32
        }
        return SIMD4(finish(w, x, from: i, n, s0), finish(w + rowBytes, x, from: i, n, s1),
                     finish(w + 2 * rowBytes, x, from: i, n, s2), finish(w + 3 * rowBytes, x, from: i, n, s3))
    }
}
