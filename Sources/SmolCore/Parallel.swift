import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Splits row loops across cores. libdispatch keeps its worker threads alive between calls, so a
/// decode step pays for a wake-up, never for a thread spawn.
public enum Parallel {
    /// Number of chunks work is split into; defaults to the cores this process may use.
    nonisolated(unsafe) public static var threadCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Calls `body` on disjoint sub-ranges covering `0..<count`, in parallel when worthwhile.
    /// `grain` is the smallest range worth a thread of its own.
    public static func forRanges(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(threadCount, max(1, count / max(1, grain)))
        if chunks <= 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { i in
                let lo = count * i / chunks, hi = count * (i + 1) / chunks
                box.value(lo..<hi)
            }
        }
    }
}

/// Carries pointers and closures across `concurrentPerform`, whose closure must be `@Sendable`.
/// Each caller guarantees the chunks touch disjoint memory.
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}
