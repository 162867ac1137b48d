import Foundation
import SmolCore
import Testing

/// The vectorised exponential behind softmax and SwiGLU against the C library's `expf`, and the
/// attention's scores and weighted sum of values against the `dot` and `axpy` loops they replace.
@Suite("VectorOps exponential, softmax, SwiGLU, scores and weighted sums")
struct VectorOpsTests {
    /// Distance in units in the last place between two finite floats of the same sign.
    static func ulps(_ a: Float, _ b: Float) -> Int {
        abs(Int(Int32(bitPattern: a.bitPattern)) - Int(Int32(bitPattern: b.bitPattern)))
    }

    @Test("exp8 is within 2 ulp of expf wherever e^x is a normal float")
    func expMatchesLibm() {
        var worst = 0
        var x: Float = -87.33
        while x < 88.72 {
            let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0011 })
            let e = VectorOps.exp8(lanes)
            for i in 0..<8 where lanes[i] < 88.72 {
                worst = max(worst, Self.ulps(e[i], expf(lanes[i])))
            }
            x += 0.0089
        }
        #expect(worst <= 2, "worst \(worst) ulp")
    }

    @Test("exp8 is 0 below the normal range, infinity above the largest float, and exact at 0")
    func expEdges() {
        let e = VectorOps.exp8(SIMD8(-.infinity, -1000, -87.34, 0, 88.7, 88.73, 1000, .infinity))
        #expect(e[0] == 0 && e[1] == 0 && e[2] == 0)
        #expect(e[3] == 1)
        #expect(e[4].isFinite && Self.ulps(e[4], expf(88.7)) <= 2)
        #expect(e[5] == .infinity && e[6] == .infinity && e[7] == .infinity)
    }

    @Test("softmax equals the expf formula within 1e-6 for every length, tail included")
    func softmaxMatchesReference() {
        var rng = SeededGenerator(seed: 0x50F7)
        for n in [1, 3, 8, 13, 64, 100] {
            let x = (0..<n).map { _ in Float.random(in: -30...30, using: &rng) }
            let m = x.max()!
            let e = x.map { expf($0 - m) }
            let reference = e.map { $0 / e.reduce(0, +) }
            var y = x
            y.withUnsafeMutableBufferPointer { VectorOps.softmax($0.baseAddress!, n) }
            for i in 0..<n { #expect(abs(y[i] - reference[i]) <= 1e-6, "n \(n) i \(i)") }
            #expect(abs(y.reduce(0, +) - 1) <= 1e-5)
        }
    }

    @Test("swiglu equals silu(gate)·up within 4 ulp for every length, tail included")
    func swigluMatchesReference() {
        var rng = SeededGenerator(seed: 0x5316)
        for n in [1, 8, 21] {
            var gate = (0..<n).map { _ in Float.random(in: -20...20, using: &rng) }
            let up = (0..<n).map { _ in Float.random(in: -3...3, using: &rng) }
            let reference = (0..<n).map { gate[$0] / (1 + expf(-gate[$0])) * up[$0] }
            gate.withUnsafeMutableBufferPointer { g in
                up.withUnsafeBufferPointer { VectorOps.swiglu(g.baseAddress!, $0.baseAddress!, n) }
            }
            for i in 0..<n { #expect(Self.ulps(gate[i], reference[i]) <= 4, "n \(n) i \(i): \(gate[i]) vs \(reference[i])") }
        }
    }

    @Test("weightedSum equals one axpy per row into zeros, bit for bit, for head widths and odd ones")
    func weightedSumMatchesAxpy() {
        var rng = SeededGenerator(seed: 0x3E16)
        for n in [64, 128, 72, 8, 3] {
            let count = 37, stride = n + 5
            let rows = (0..<count * stride).map { _ in Float.random(in: -4...4, using: &rng) }
            let weights = (0..<count).map { _ in Float.random(in: 0...1, using: &rng) }
            var expected = [Float](repeating: 0, count: n), got = [Float](repeating: .nan, count: n)
            rows.withUnsafeBufferPointer { r in
                weights.withUnsafeBufferPointer { w in
                    expected.withUnsafeMutableBufferPointer { e in
                        for j in 0..<count { VectorOps.axpy(w[j], r.baseAddress! + j * stride, e.baseAddress!, n) }
                    }
                    got.withUnsafeMutableBufferPointer {
                        VectorOps.weightedSum(w.baseAddress!, rows: r.baseAddress!, stride: stride, count: count, n, into: $0.baseAddress!)
                    }
                }
            }
            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "n \(n)")
        }
    }

    @Test("scaledDots equals dot times the scale per row, bit for bit, in and out of groups of eight")
    func scaledDotsMatchDot() {
        var rng = SeededGenerator(seed: 0x5D07)
        for n in [64, 128, 72, 12] {
            let count = 21, stride = n + 3
            let q = (0..<n).map { _ in Float.random(in: -3...3, using: &rng) }
            let rows = (0..<count * stride).map { _ in Float.random(in: -3...3, using: &rng) }
            var got = [Float](repeating: .nan, count: count)
            q.withUnsafeBufferPointer { qp in
                rows.withUnsafeBufferPointer { r in
                    got.withUnsafeMutableBufferPointer {
                        VectorOps.scaledDots(qp.baseAddress!, rows: r.baseAddress!, stride: stride, count: count, n, scale: 0.125,
                                             into: $0.baseAddress!)
                    }
                    let expected = (0..<count).map { VectorOps.dot(qp.baseAddress!, r.baseAddress! + $0 * stride, n) * 0.125 }
                    #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "n \(n)")
                }
            }
        }
    }
}
