import CKernels
import SmolFormats

/// An element type that a dense (unquantized) matrix can hold.
public protocol DenseElement: Sendable {
    static var tensorType: TensorType { get }
    /// Widens `n` elements to f32.
    static func widen(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, _ n: Int)
    /// f32 dot product of `n` stored elements with f32 activations.
    static func dot(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ n: Int) -> Float
    /// `dot` of four rows `rowBytes` apart with the same activations, each bit for bit what `dot`
    /// gives (a decode step takes rows four at a time).
    static func dot4(_ w: UnsafeRawPointer, rowBytes: Int, _ x: UnsafePointer<Float>, _ n: Int) -> SIMD4<Float>
    /// What llama.cpp's CPU backend does to an activation before multiplying with this type.
    static func roundActivation(_ x: Float) -> Float
    /// A register-tiled C kernel for `tokens` activation rows against rows of this type, widening
    /// the weights as it loads them (`smol_ck_gemm_f16`), where the CPU has one; nil → sgemm.
    static var tiledProduct: TiledProduct? { get }
}

/// `(w, wstride, rows, x, xstride, tokens, cols, y, ldy)`, as `smol_ck_gemm_f16`.
public typealias TiledProduct = @convention(c) (UnsafeRawPointer?, Int, Int32, UnsafePointer<Float>?, Int, Int32, Int32,
                                                UnsafeMutablePointer<Float>?, Int) -> Void

extension DenseElement {
    @inline(__always) public static func dot4(_ w: UnsafeRawPointer, rowBytes: Int, _ x: UnsafePointer<Float>, _ n: Int) -> SIMD4<Float> {
        SIMD4(dot(w, x, n), dot(w + rowBytes, x, n), dot(w + 2 * rowBytes, x, n), dot(w + 3 * rowBytes, x, n))
    }
}

extension Float: DenseElement {
    public static var tensorType: TensorType { .f32 }
    public static func widen(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, _ n: Int) {
        dst.update(from: src.assumingMemoryBound(to: Float.self), count: n)
    }
    @inline(__always) public static func dot(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ n: Int) -> Float {
        VectorOps.dot(w.assumingMemoryBound(to: Float.self), x, n, prefetchingA: true)
    }
    public static func roundActivation(_ x: Float) -> Float { x }
    public static var tiledProduct: TiledProduct? { nil }
}

extension Float16: HalfFloatElement {
    public static var tensorType: TensorType { .f16 }
    /// Written lane by lane, which LLVM turns into one `vcvtph2ps` (the stdlib's generic SIMD
    /// conversion stayed an out-of-line call inside `halfDot4`, 40% of an F16 decode step).
    @inline(__always) static func widen8(_ p: UnsafeRawPointer, _ byteOffset: Int) -> SIMD8<Float> {
        let h = p.loadUnaligned(fromByteOffset: byteOffset, as: SIMD8<Float16>.self)
        return SIMD8(Float(h[0]), Float(h[1]), Float(h[2]), Float(h[3]), Float(h[4]), Float(h[5]), Float(h[6]), Float(h[7]))
    }
    @inline(__always) static func widen1(_ p: UnsafeRawPointer, _ byteOffset: Int) -> Float {
        Float(p.loadUnaligned(fromByteOffset: byteOffset, as: Float16.self))
    }
    public static func widen(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, _ n: Int) {
        halfWiden(src, into: dst, n)
    }
    @inline(__always) public static func dot(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ n: Int) -> Float {
        halfDot(w, x, n)
    }
    @inline(__always) public static func dot4(_ w: UnsafeRawPointer, rowBytes: Int, _ x: UnsafePointer<Float>, _ n: Int) -> SIMD4<Float> {
        halfDot4(w, rowBytes: rowBytes, x, n)
    }
    public static func roundActivation(_ x: Float) -> Float { x.roundedToHalf }
    public static var tiledProduct: TiledProduct? { CPUFeatures.avx2 ? smol_ck_gemm_f16 : nil }
}

extension BFloat16: HalfFloatElement {
    public static var tensorType: TensorType { .bf16 }
    /// Eight bf16 values as f32: each becomes the high half of a 32-bit lane. (Written as a lane
    /// interleave: `SIMD8<UInt32>(truncatingIfNeeded:)` stayed an out-of-line generic call in the
    /// matrix code's specialisation, 25% of a BF16 decode step.)
    @inline(__always) static func widen8(_ p: UnsafeRawPointer, _ byteOffset: Int) -> SIMD8<Float> {
        var halves = SIMD16<UInt16>()
        halves.oddHalf = p.loadUnaligned(fromByteOffset: byteOffset, as: SIMD8<UInt16>.self)
        return unsafeBitCast(halves, to: SIMD8<Float>.self)
    }
    @inline(__always) static func widen1(_ p: UnsafeRawPointer, _ byteOffset: Int) -> Float {
        BFloat16(bits: p.loadUnaligned(fromByteOffset: byteOffset, as: UInt16.self)).float
    }
    public static func widen(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, _ n: Int) {
        halfWiden(src, into: dst, n)
    }
    @inline(__always) public static func dot(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ n: Int) -> Float {
        halfDot(w, x, n)
    }
    @inline(__always) public static func dot4(_ w: UnsafeRawPointer, rowBytes: Int, _ x: UnsafePointer<Float>, _ n: Int) -> SIMD4<Float> {
        halfDot4(w, rowBytes: rowBytes, x, n)
    }
    public static func roundActivation(_ x: Float) -> Float { x.roundedToBFloat16 }
    public static var tiledProduct: TiledProduct? { CPUFeatures.avx2 ? smol_ck_gemm_bf16 : nil }
}

/// An unquantized matrix (F32, F16 or BF16), read in place from a mapped file or owned memory.
public struct DenseMatrix<Element: DenseElement>: WeightMatrix, @unchecked Sendable {
    public let rows: Int
    public let cols: Int
    public let base: UnsafeRawPointer
    /// Keeps the bytes alive (a `MappedFile` or a `WeightBuffer`).
    public let owner: AnyObject

    public init(rows: Int, cols: Int, base: UnsafeRawPointer, owner: AnyObject) {
        self.rows = rows
        self.cols = cols
        self.base = base
        self.owner = owner
    }

    public var type: TensorType { Element.tensorType }
    public var byteCount: Int { rows * cols * MemoryLayout<Element>.stride }
    private var rowBytes: Int { cols * MemoryLayout<Element>.stride }

    public func dequantizeRow(_ row: Int, into out: UnsafeMutablePointer<Float>) {
        Element.widen(base + row * rowBytes, into: out, cols)
    }

    public func matvec(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, numerics: Numerics) {
        withActivations(x, count: 1, numerics: numerics) { xs in multiplyRows(xs, into: y) }
    }

    public func matmul(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>, numerics: Numerics) {
        withActivations(x, count: count, numerics: numerics) { xs in multiplyTiles(xs, count: count, into: y) }
    }

    public func product(_ x: ActivationBatch, into y: UnsafeMutablePointer<Float>, numerics: Numerics) {
        precondition(x.cols == cols)
        let xs = numerics == .fast && Element.self != Float.self
            ? x.prepared(Element.tensorType).assumingMemoryBound(to: Float.self) : x.x
        if x.count == 1 { multiplyRows(xs, into: y) } else { multiplyTiles(xs, count: x.count, into: y) }
    }

    public func decodeActivations(_ x: ActivationBatch) -> UnsafeRawPointer {
        Element.self != Float.self ? x.prepared(Element.tensorType) : UnsafeRawPointer(x.x)
    }

    public func decodeRows(_ rows: Range<Int>, _ x: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>) {
        let xs = x.assumingMemoryBound(to: Float.self)
        // Four rows per call (3B decode, 2 threads: F16 3.9 → 4.1–4.3 tok/s, BF16 4.0 → 4.5) with the rows'
        // passes interleaved and each prefetching the row four further on (see `halfDot4`).
        var r = rows.lowerBound
        while r + 4 <= rows.upperBound {
            let v = Element.dot4(base + r * rowBytes, rowBytes: rowBytes, xs, cols)
            y[r] = v[0]; y[r + 1] = v[1]; y[r + 2] = v[2]; y[r + 3] = v[3]
            r += 4
        }
        while r < rows.upperBound {
            y[r] = Element.dot(base + r * rowBytes, xs, cols)
            r += 1
        }
    }

    private func multiplyRows(_ xs: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let p = UncheckedSendable((UnsafeRawPointer(xs), y))
        Parallel.forRanges(rows, grain: 64) { range in decodeRows(range, p.value.0, into: p.value.1) }
    }

    private func multiplyTiles(_ xs: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        if rows * cols < BLAS.smallProductElements {
            for t in 0..<count { multiplyRows(xs + t * cols, into: y + t * rows) }
            return
        }
        if Element.self == Float.self {
            BLAS.product(xs, count: count, weights: base.assumingMemoryBound(to: Float.self), rows: rows, cols: cols, into: y)
            return
        }
        let base = base, rowBytes = rowBytes, cols = cols
        if let kernel = Element.tiledProduct, cols % 16 == 0 {
            // Measured on the 3B F16 prompt (pp64, 2 threads, AVX-512): 38 tok/s against 26 through
            // widened tiles and sgemm, which spends much of its time widening and packing.
            for t0 in stride(from: 0, to: count, by: WeightMatrices.promptBlock) {
                let n = min(WeightMatrices.promptBlock, count - t0)
                let p = UncheckedSendable((xs + t0 * cols, y + t0 * rows))
                Parallel.forRanges(rows, grain: 64) { range in
                    let (xs, y) = p.value
                    kernel(base + range.lowerBound * rowBytes, rowBytes, Int32(range.count), xs, cols, Int32(n), Int32(cols),
                           y + range.lowerBound, rows)
                }
            }
            return
        }
        // Each thread widens tiles of its rows and hands them to sgemm: weights are reused `count` times.
        BLAS.widenedProduct(xs, count: count, rows: rows, cols: cols, into: y) { r, dst in
            Element.widen(base + r * rowBytes, into: dst, cols)
        }
    }

    /// Runs `body` on the activations as the chosen numerics sees them.
    private func withActivations(_ x: UnsafePointer<Float>, count: Int, numerics: Numerics,
                                 _ body: (UnsafePointer<Float>) -> Void) {
        guard numerics == .fast, Element.self != Float.self else { return body(x) }
        let n = count * cols
        let rounded = ScratchArena.current.buffer(.rounded, bytes: n * 4).assumingMemoryBound(to: Float.self)
        for i in 0..<n { rounded[i] = Element.roundActivation(x[i]) }
        body(rounded)
    }
}

/// Heap memory for weights made in memory (synthetic models, tests, experiments).
public final class WeightBuffer: @unchecked Sendable {
    public let raw: UnsafeMutableRawPointer
    public let count: Int
    public init(byteCount: Int) {
        count = byteCount
        raw = .allocate(byteCount: max(byteCount, 1), alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1))
    }
    deinit { raw.deallocate() }
}

extension DenseMatrix where Element == Float {
    /// An f32 matrix owning a copy of `values` (row-major).
    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols)
        let buffer = WeightBuffer(byteCount: rows * cols * 4)
        values.withUnsafeBytes { buffer.raw.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        self.init(rows: rows, cols: cols, base: UnsafeRawPointer(buffer.raw), owner: buffer)
    }
}
