#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels
import Dispatch
import Synchronization

/// Threads created once and woken per parallel region: the caller publishes a job (a chunk count
/// and a body), workers spin briefly and then sleep on a condition variable until the next one, and
/// chunks are claimed one at a time from a shared ticket, the caller taking its share too.
///
/// The ticket packs the job's generation, its chunk count and the next unclaimed chunk into one
/// atomic word, so a worker that wakes late for a finished job can never claim a chunk of the next.
public final class WorkerPool: @unchecked Sendable {
    /// The pool `Parallel` runs on.
    public static let shared = WorkerPool()

    private static let chunkBits = 20, chunkMask = (1 << 20) - 1

    private let ticket = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    /// Workers with index below this take part (the rest stay asleep): `Parallel.threadCount − 1`.
    private let active = Atomic<Int>(0)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let cond: UnsafeMutablePointer<pthread_cond_t>
    /// The current job's body, valid while its generation's chunks are unclaimed or running.
    nonisolated(unsafe) private var body: ((Int) -> Void)?
    private var generation = 0
    private var started = 0
    /// Spins (with a pause hint) before a worker sleeps: tens of microseconds, longer than the gap
    /// between two matrix products of one decode step.
    public nonisolated(unsafe) static var spinLimit = 4_000

    private init() {
        mutex = .allocate(capacity: 1)
        cond = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    /// Calls `body(i)` for every `i` in `0..<chunks`, on up to `threads` threads including the
    /// caller. Runs on libdispatch instead when the pool is already in use (nested or concurrent
    /// callers), so any number of threads may call it.
    public func run(chunks: Int, threads: Int, _ body: (Int) -> Void) {
        precondition(chunks <= WorkerPool.chunkMask)
        guard chunks > 1, threads > 1 else {
            for i in 0..<chunks { body(i) }
            return
        }
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            withoutActuallyEscaping(body) { body in
                let box = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: chunks) { box.value($0) }
            }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        ensureWorkers(threads - 1)
        withoutActuallyEscaping(body) { body in
            self.body = body
            generation += 1
            let gen = generation
            pending.store(chunks, ordering: .relaxed)
            ticket.store(gen << (2 * WorkerPool.chunkBits) | chunks << WorkerPool.chunkBits, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(cond)
                pthread_mutex_unlock(mutex)
            }
            claim(gen)
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins < 2_000 { smol_ck_spin_pause() } else { sched_yield() }
            }
            self.body = nil
        }
    }

    /// Runs chunks of job `gen` until none is left unclaimed.
    private func claim(_ gen: Int) {
        var t = ticket.load(ordering: .acquiring)
        while true {
            guard t >> (2 * WorkerPool.chunkBits) == gen else { return }
            let chunks = (t >> WorkerPool.chunkBits) & WorkerPool.chunkMask, next = t & WorkerPool.chunkMask
            guard next < chunks else { return }
            let (exchanged, original) = ticket.compareExchange(expected: t, desired: t + 1, ordering: .acquiringAndReleasing)
            guard exchanged else {
                t = original
                continue
            }
            body!(next)
            pending.subtract(1, ordering: .releasing)
            t = ticket.load(ordering: .acquiring)
        }
    }

    private func ensureWorkers(_ n: Int) {
        active.store(n, ordering: .relaxed)
        while started < n {
            let index = started
            started += 1
            let context = Unmanaged.passRetained(WorkerContext(pool: self, index: index)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { p in
                let ctx = Unmanaged<WorkerContext>.fromOpaque(p!).takeRetainedValue()
                ctx.pool.workerLoop(ctx.index)
                return nil
            }, context)
            precondition(rc == 0, "pthread_create failed: \(rc)")
            pthread_detach(thread)
        }
    }

    private func workerLoop(_ index: Int) {
        var seen = 0
        while true {
            var spins = 0
            var t = ticket.load(ordering: .acquiring)
            while t >> (2 * WorkerPool.chunkBits) == seen || index >= active.load(ordering: .relaxed) {
                if spins < WorkerPool.spinLimit {
                    spins += 1
                    smol_ck_spin_pause()
                } else {
                    pthread_mutex_lock(mutex)
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    while ticket.load(ordering: .sequentiallyConsistent) >> (2 * WorkerPool.chunkBits) == seen {
                        pthread_cond_wait(cond, mutex)
                    }
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(mutex)
                    spins = 0
                }
                t = ticket.load(ordering: .acquiring)
                if index >= active.load(ordering: .relaxed) { seen = t >> (2 * WorkerPool.chunkBits) }
            }
            seen = t >> (2 * WorkerPool.chunkBits)
            claim(seen)
        }
    }

    private final class WorkerContext {
        let pool: WorkerPool
        let index: Int
        init(pool: WorkerPool, index: Int) {
            self.pool = pool
            self.index = index
        }
    }
}
