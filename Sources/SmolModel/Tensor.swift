/// A small owned f32 array with a shape: what observers receive and the REPL prints or saves.
/// Row-major, outermost dimension first.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) does not match \(data.count) values")
        self.shape = shape
        self.data = data
    }

    public init(shape: [Int], copying pointer: UnsafePointer<Float>) {
        self.shape = shape
        data = Array(UnsafeBufferPointer(start: pointer, count: shape.reduce(1, *)))
    }

    public var count: Int { data.count }

    /// Strides in elements, outermost first.
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        for i in stride(from: shape.count - 2, through: 0, by: -1) { s[i] = s[i + 1] * shape[i + 1] }
        return s
    }

    /// The sub-tensor at `index` along the first dimension.
    public subscript(index: Int) -> Tensor {
        let inner = shape.dropFirst().reduce(1, *)
        return Tensor(shape: Array(shape.dropFirst()), data: Array(data[(index * inner)..<((index + 1) * inner)]))
    }

    /// Largest absolute element-wise difference (infinite on a shape mismatch).
    public func maxAbsDifference(_ other: Tensor) -> Float {
        guard shape == other.shape else { return .infinity }
        var m: Float = 0
        for (a, b) in zip(data, other.data) { m = max(m, abs(a - b)) }
        return m
    }
}
