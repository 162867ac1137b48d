/// Shell-style name patterns for `tensors`: `*` any run, `?` one character. A pattern without
/// wildcards matches names containing it.
enum Glob {
    static func matches(_ pattern: String, _ name: String) -> Bool {
        guard pattern.contains("*") || pattern.contains("?") else { return name.contains(pattern) }
        let p = Array(pattern), n = Array(name)
        var pi = 0, ni = 0, star = -1, mark = 0
        while ni < n.count {
            if pi < p.count, p[pi] == "?" || p[pi] == n[ni] {
                pi += 1
                ni += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = ni
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ni = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
