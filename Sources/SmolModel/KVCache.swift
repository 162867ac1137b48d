#if canImport(Glibc)
import Glibc
#endif

/// Keys and values of every layer for the positions seen so far, in f32.
///
/// Each layer's keys (and values) live in one virtual reservation big enough for the whole context,
/// laid out `[position][kvHead][headDim]`. Pages are only backed by memory once written, so a
/// 64k-token reservation costs nothing until used, appending never copies, and rewinding is
/// setting a count.
public final class KVCache: @unchecked Sendable {
    public let layerCount: Int
    public let kvHeadCount: Int
    public let headDim: Int
    public let capacity: Int
    /// Number of positions held (the next token's position).
    public private(set) var count = 0

    private let keys: [UnsafeMutablePointer<Float>]
    private let values: [UnsafeMutablePointer<Float>]
    private let reservedBytes: Int
    private let mapped: Bool

    /// Scratch buffers of the forward pass, kept with the sequence so decode steps allocate nothing.
    let workspace = Workspace()

    public init(config: ModelConfig, capacity: Int? = nil) {
        layerCount = config.layerCount
        kvHeadCount = config.kvHeadCount
        headDim = config.headDim
        self.capacity = max(1, capacity ?? config.maxPositions)
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let bytes = self.capacity * config.kvHeadCount * config.headDim * MemoryLayout<Float>.stride
        let reservedBytes = (bytes + pageSize - 1) / pageSize * pageSize
        self.reservedBytes = reservedBytes
        var onHeap = false
        func reserve() -> UnsafeMutablePointer<Float> {
            let p = mmap(nil, reservedBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
            guard let p, p != MAP_FAILED else {
                // Without overcommit fall back to the heap.
                onHeap = true
                return .allocate(capacity: reservedBytes / 4)
            }
            return p.assumingMemoryBound(to: Float.self)
        }
        keys = (0..<config.layerCount).map { _ in reserve() }
        values = (0..<config.layerCount).map { _ in reserve() }
        mapped = !onHeap
    }

    deinit {
        for p in keys + values {
            if mapped { munmap(p, reservedBytes) } else { p.deallocate() }
        }
    }

    /// Floats per position in one layer.
    public var rowWidth: Int { kvHeadCount * headDim }

    /// Bytes currently used by keys and values of all layers.
    public var bytesUsed: Int { 2 * layerCount * count * rowWidth * MemoryLayout<Float>.stride }

    func keyRows(_ layer: Int) -> UnsafeMutablePointer<Float> { keys[layer] }
    func valueRows(_ layer: Int) -> UnsafeMutablePointer<Float> { values[layer] }

    /// Marks `n` more positions as filled (their rows are written by the layers).
    func advance(by n: Int) { count += n }

    /// Forgets every position from `position` on (`rewind`): the next token goes there.
    public func truncate(to position: Int) {
        count = max(0, min(count, position))
    }

    public func reset() { count = 0 }

    /// Keys of `layer` as `[kvHead, position, headDim]` (transformers' layout). K is stored after
    /// RoPE on RoPE layers, raw on NoPE layers, as transformers caches it.
    public func keys(layer: Int) -> Tensor { gather(keys[layer]) }
    public func values(layer: Int) -> Tensor { gather(values[layer]) }

    private func gather(_ rows: UnsafeMutablePointer<Float>) -> Tensor {
        var out = [Float](repeating: 0, count: count * rowWidth)
        for h in 0..<kvHeadCount {
            for p in 0..<count {
                for d in 0..<headDim {
                    out[(h * count + p) * headDim + d] = rows[p * rowWidth + h * headDim + d]
                }
            }
        }
        return Tensor(shape: [kvHeadCount, count, headDim], data: out)
    }
}
