import CKernels
import SmolFormats

/// One quantized block format (Q8_0, Q4_K, …): how to widen its blocks and how to take their dot
/// product with activations quantized to the partner format llama.cpp uses for it.
public protocol BlockCodec: Sendable {
    static var type: TensorType { get }
    /// The format activations are quantized to for `dot` (Q8_0, Q8_1 or Q8_K).
    static var activationType: TensorType { get }
    /// Widens `blocks` consecutive blocks to f32.
    static func dequantize(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, blocks: Int)
    /// Dot product of `blocks` weight blocks with the same number of activation blocks.
    static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float
    /// `y[t · ldy + r] = dot(row r, activation row t)` for `rows` weight rows (`rowBytes` apart) and
    /// `count` activation rows (`actRowBytes` apart). Codecs with a batched kernel reuse each
    /// unpacked weight block across several activation rows; the default loops over `dot`.
    static func gemm(_ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: UnsafeRawPointer, actRowBytes: Int,
                     count: Int, blocks: Int, into y: UnsafeMutablePointer<Float>, ldy: Int)
}

extension BlockCodec {
    public static func gemm(_ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: UnsafeRawPointer, actRowBytes: Int,
                            count: Int, blocks: Int, into y: UnsafeMutablePointer<Float>, ldy: Int) {
        gemmByDots(w, rowBytes: rowBytes, rows: rows, a, actRowBytes: actRowBytes, count: count, blocks: blocks, into: y, ldy: ldy)
    }

    @inline(__always)
    static func gemmByDots(_ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: UnsafeRawPointer, actRowBytes: Int,
                           count: Int, blocks: Int, into y: UnsafeMutablePointer<Float>, ldy: Int) {
        for r in 0..<rows {
            let wr = w + r * rowBytes
            for t in 0..<count { y[t * ldy + r] = dot(wr, a + t * actRowBytes, blocks: blocks) }
        }
    }
}

/// A codec whose products have C kernels (`CKernels`): `dot` and `gemm` run them where the CPU has
/// AVX2, and the portable `swiftDot` elsewhere. The two compute the same sums in the same order,
/// so results do not depend on which ran.
public protocol CKernelCodec: BlockCodec {
    /// The C dot product (`smol_ck_dot_…`).
    static var cDot: CDot { get }
    /// The C product of several rows with several activation rows (`smol_ck_gemm_…`).
    static var cGemm: CGemm { get }
    /// The portable Swift kernel.
    static func swiftDot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float
}

public typealias CDot = @convention(c) (UnsafeRawPointer?, UnsafeRawPointer?, Int32) -> Float
public typealias CGemm = @convention(c) (UnsafeRawPointer?, Int, Int32, UnsafeRawPointer?, Int, Int32, Int32,
                                         UnsafeMutablePointer<Float>?, Int) -> Void

extension CKernelCodec {
    @inline(__always)
    public static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        CPUFeatures.avx2 ? cDot(w, a, Int32(blocks)) : swiftDot(w, a, blocks: blocks)
    }

    public static func gemm(_ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: UnsafeRawPointer, actRowBytes: Int,
                            count: Int, blocks: Int, into y: UnsafeMutablePointer<Float>, ldy: Int) {
        guard CPUFeatures.avx2 else {
            return gemmByDots(w, rowBytes: rowBytes, rows: rows, a, actRowBytes: actRowBytes, count: count, blocks: blocks, into: y, ldy: ldy)
        }
        cGemm(w, rowBytes, Int32(rows), a, actRowBytes, Int32(count), Int32(blocks), y, ldy)
    }
}

/// What the running CPU offers the C kernels (checked once).
public enum CPUFeatures {
    /// AVX2 + FMA + F16C: the `CKernels` entry points may be used. Tests may switch it off to run
    /// the portable Swift kernels.
    nonisolated(unsafe) public static var avx2: Bool = smol_ck_has_avx2() != 0
}

extension BlockCodec {
    public static var blockSize: Int { type.blockSize }
    public static var blockBytes: Int { type.bytesPerBlock }
}

/// A matrix stored in a block-quantized format, used in place from the mapped file.
public struct QuantizedMatrix<Codec: BlockCodec>: WeightMatrix, @unchecked Sendable {
    public let rows: Int
    public let cols: Int
    public let base: UnsafeRawPointer
    public let owner: AnyObject

    public init(rows: Int, cols: Int, base: UnsafeRawPointer, owner: AnyObject) {
        precondition(cols % Codec.blockSize == 0)
        self.rows = rows
        self.cols = cols
        self.base = base
        self.owner = owner
    }

    public var type: TensorType { Codec.type }
    public var byteCount: Int { rows * rowBytes }
    private var blocksPerRow: Int { cols / Codec.blockSize }
    private var rowBytes: Int { blocksPerRow * Codec.blockBytes }

    public func dequantizeRow(_ row: Int, into out: UnsafeMutablePointer<Float>) {
        Codec.dequantize(base + row * rowBytes, into: out, blocks: blocksPerRow)
    }

    public func matvec(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, numerics: Numerics) {
        matmul(x, count: 1, into: y, numerics: numerics)
    }

    public func matmul(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>, numerics: Numerics) {
        switch numerics {
        case .fast: fastProduct(x, count: count, into: y)
        case .exact: exactProduct(x, count: count, into: y)
        }
    }

    public func product(_ x: ActivationBatch, into y: UnsafeMutablePointer<Float>, numerics: Numerics) {
        precondition(x.cols == cols)
        switch numerics {
        case .fast: quantizedProduct(x.prepared(Codec.activationType), count: x.count, into: y)
        case .exact: exactProduct(x.x, count: x.count, into: y)
        }
    }

    public func decodeActivations(_ x: ActivationBatch) -> UnsafeRawPointer {
        x.prepared(Codec.activationType)
    }

    public func decodeRows(_ rows: Range<Int>, _ x: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>) {
        Codec.gemm(base + rows.lowerBound * rowBytes, rowBytes: rowBytes, rows: rows.count, x,
                   actRowBytes: blocksPerRow * Codec.activationType.bytesPerBlock, count: 1, blocks: blocksPerRow,
                   into: y + rows.lowerBound, ldy: self.rows)
    }

    /// Integer dot products against quantized activations, as llama.cpp's CPU backend computes.
    private func fastProduct(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        let actType = Codec.activationType
        let actRowBytes = blocksPerRow * actType.bytesPerBlock
        let acts = ScratchArena.current.buffer(.activations, bytes: count * actRowBytes)
        for t in 0..<count {
            ActivationQuantizer.quantize(x + t * cols, into: acts + t * actRowBytes, count: cols, as: actType)
        }
        quantizedProduct(UnsafeRawPointer(acts), count: count, into: y)
    }

    private func quantizedProduct(_ acts: UnsafeRawPointer, count: Int, into y: UnsafeMutablePointer<Float>) {
        let actRowBytes = blocksPerRow * Codec.activationType.bytesPerBlock
        let blocks = blocksPerRow, rowBytes = rowBytes, rows = rows, base = base
        for t0 in stride(from: 0, to: count, by: WeightMatrices.promptBlock) {
            let n = min(WeightMatrices.promptBlock, count - t0)
            Parallel.forRanges(rows, grain: 16) { range in
                Codec.gemm(base + range.lowerBound * rowBytes, rowBytes: rowBytes, rows: range.count, acts + t0 * actRowBytes,
                           actRowBytes: actRowBytes, count: n, blocks: blocks, into: y + t0 * rows + range.lowerBound, ldy: rows)
            }
        }
    }

    /// Widen weights to f32 and multiply in f32: isolates the weights' own quantization error.
    private func exactProduct(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        let cols = cols, rows = rows
        if count == 1 || rows * cols < BLAS.smallProductElements {
            // One row at a time through each thread's own scratch row (see `BLAS.smallProductElements`).
            Parallel.forRanges(rows, grain: 16) { range in
                let row = ScratchArena.current.buffer(.row, bytes: cols * 4).assumingMemoryBound(to: Float.self)
                for r in range {
                    dequantizeRow(r, into: row)
                    for t in 0..<count { y[t * rows + r] = VectorOps.dot(row, x + t * cols, cols) }
                }
            }
            return
        }
        BLAS.widenedProduct(x, count: count, rows: rows, cols: cols, into: y) { r, dst in dequantizeRow(r, into: dst) }
    }
}
