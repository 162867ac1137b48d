/// Summary statistics of a set of values, accumulated in f64.
struct TensorStats: Equatable {
    var count = 0
    var sum = 0.0
    var sumOfSquares = 0.0
    var minimum = Float.infinity
    var maximum = -Float.infinity
    var nonFinite = 0

    mutating func add(_ v: Float) {
        guard v.isFinite else { nonFinite += 1; return }
        count += 1
        let d = Double(v)
        sum += d
        sumOfSquares += d * d
        minimum = min(minimum, v)
        maximum = max(maximum, v)
    }

    mutating func add(_ values: UnsafeBufferPointer<Float>) { for v in values { add(v) } }

    var mean: Double { count > 0 ? sum / Double(count) : 0 }
    var std: Double { count > 0 ? max(0, sumOfSquares / Double(count) - mean * mean).squareRoot() : 0 }
    /// L2 norm.
    var norm: Double { sumOfSquares.squareRoot() }

    /// `mean -0.0001  std 0.0500  min -0.2168  max 0.2227  norm 12.80`.
    var line: String {
        guard count > 0 else { return "no finite values" + (nonFinite > 0 ? " (\(nonFinite) nan/inf)" : "") }
        return "mean \(Format.short(mean))  std \(Format.short(std))  min \(Format.short(Double(minimum)))  "
            + "max \(Format.short(Double(maximum)))  norm \(Format.short(norm))" + (nonFinite > 0 ? "  (\(nonFinite) nan/inf)" : "")
    }

    static func of(_ values: [Float]) -> TensorStats {
        var s = TensorStats()
        values.withUnsafeBufferPointer { s.add($0) }
        return s
    }
}
