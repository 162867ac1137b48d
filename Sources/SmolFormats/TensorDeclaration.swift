/// A tensor a writer is told about before its bytes arrive: name, shape in PyTorch order
/// (`[out, in]`) and storage type. Each writer turns it into its own header entry.
public struct TensorDeclaration: Sendable {
    public let name: String
    public let shape: [Int]
    public let type: TensorType

    public init(name: String, shape: [Int], type: TensorType) {
        self.name = name
        self.shape = shape
        self.type = type
    }
}
