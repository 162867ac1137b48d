import SmolFormats

extension NPY {
    public static func write(_ tensor: Tensor, to path: String) throws {
        try write(shape: tensor.shape, values: tensor.data, to: path)
    }
}
