/// A tensor's bytes inside a mapped file, with its shape in PyTorch order (outermost first:
/// a weight matrix is `[out, in]`, rows contiguous). GGUF's `ne` order is reversed on load.
public struct TensorData: @unchecked Sendable {
    public let name: String
    public let type: TensorType
    public let shape: [Int]
    public let bytes: UnsafeRawBufferPointer
    /// Byte offset of the data inside its file, for messages.
    public let fileOffset: Int
    /// Keeps the mapping alive as long as the tensor is in use.
    public let file: MappedFile

    public var elementCount: Int { shape.reduce(1, *) }
}
