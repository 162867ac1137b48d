/// A numpy-style index expression such as `[0, :8]`, `[2:5, ::2]` or `[-1]`, applied to a shape.
/// Dimensions not mentioned are taken whole; an integer index drops its dimension.
struct TensorSlice: Equatable {
    enum Item: Equatable {
        case index(Int)
        case range(start: Int?, stop: Int?, step: Int)
    }

    var items: [Item]

    /// Parses `[ … ]` (the brackets are required so a slice cannot be mistaken for another argument).
    init(parsing text: String) throws(ScopeError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("["), t.hasSuffix("]"), t.count >= 2 else {
            throw .syntax("a slice looks like [0, :8] or [2:5] (got '\(text)')")
        }
        let body = t.dropFirst().dropLast()
        if body.trimmingCharacters(in: .whitespaces).isEmpty { items = []; return }
        items = try body.split(separator: ",", omittingEmptySubsequences: false).map { part throws(ScopeError) -> Item in
            let p = part.trimmingCharacters(in: .whitespaces)
            func int(_ s: Substring) throws(ScopeError) -> Int? {
                let s = s.trimmingCharacters(in: .whitespaces)
                if s.isEmpty { return nil }
                guard let v = Int(s) else { throw .syntax("'\(s)' in slice '\(text)' is not an integer") }
                return v
            }
            if !p.contains(":") {
                guard let v = try int(Substring(p)) else { throw .syntax("empty index in slice '\(text)'") }
                return .index(v)
            }
            let bits = p.split(separator: ":", omittingEmptySubsequences: false)
            guard bits.count <= 3 else { throw .syntax("too many ':' in slice '\(text)'") }
            let step = bits.count == 3 ? try int(bits[2]) ?? 1 : 1
            guard step > 0 else { throw .syntax("slice steps must be positive (got \(step))") }
            return .range(start: try int(bits[0]), stop: try int(bits[1]), step: step)
        }
    }

    /// The selected source indices of every dimension and which dimensions survive.
    func resolve(_ shape: [Int]) throws(ScopeError) -> Selection {
        guard items.count <= shape.count else {
            throw .outOfRange(what: "slice dimensions", value: String(items.count), valid: "the tensor has \(shape.count)")
        }
        var indices: [[Int]] = [], kept: [Bool] = []
        for (d, size) in shape.enumerated() {
            let item = d < items.count ? items[d] : .range(start: nil, stop: nil, step: 1)
            switch item {
            case .index(let i):
                let r = i < 0 ? size + i : i
                guard r >= 0, r < size else {
                    throw .outOfRange(what: "index", value: String(i), valid: "dimension \(d) has size \(size)")
                }
                indices.append([r])
                kept.append(false)
            case .range(let start, let stop, let step):
                func clamp(_ v: Int?, _ dflt: Int) -> Int {
                    guard let v else { return dflt }
                    return min(max(v < 0 ? size + v : v, 0), size)
                }
                let lo = clamp(start, 0), hi = clamp(stop, size)
                indices.append(lo < hi ? Array(stride(from: lo, to: hi, by: step)) : [])
                kept.append(true)
            }
        }
        return Selection(sourceShape: shape, indices: indices, kept: kept)
    }
}

/// Source indices chosen in each dimension of a tensor.
struct Selection {
    let sourceShape: [Int]
    let indices: [[Int]]
    let kept: [Bool]

    static func all(_ shape: [Int]) -> Selection {
        Selection(sourceShape: shape, indices: shape.map { Array(0..<$0) }, kept: shape.map { _ in true })
    }

    /// Shape of the result (dimensions picked by a single index removed).
    var shape: [Int] { zip(indices, kept).filter(\.1).map(\.0.count) }
    var count: Int { indices.reduce(1) { $0 * $1.count } }

    var sourceStrides: [Int] {
        var s = [Int](repeating: 1, count: sourceShape.count)
        for i in stride(from: sourceShape.count - 2, through: 0, by: -1) { s[i] = s[i + 1] * sourceShape[i + 1] }
        return s
    }

    /// Flat source offsets of every selected element, in row-major order of the result.
    func forEachOffset(_ body: (Int) -> Void) {
        let strides = sourceStrides
        guard count > 0 else { return }
        var counter = [Int](repeating: 0, count: indices.count)
        while true {
            var offset = 0
            for d in indices.indices { offset += indices[d][counter[d]] * strides[d] }
            body(offset)
            var d = indices.count - 1
            while d >= 0 {
                counter[d] += 1
                if counter[d] < indices[d].count { break }
                counter[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }
}
