import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Splits row loops across cores, on the persistent `WorkerPool`: a parallel region costs a
/// wake-up of already-running threads (usually still spinning from the previous region), never a
/// thread spawn, and the calling thread works on its share.
public enum Parallel {
    /// Threads used (the caller plus pool workers); defaults to the cores this process may use.
    nonisolated(unsafe) public static var threadCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Chunks per thread: more chunks than threads lets a thread that was descheduled (noisy
    /// shared machines) hand its remaining work to the others.
    nonisolated(unsafe) public static var chunksPerThread = 4

    /// Whether regions run on `WorkerPool` (default) or libdispatch (`SMOL_PARALLEL=dispatch`).
    nonisolated(unsafe) public static var usePool = getenv("SMOL_PARALLEL").map { String(cString: $0) != "dispatch" } ?? true

    /// Calls `body` on disjoint sub-ranges covering `0..<count`, in parallel when worthwhile.
    /// `grain` is the smallest range worth a chunk of its own.
    public static func forRanges(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        let threads = threadCount
        let chunks = min(threads * (threads > 1 ? chunksPerThread : 1), max(1, count / max(1, grain)))
        if chunks <= 1 {
            body(0..<count)
            return
        }
        guard usePool else {
            withoutActuallyEscaping(body) { body in
                let box = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: chunks) { i in
                    box.value((count * i / chunks)..<(count * (i + 1) / chunks))
                }
            }
            return
        }
        WorkerPool.shared.run(chunks: chunks, threads: threads) { i in
            body((count * i / chunks)..<(count * (i + 1) / chunks))
        }
    }
}

/// Carries pointers and closures across `concurrentPerform`, whose closure must be `@Sendable`.
/// Each caller guarantees the chunks touch disjoint memory.
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}
