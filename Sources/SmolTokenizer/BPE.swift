/// Byte-level byte-pair encoding of single words.
///
/// A word starts as one symbol per byte; the adjacent pair with the lowest merge rank is merged
/// (the leftmost one on ties) until no adjacent pair has a merge. Symbols live in a doubly linked
/// list over an array and candidate pairs in a binary min-heap keyed by (rank, position), with
/// stale entries skipped when popped — O(n log n) per word, where rescanning all pairs after each
/// merge would be quadratic on long words (runs of spaces, minified code, base64).
///
/// Everything is in terms of token ids: the byte-level spelling of the vocabulary is resolved once
/// at load time, so encoding never builds strings.
struct BytePairEncoder: Sendable {
    /// Token id of each single byte; -1 where the vocabulary lacks one (such bytes are dropped,
    /// as HF does for a BPE model without an unknown token).
    private let byteTokens: [Int32]
    /// Key `left << 32 | right` → value `rank << 32 | merged`.
    private let merges: [UInt64: UInt64]
    /// HF `ignore_merges` / llama.cpp's flag for `llama-bpe`: a word that is itself a vocabulary
    /// entry becomes that token without merging (merging can end elsewhere).
    private let ignoreMerges: Bool
    /// Raw bytes → ids, consulted only with `ignoreMerges`.
    private let wholeWordIds: [ByteString: Int]

    var mergeCount: Int { merges.count }

    /// - Parameters:
    ///   - vocabulary: the token tables; every byte's single-character spelling and every merge
    ///     result must be in it.
    ///   - merges: merge rules in rank order, as the byte-level spellings of the two tokens joined.
    init(vocabulary: Vocabulary, merges: [(Substring, Substring)], ignoreMerges: Bool) throws(TokenizerError) {
        let ids = vocabulary.idsByBytes
        byteTokens = (0..<256).map { byte in
            ids[ByteString([UInt8(byte)])].map { Int32($0) } ?? -1
        }
        var table: [UInt64: UInt64] = [:]
        table.reserveCapacity(merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            func invalid(_ reason: String) -> TokenizerError {
                .invalidMerge(rank: rank, merge: "\(left) \(right)", reason: reason)
            }
            guard let leftBytes = ByteString(byteLevelSpelling: left), let leftId = ids[leftBytes] else {
                throw invalid("'\(left)' is not in the vocabulary")
            }
            guard let rightBytes = ByteString(byteLevelSpelling: right), let rightId = ids[rightBytes] else {
                throw invalid("'\(right)' is not in the vocabulary")
            }
            guard let mergedId = ids[leftBytes.appending(rightBytes)] else {
                throw invalid("'\(left)\(right)' is not in the vocabulary")
            }
            let key = UInt64(leftId) << 32 | UInt64(rightId)
            // Keep the first (lowest) rank if a pair is listed twice.
            if table[key] == nil {
                table[key] = UInt64(rank) << 32 | UInt64(mergedId)
            }
        }
        self.merges = table
        self.ignoreMerges = ignoreMerges
        self.wholeWordIds = ignoreMerges ? ids : [:]
    }

    /// Appends the tokens of one word (its raw UTF-8 bytes) to `output`.
    func encode(_ word: UnsafeBufferPointer<UInt8>, workspace: inout Workspace, into output: inout [Int]) {
        guard !word.isEmpty else { return }
        if word.count == 1 {
            let id = byteTokens[Int(word[0])]
            if id >= 0 { output.append(Int(id)) }
            return
        }
        if ignoreMerges, let id = wholeWordIds[ByteString(word)] {
            output.append(id)
            return
        }
        workspace.reset(with: word, byteTokens: byteTokens)
        mergeAll(&workspace)
        workspace.appendSymbols(to: &output)
    }

    private func mergeAll(_ w: inout Workspace) {
        for position in 0..<(w.ids.count - 1) {
            pushCandidate(at: Int32(position), &w)
        }
        while let candidate = w.heap.popMin() {
            let position = Int(candidate & 0xFFFF_FFFF)
            let rank = candidate >> 32
            // Skip entries made stale by an earlier merge: the symbol or its right neighbour changed.
            let left = w.ids[position]
            let nextPosition = w.next[position]
            guard left >= 0, nextPosition >= 0 else { continue }
            let right = w.ids[Int(nextPosition)]
            guard let merge = merges[UInt64(UInt32(left)) << 32 | UInt64(UInt32(right))], merge >> 32 == rank else {
                continue
            }
            // Merge the right symbol into this one and unlink it.
            w.ids[position] = Int32(truncatingIfNeeded: merge & 0xFFFF_FFFF)
            w.ids[Int(nextPosition)] = -1
            let afterNext = w.next[Int(nextPosition)]
            w.next[position] = afterNext
            if afterNext >= 0 { w.previous[Int(afterNext)] = Int32(position) }
            let previousPosition = w.previous[position]
            if previousPosition >= 0 { pushCandidate(at: previousPosition, &w) }
            pushCandidate(at: Int32(position), &w)
        }
    }

    @inline(__always)
    private func pushCandidate(at position: Int32, _ w: inout Workspace) {
        let nextPosition = w.next[Int(position)]
        guard nextPosition >= 0 else { return }
        let left = w.ids[Int(position)], right = w.ids[Int(nextPosition)]
        guard left >= 0, right >= 0,
              let merge = merges[UInt64(UInt32(left)) << 32 | UInt64(UInt32(right))] else { return }
        w.heap.push(merge & 0xFFFF_FFFF_0000_0000 | UInt64(UInt32(position)))
    }

    /// Reusable buffers for merging one word, so encoding a long text does not allocate per word.
    struct Workspace {
        /// Token id of each symbol; -1 once merged into its left neighbour (or a missing byte).
        fileprivate var ids: [Int32] = []
        fileprivate var previous: [Int32] = []
        fileprivate var next: [Int32] = []
        fileprivate var heap = MinHeap()

        fileprivate mutating func reset(with word: UnsafeBufferPointer<UInt8>, byteTokens: [Int32]) {
            ids.removeAll(keepingCapacity: true)
            previous.removeAll(keepingCapacity: true)
            next.removeAll(keepingCapacity: true)
            heap.removeAll()
            for (index, byte) in word.enumerated() {
                ids.append(byteTokens[Int(byte)])
                previous.append(Int32(index) - 1)
                next.append(index + 1 < word.count ? Int32(index + 1) : -1)
            }
        }

        fileprivate func appendSymbols(to output: inout [Int]) {
            var position: Int32 = 0
            while position >= 0 {
                let id = ids[Int(position)]
                if id >= 0 { output.append(Int(id)) }
                position = next[Int(position)]
            }
        }
    }
}

/// A binary min-heap of packed `rank << 32 | position` keys: the lowest rank pops first, and the
/// leftmost position among equal ranks, matching HF and llama.cpp.
struct MinHeap {
    private var storage: [UInt64] = []

    mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

    mutating func push(_ value: UInt64) {
        storage.append(value)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> UInt64? {
        guard let last = storage.popLast() else { return nil }
        guard !storage.isEmpty else { return last }
        let minimum = storage[0]
        storage[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < storage.count, storage[left] < storage[smallest] { smallest = left }
            if right < storage.count, storage[right] < storage[smallest] { smallest = right }
            guard smallest != parent else { break }
            storage.swapAt(parent, smallest)
            parent = smallest
        }
        return minimum
    }
}
