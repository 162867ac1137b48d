import Dispatch
import SmolCore

/// Measures how fast this machine streams memory into the cores with the kernels' own threading:
/// the ceiling a bandwidth-bound decode step can reach. Every thread reads its share of a buffer
/// far larger than the last-level cache with 256-bit loads, folding them with XOR so the loop
/// does no work but the reads.
public enum BandwidthProbe {
    /// Best of `passes` full reads of a `bytes` buffer, in GB/s (10⁹ bytes per second).
    public static func readBandwidthGBs(bytes: Int = 1 << 30, passes: Int = 5) -> Double {
        let lineBytes = 128
        let count = max(bytes / lineBytes, 1) * lineBytes
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64)
        defer { buffer.deallocate() }
        // Touch (and fill) every page first so the passes time reads, not page faults.
        let words = buffer.bindMemory(to: UInt64.self, capacity: count / 8)
        for i in 0..<(count / 8) { words[i] = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 }

        let lines = count / lineBytes
        let parts = max(Parallel.threadCount, 1)
        // One cache line per part, so the threads' results never share a line.
        let partials = UnsafeMutablePointer<UInt64>.allocate(capacity: parts * 8)
        defer { partials.deallocate() }
        let raw = UnsafeRawPointer(buffer)
        var best = Double.infinity
        var sink: UInt64 = 0
        for _ in 0..<max(passes, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            Parallel.forRanges(parts) { range in
                for part in range {
                    var a = SIMD4<UInt64>(), b = SIMD4<UInt64>(), c = SIMD4<UInt64>(), d = SIMD4<UInt64>()
                    for line in (lines * part / parts)..<(lines * (part + 1) / parts) {
                        let p = raw + line * lineBytes
                        a ^= p.load(as: SIMD4<UInt64>.self)
                        b ^= p.load(fromByteOffset: 32, as: SIMD4<UInt64>.self)
                        c ^= p.load(fromByteOffset: 64, as: SIMD4<UInt64>.self)
                        d ^= p.load(fromByteOffset: 96, as: SIMD4<UInt64>.self)
                    }
                    let folded = a ^ b ^ c ^ d
                    partials[part * 8] = folded[0] ^ folded[1] ^ folded[2] ^ folded[3]
                }
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            for part in 0..<parts { sink ^= partials[part * 8] }
        }
        // Keep the reads observable so the optimizer cannot drop them.
        if sink == 0x1234_5678_9ABC_DEF0 { print("") }
        return Double(count) / best / 1e9
    }
}
