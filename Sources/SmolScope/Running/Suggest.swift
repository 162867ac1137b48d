/// "Did you mean": the closest candidate by edit distance, when it is close enough to be a typo.
enum Suggest {
    static func closest(to word: String, in candidates: [String]) -> String? {
        let w = word.lowercased()
        var best: (String, Int)?
        for c in candidates.sorted() {
            let d = distance(w, c.lowercased())
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (c, d) = best else { return nil }
        let allowed = max(1, min(3, w.count / 3 + (w.count >= 4 ? 1 : 0)))
        if d <= allowed { return c }
        // A prefix of a longer name ("gen" → "generate").
        if w.count >= 2, let p = candidates.sorted().first(where: { $0.lowercased().hasPrefix(w) }) { return p }
        return nil
    }

    /// Damerau–Levenshtein distance (adjacent transpositions count as one edit).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
