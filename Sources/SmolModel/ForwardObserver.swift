/// What an observer wants captured. The forward pass skips the copying (and, for attention, the
/// storing of probabilities) that nobody asked for, so an idle REPL costs nothing.
public struct Observation: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The residual stream: embeddings, each layer's output, the final norm.
    public static let hidden = Observation(rawValue: 1)
    /// Softmax attention probabilities of every layer.
    public static let attention = Observation(rawValue: 2)
    /// Queries (after RoPE on RoPE layers) of every layer.
    public static let queries = Observation(rawValue: 4)
    public static let all: Observation = [.hidden, .attention, .queries]
}

/// One thing the forward pass saw. `positions` are the absolute positions of the rows.
public enum ForwardEvent: Sendable {
    /// Token embeddings `[T, hidden]`.
    case embeddings(positions: Range<Int>, hidden: Tensor)
    /// Output of decoder layer `layer` (residual stream after it) `[T, hidden]`.
    case layerOutput(layer: Int, positions: Range<Int>, hidden: Tensor)
    /// Attention probabilities `[head, T, keys]`, keys = every cached position; masked entries 0.
    case attention(layer: Int, positions: Range<Int>, probabilities: Tensor)
    /// Queries `[head, T, headDim]`, after RoPE on RoPE layers.
    case queries(layer: Int, positions: Range<Int>, queries: Tensor)
    /// The residual stream after the final RMSNorm (the LM head's input) `[T, hidden]`.
    case finalNorm(positions: Range<Int>, hidden: Tensor)
}

/// Attached to a forward pass to look inside it. The pass never prints or formats; it reports.
public protocol ForwardObserver: AnyObject {
    var wants: Observation { get }
    func observe(_ event: ForwardEvent)
}
