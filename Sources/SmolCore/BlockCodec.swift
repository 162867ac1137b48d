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

    /// Integer dot products against quantized activations, as llama.cpp's CPU backend computes.
    private func fastProduct(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        let actType = Codec.activationType
        let actRowBytes = blocksPerRow * actType.bytesPerBlock
        let acts = UnsafeMutableRawPointer.allocate(byteCount: count * actRowBytes, alignment: 64)
        defer { acts.deallocate() }
        for t in 0..<count {
            ActivationQuantizer.quantize(x + t * cols, into: acts + t * actRowBytes, count: cols, as: actType)
        }
        let blocks = blocksPerRow, rowBytes = rowBytes, rows = rows, base = base
        Parallel.forRanges(rows, grain: 16) { range in
            for r in range {
                let w = base + r * rowBytes
                for t in 0..<count {
                    y[t * rows + r] = Codec.dot(w, acts + t * actRowBytes, blocks: blocks)
                }
            }
        }
    }

    /// Widen weights to f32 and multiply in f32: isolates the weights' own quantization error.
    private func exactProduct(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        let tile = count == 1 ? rows : 256
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: min(tile, rows) * cols)
        defer { scratch.deallocate() }
        var r0 = 0
        while r0 < rows {
            let n = min(tile, rows - r0)
            Parallel.forRanges(n, grain: 16) { range in
                for r in range {
                    dequantizeRow(r0 + r, into: scratch + r * cols)
                    if count == 1 { y[r0 + r] = VectorOps.dot(scratch + r * cols, x, cols) }
                }
            }
            if count > 1 { BLAS.gemmABt(x, scratch, y + r0, m: count, n: n, k: cols, ldc: rows) }
            r0 += n
        }
    }
}
