import SmolCore
import SmolFormats

/// Random weight matrices in a block format: random bytes for quants and packed sub-block
/// scales, and finite f16 values in the f16 fields (random bytes there could be NaN or ±inf).
struct SyntheticWeights {
    let type: TensorType
    let rows: Int
    let cols: Int
    let buffer: WeightBuffer

    init(_ type: TensorType, rows: Int, cols: Int, using rng: inout SeededGenerator) {
        self.type = type
        self.rows = rows
        self.cols = cols
        let blocks = rows * cols / type.blockSize
        buffer = WeightBuffer(byteCount: blocks * type.bytesPerBlock)
        for i in 0..<buffer.count { buffer.raw.storeBytes(of: UInt8.random(in: 0...255, using: &rng), toByteOffset: i, as: UInt8.self) }
        for b in 0..<blocks {
            let block = buffer.raw + b * type.bytesPerBlock
            let sign: Float = Bool.random(using: &rng) ? 1 : -1
            block.storeBytes(of: Float16(sign * Float.random(in: 0.5e-3...2e-3, using: &rng)),
                             toByteOffset: BlockLayout.scaleOffset(type), as: Float16.self)
            for offset in BlockLayout.offsetFields(type) {
                block.storeBytes(of: Float16(Float.random(in: -2e-2...2e-2, using: &rng)), toByteOffset: offset, as: Float16.self)
            }
        }
    }

    func matrix() throws -> any WeightMatrix {
        try MatrixFactory.matrix(type: type, rows: rows, cols: cols, base: UnsafeRawPointer(buffer.raw), owner: buffer)
    }

    func rowPointer(_ r: Int) -> UnsafeRawPointer {
        UnsafeRawPointer(buffer.raw + r * (cols / type.blockSize) * type.bytesPerBlock)
    }
}

/// The zero-point part of each weight of a quantized row (`m` of Q4_1, `−dmin·m` of Q4_K, 0 for
/// symmetric formats): the row dequantized with its `scale` fields set to zero.
func zeroPoints(_ type: TensorType, row: UnsafeRawPointer, cols: Int) throws -> [Float] {
    let blocks = cols / type.blockSize
    let copy = WeightBuffer(byteCount: blocks * type.bytesPerBlock)
    copy.raw.copyMemory(from: row, byteCount: copy.count)
    for b in 0..<blocks {
        copy.raw.storeBytes(of: Float16(0), toByteOffset: b * type.bytesPerBlock + BlockLayout.scaleOffset(type), as: Float16.self)
    }
    return try MatrixFactory.matrix(type: type, rows: 1, cols: cols, base: UnsafeRawPointer(copy.raw), owner: copy).row(0)
}

/// Activations of a few typical magnitudes per block, with an outlier now and then, like the
/// inputs of a transformer's projections.
func syntheticActivations(_ count: Int, using rng: inout SeededGenerator) -> [Float] {
    (0..<count).map { i in
        let blockScale: Float = [0.05, 0.5, 2, 8][(i / 32) % 4]
        let outlier: Float = Int.random(in: 0..<64, using: &rng) == 0 ? 10 : 1
        return Float.random(in: -1...1, using: &rng) * blockScale * outlier
    }
}
