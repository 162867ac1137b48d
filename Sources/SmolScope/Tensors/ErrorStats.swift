/// Running error statistics of approximate values against reference values.
struct ErrorStats {
    var count = 0
    var maxError: Float = 0
    var squaredError = 0.0
    var squaredReference = 0.0

    mutating func add(_ reference: [Float], _ approximate: [Float]) {
        for (r, a) in zip(reference, approximate) {
            let e = abs(a - r)
            maxError = max(maxError, e)
            squaredError += Double(e) * Double(e)
            squaredReference += Double(r) * Double(r)
        }
        count += min(reference.count, approximate.count)
    }

    mutating func merge(_ other: ErrorStats) {
        count += other.count
        maxError = max(maxError, other.maxError)
        squaredError += other.squaredError
        squaredReference += other.squaredReference
    }

    var rmsError: Double { count == 0 ? 0 : (squaredError / Double(count)).squareRoot() }
    /// RMS error over the RMS of the reference values.
    var relativeError: Double { squaredReference == 0 ? 0 : (squaredError / squaredReference).squareRoot() }
}
