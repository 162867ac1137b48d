/// A unified diff of two texts, line by line (`-` recorded, `+` now, a space for context), with
/// `@@ -a,n +b,m @@` hunk headers as `diff -u` writes them, so the output reads like any review diff.
public enum LineDiff {
    enum Edit: Equatable {
        case same(String), removed(String), added(String)
    }

    /// The hunks of `old` → `new` with `context` unchanged lines around each change; "" when equal.
    public static func unified(old: String, new: String, context: Int = 3) -> String {
        let edits = self.edits(old.isEmpty ? [] : old.lines, new.isEmpty ? [] : new.lines)
        var out: [String] = []
        // Positions of changes; hunks cover each change ± context, merging when they touch.
        let changed = edits.indices.filter { if case .same = edits[$0] { false } else { true } }
        var k = 0
        while k < changed.count {
            let first = max(0, changed[k] - context)
            var last = min(edits.count - 1, changed[k] + context)
            while k + 1 < changed.count, changed[k + 1] - context <= last + 1 {
                k += 1
                last = min(edits.count - 1, changed[k] + context)
            }
            k += 1
            // Line numbers where the hunk starts in each text.
            var oldLine = 1, newLine = 1
            for e in edits[..<first] {
                if case .added = e {} else { oldLine += 1 }
                if case .removed = e {} else { newLine += 1 }
            }
            let hunk = edits[first...last]
            let oldCount = hunk.filter { if case .added = $0 { false } else { true } }.count
            let newCount = hunk.filter { if case .removed = $0 { false } else { true } }.count
            out.append("@@ -\(range(oldLine, oldCount)) +\(range(newLine, newCount)) @@")
            for e in hunk {
                switch e {
                case .same(let s): out.append(" " + s)
                case .removed(let s): out.append("-" + s)
                case .added(let s): out.append("+" + s)
                }
            }
        }
        return out.joined(separator: "\n")
    }

    /// `start,count` as diff -u writes it (an empty range names the line before it).
    private static func range(_ start: Int, _ count: Int) -> String {
        count == 0 ? "\(start - 1),0" : count == 1 ? "\(start)" : "\(start),\(count)"
    }

    /// A shortest edit script by longest common subsequence. Cell outputs are at most a few
    /// hundred lines, so the quadratic table is small.
    static func edits(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count, m = b.count
        // lcs[i][j]: length of the LCS of a[i...] and b[j...].
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                edits.append(.same(a[i])); i += 1; j += 1
            } else if j < m, i == n || lcs[i][j + 1] > lcs[i + 1][j] {
                edits.append(.added(b[j])); j += 1
            } else {
                edits.append(.removed(a[i])); i += 1
            }
        }
        return edits
    }
}
