import SmolCore
import SmolModel

/// Reads a stored weight as f32 a row at a time, so statistics and slices of a 128k × 2048
/// embedding never need the whole matrix widened in memory.
struct WeightReader {
    let weight: NamedWeight

    /// Rows and columns (a vector is one row).
    var rows: Int { weight.matrix?.rows ?? 1 }
    var cols: Int { weight.matrix?.cols ?? weight.vector?.count ?? 0 }
    var shape: [Int] { weight.shape }

    func row(_ r: Int) -> [Float] {
        if let m = weight.matrix { return m.row(r) }
        return weight.vector ?? []
    }

    func forEachRow(_ body: (UnsafeBufferPointer<Float>) -> Void) {
        if let m = weight.matrix {
            var buffer = [Float](repeating: 0, count: m.cols)
            for r in 0..<m.rows {
                buffer.withUnsafeMutableBufferPointer { b in
                    m.dequantizeRow(r, into: b.baseAddress!)
                    body(UnsafeBufferPointer(b))
                }
            }
        } else if let v = weight.vector {
            v.withUnsafeBufferPointer(body)
        }
    }

    /// Values at flat offsets, fetching each needed row once (offsets should come row by row).
    final class Cursor {
        let reader: WeightReader
        private var cachedRow = -1
        private var cache: [Float] = []
        init(_ reader: WeightReader) { self.reader = reader }

        func value(at offset: Int) -> Float {
            let cols = max(reader.cols, 1)
            let r = offset / cols
            if r != cachedRow {
                cache = reader.row(r)
                cachedRow = r
            }
            return cache[offset % cols]
        }
    }

    /// How the type stores values, e.g. `Q4_K (4.5 bits/weight)`.
    var typeDescription: String {
        let t = weight.type
        let bits = Double(t.bytesPerBlock * 8) / Double(t.blockSize)
        return "\(t) (\(Format.short(bits)) bits/weight" + (t.isQuantized ? ", blocks of \(t.blockSize))" : ")")
    }

    var byteCount: Int { weight.type.byteCount(elements: weight.shape.reduce(1, *)) ?? 0 }
}
