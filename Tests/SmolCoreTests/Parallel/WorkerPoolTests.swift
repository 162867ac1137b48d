import Dispatch
import SmolCore
import Synchronization
import Testing

/// The persistent pool must run every chunk exactly once per region, back to back, nested, and
/// from several calling threads at once (the busy pool hands concurrent callers to libdispatch).
@Suite("Worker pool")
struct WorkerPoolTests {
    @Test("every chunk runs exactly once, over many consecutive regions")
    func chunksRunOnce() {
        for chunks in [2, 3, 8, 17, 64] {
            for _ in 0..<200 {
                let hits = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
                hits.initialize(repeating: 0, count: chunks)
                let p = UncheckedSendable(hits)
                WorkerPool.shared.run(chunks: chunks, threads: 3) { i in p.value[i] += 1 }
                #expect((0..<chunks).allSatisfy { hits[$0] == 1 })
                hits.deallocate()
            }
        }
    }

    @Test("forRanges covers 0..<count with disjoint ranges, also when nested")
    func rangesCoverOnce() {
        let n = 1000
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: n * 4)
        hits.initialize(repeating: 0, count: n * 4)
        defer { hits.deallocate() }
        let p = UncheckedSendable(hits)
        Parallel.forRanges(4) { outer in
            for o in outer {
                Parallel.forRanges(n, grain: 7) { inner in
                    for i in inner { p.value[o * n + i] += 1 }
                }
            }
        }
        #expect((0..<(4 * n)).allSatisfy { hits[$0] == 1 })
    }

    @Test("concurrent callers each get all their chunks")
    func concurrentCallers() {
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<100 {
                let count = Atomic<Int>(0)
                WorkerPool.shared.run(chunks: 10, threads: 2) { _ in count.add(1, ordering: .relaxed) }
                total.add(count.load(ordering: .relaxed), ordering: .relaxed)
            }
        }
        #expect(total.load(ordering: .relaxed) == 8 * 100 * 10)
    }
}
