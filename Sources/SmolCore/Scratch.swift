#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SmolFormats

/// Grow-only scratch memory owned by one thread, so kernels that need temporary space (quantized
/// activations, widened weight tiles, dequantized rows) allocate only the first time a size is seen.
/// A few independent slots let nested users on the same thread keep their buffers apart.
public final class ScratchArena {
    public enum Slot: Int, CaseIterable { case activations, tile, row, rounded, scores }

    private var pointers = [UnsafeMutableRawPointer?](repeating: nil, count: Slot.allCases.count)
    private var capacities = [Int](repeating: 0, count: Slot.allCases.count)

    /// At least `bytes` bytes (64-byte aligned, contents undefined) for `slot`, valid until the next
    /// request for the same slot on this thread.
    public func buffer(_ slot: Slot, bytes: Int) -> UnsafeMutableRawPointer {
        let i = slot.rawValue
        if let p = pointers[i], capacities[i] >= bytes { return p }
        pointers[i]?.deallocate()
        let size = max(bytes, 64)
        let p = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        pointers[i] = p
        capacities[i] = size
        return p
    }

    deinit { for p in pointers { p?.deallocate() } }

    /// The calling thread's arena (created on first use, freed when the thread exits).
    public static var current: ScratchArena {
        if let p = pthread_getspecific(key) { return Unmanaged<ScratchArena>.fromOpaque(p).takeUnretainedValue() }
        let arena = ScratchArena()
        pthread_setspecific(key, Unmanaged.passRetained(arena).toOpaque())
        return arena
    }

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { p in
            if let p { Unmanaged<ScratchArena>.fromOpaque(p).release() }
        }
        return k
    }()
}

/// One batch of activation rows, prepared once for every matrix that reads it: q, k and v read the
/// same normed input, as do gate and up, so the 8-bit blocks (or the f16/bf16-rounded copy) are
/// computed for the first and reused by the others. Owned by a workspace and reused every step.
public final class ActivationBatch {
    public private(set) var x: UnsafePointer<Float>
    public private(set) var count = 0
    public private(set) var cols = 0

    private var forms: [TensorType: (UnsafeMutableRawPointer, Int)] = [:]
    private var valid: Set<TensorType> = []

    public init() {
        x = UnsafePointer(bitPattern: 64)!
        forms.reserveCapacity(8)
        valid.reserveCapacity(8)
    }

    deinit { for (p, _) in forms.values { p.deallocate() } }

    /// Points the batch at new contents (`count` rows of `cols`), forgetting prepared forms.
    public func reset(_ x: UnsafePointer<Float>, count: Int, cols: Int) {
        self.x = x
        self.count = count
        self.cols = cols
        valid.removeAll(keepingCapacity: true)
    }

    /// The rows in `type`: an activation block format (Q8_0, Q8_1, Q8_K; rows of
    /// `cols / 32 (256) · blockBytes`) or F16/BF16 (f32 rows rounded through that type).
    public func prepared(_ type: TensorType) -> UnsafeRawPointer {
        let bytes: Int
        switch type {
        case .f16, .bf16: bytes = count * cols * 4
        default: bytes = count * (cols / type.blockSize) * type.bytesPerBlock
        }
        var (p, capacity) = forms[type] ?? (UnsafeMutableRawPointer(bitPattern: 64)!, 0)
        if capacity < bytes {
            if capacity > 0 { p.deallocate() }
            p = .allocate(byteCount: bytes, alignment: 64)
            forms[type] = (p, bytes)
            valid.remove(type)
        }
        if !valid.contains(type) {
            ActivationBatch.fill(p, type, x, count: count, cols: cols)
            valid.insert(type)
        }
        return UnsafeRawPointer(p)
    }

    static func fill(_ p: UnsafeMutableRawPointer, _ type: TensorType, _ x: UnsafePointer<Float>, count: Int, cols: Int) {
        switch type {
        case .f16:
            let out = p.assumingMemoryBound(to: Float.self)
            for i in 0..<(count * cols) { out[i] = x[i].roundedToHalf }
        case .bf16:
            let out = p.assumingMemoryBound(to: Float.self)
            for i in 0..<(count * cols) { out[i] = x[i].roundedToBFloat16 }
        default:
            let rowBytes = (cols / type.blockSize) * type.bytesPerBlock
            for t in 0..<count { ActivationQuantizer.quantize(x + t * cols, into: p + t * rowBytes, count: cols, as: type) }
        }
    }
}
