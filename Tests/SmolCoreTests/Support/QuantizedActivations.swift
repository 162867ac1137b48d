@testable import SmolCore
import SmolFormats

/// An activation row quantized by `ActivationQuantizer`, with the per-block values the error
/// bounds need read back from the block layout.
struct QuantizedActivations {
    let type: TensorType
    let count: Int
    let storage: [UInt8]

    init(_ x: [Float], as type: TensorType) {
        self.type = type
        count = x.count
        var storage = [UInt8](repeating: 0, count: x.count / type.blockSize * type.bytesPerBlock)
        x.withUnsafeBufferPointer { xs in
            storage.withUnsafeMutableBytes { out in
                ActivationQuantizer.quantize(xs.baseAddress!, into: out.baseAddress!, count: xs.count, as: type)
            }
        }
        self.storage = storage
    }

    var blocks: Int { count / type.blockSize }

    func withBytes<R>(_ body: (UnsafeRawPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { try body($0.baseAddress!) }
    }

    /// The block's scale as stored (f16 for Q8_0/Q8_1, f32 for Q8_K), widened.
    func scale(_ b: Int) -> Float {
        withBytes { p in
            let block = p + b * type.bytesPerBlock
            return type == .q8_K ? block.loadUnaligned(as: Float.self) : Float(block.loadUnaligned(as: Float16.self))
        }
    }

    func quants(_ b: Int) -> [Int8] {
        let offset = switch type {
        case .q8_0: ActivationBlock.q8_0Quants
        case .q8_1: ActivationBlock.q8_1Quants
        default: ActivationBlock.q8_KQuants
        }
        return withBytes { p in
            Array(UnsafeBufferPointer(start: p.int8s(at: b * type.bytesPerBlock + offset), count: type.blockSize))
        }
    }

    /// Q8_1's stored `s = d·Σq`.
    func blockSum(_ b: Int) -> Float {
        withBytes { p in Float(p.loadUnaligned(fromByteOffset: b * type.bytesPerBlock + ActivationBlock.q8_1Sum, as: Float16.self)) }
    }

    /// The values the kernels multiply by: `scale · q`.
    var dequantized: [Float] {
        (0..<blocks).flatMap { b in quants(b).map { scale(b) * Float($0) } }
    }
}
