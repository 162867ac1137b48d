/// Why a forward pass could not run on the given input.
public enum InferenceError: Error, CustomStringConvertible, Equatable {
    case tokenOutOfRange(id: Int, vocabSize: Int)
    case contextFull(needed: Int, capacity: Int)
    case emptyInput

    public var description: String {
        switch self {
        case .tokenOutOfRange(let id, let v): "token id \(id) is outside the vocabulary (0..<\(v))"
        case .contextFull(let n, let c): "the sequence would need \(n) positions but the KV cache holds \(c); rewind or reset"
        case .emptyInput: "no tokens to run"
        }
    }
}
