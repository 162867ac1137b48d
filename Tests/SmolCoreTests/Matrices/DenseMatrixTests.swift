import Foundation
import SmolCore
import SmolFormats
import Testing

@Suite("DenseMatrix kernels")
struct DenseMatrixTests {
    /// A rows × cols matrix of `Element` from seeded values in [-1, 1), and those values as stored.
    static func matrix<Element: DenseElement>(_: Element.Type, rows: Int, cols: Int, seed: UInt64,
                                              store: (Float) -> (UInt16, Float)) -> (DenseMatrix<Element>, [Float]) {
        var g = SeededGenerator(seed: seed)
        let buffer = WeightBuffer(byteCount: rows * cols * 2)
        let bits = buffer.raw.assumingMemoryBound(to: UInt16.self)
        var stored = [Float](repeating: 0, count: rows * cols)
        for i in 0..<(rows * cols) {
            let (b, f) = store(Float.random(in: -1..<1, using: &g))
            bits[i] = b
            stored[i] = f
        }
        return (DenseMatrix<Element>(rows: rows, cols: cols, base: UnsafeRawPointer(buffer.raw), owner: buffer), stored)
    }

    static func f16(_ x: Float) -> (UInt16, Float) { let h = Float16(x); return (h.bitPattern, Float(h)) }
    static func bf16(_ x: Float) -> (UInt16, Float) { let b = BFloat16(x); return (b.bits, b.float) }

    static func activations(_ n: Int, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return (0..<n).map { _ in Float.random(in: -2..<2, using: &g) }
    }

    /// 203 rows: fifty four-row passes and three single rows; 130 columns: the 32-wide loop, the
    /// 8-wide loop and a scalar tail.
    @Test("matvec (odd row count) equals the one-row dot of every row bit for bit", arguments: [false, true])
    func matvecMatchesDot(bf16: Bool) {
        if bf16 {
            Self.checkMatvecMatchesDot(BFloat16.self, store: Self.bf16)
        } else {
            Self.checkMatvecMatchesDot(Float16.self, store: Self.f16)
        }
    }

    static func checkMatvecMatchesDot<Element: DenseElement>(_ type: Element.Type, store: (Float) -> (UInt16, Float)) {
        let rows = 203, cols = 130
        let x = Self.activations(cols, seed: 3)
        let (m, _) = Self.matrix(type, rows: rows, cols: cols, seed: 4, store: store)
        var y = [Float](repeating: .nan, count: rows)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { m.matvec(xp.baseAddress!, into: $0.baseAddress!, numerics: .exact) }
            for r in 0..<rows {
                #expect(y[r].bitPattern == Element.dot(m.base + r * cols * 2, xp.baseAddress!, cols).bitPattern, "row \(r)")
            }
        }
    }

    /// With AVX2 this runs the C tile kernels with ragged edges everywhere: 301 rows (not a multiple
    /// of the 32-row panel or the 3-row AVX2 tile), 70 tokens (two prompt passes, not a multiple of 12
    /// or 4), 4144 columns (a ragged last slice); without AVX2, widened tiles and sgemm.
    @Test("F16/BF16 matmul matches an f64 reference", arguments: [false, true])
    func matmulMatchesReference(bf16: Bool) {
        let rows = 301, cols = 4096 + 48, count = WeightMatrices.promptBlock + 6
        let x = Self.activations(count * cols, seed: 5)
        let y: [Float], w: [Float]
        if bf16 {
            let (m, stored) = Self.matrix(BFloat16.self, rows: rows, cols: cols, seed: 6, store: Self.bf16)
            y = Self.product(m, x, count: count)
            w = stored
        } else {
            let (m, stored) = Self.matrix(Float16.self, rows: rows, cols: cols, seed: 6, store: Self.f16)
            y = Self.product(m, x, count: count)
            w = stored
        }
        #expect(Self.worstRelativeError(y, w, x, rows: rows, cols: cols, count: count) < 1e-5)
    }

    @Test("BLAS.widenedProduct (per-thread tiles, ragged last tile) matches an f64 reference")
    func widenedProductDirect() {
        let rows = 2100, cols = 4096, count = 2
        let x = Self.activations(count * cols, seed: 10)
        let w = Self.activations(rows * cols, seed: 11)
        var y = [Float](repeating: .nan, count: count * rows)
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    BLAS.widenedProduct(xp.baseAddress!, count: count, rows: rows, cols: cols, into: yp.baseAddress!) { r, dst in
                        dst.update(from: wp.baseAddress! + r * cols, count: cols)
                    }
                }
            }
        }
        #expect(Self.worstRelativeError(y, w, x, rows: rows, cols: cols, count: count) < 1e-5)
    }

    @Test("F32 matmul matches an f64 reference, through sgemm and through the small-product dots", arguments: [(1100, 1024), (333, 96)])
    func f32Matmul(shape: (rows: Int, cols: Int)) {
        let (rows, cols, count) = (shape.rows, shape.cols, 3)
        #expect((rows * cols >= BLAS.smallProductElements) == (rows == 1100))
        let x = Self.activations(count * cols, seed: 8)
        let w = Self.activations(rows * cols, seed: 9)
        let y = Self.product(DenseMatrix<Float>(rows: rows, cols: cols, values: w), x, count: count)
        #expect(Self.worstRelativeError(y, w, x, rows: rows, cols: cols, count: count) < 1e-5)
    }

    /// Largest error of `y = x · wᵀ` against an f64 reference, relative to the sum of |products|.
    static func worstRelativeError(_ y: [Float], _ w: [Float], _ x: [Float], rows: Int, cols: Int, count: Int) -> Double {
        var worst = 0.0
        for t in 0..<count {
            for r in 0..<rows {
                var s = 0.0, mag = 0.0
                for k in 0..<cols {
                    let p = Double(w[r * cols + k]) * Double(x[t * cols + k])
                    s += p
                    mag += abs(p)
                }
                worst = max(worst, abs(Double(y[t * rows + r]) - s) / mag)
            }
        }
        return worst
    }

    static func product<Element>(_ m: DenseMatrix<Element>, _ x: [Float], count: Int) -> [Float] {
        var y = [Float](repeating: .nan, count: count * m.rows)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { m.matmul(xp.baseAddress!, count: count, into: $0.baseAddress!, numerics: .exact) }
        }
        return y
    }

    @Test("OpenBLAS runs kernels of a known core")
    func openBLASCore() {
        #expect(!BLAS.coreName.isEmpty)
    }
}
