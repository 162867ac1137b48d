import SmolModel
import SmolTokenizer

/// A model in the session: the weights, where they came from, the tokenizer, and its own
/// sequence (a ``Generator`` with the session's ``Recorder`` attached). Several can be loaded at
/// once (`load … as NAME`, `use NAME`); each keeps its sequence while another is current.
public final class LoadedModel {
    public let name: String
    /// How the user named the source: `tiny`, `smollm2` or the path as typed.
    public let origin: String
    /// A one-line description of what was loaded (shown by `load` and `info`).
    public let summary: String
    public let source: ModelSource
    public let tokenizer: Tokenizer?
    public let generator: Generator
    let recorder: Recorder
    /// The chat so far when the sequence was built with `chat`.
    var conversation: Conversation?

    init(name: String, origin: String, summary: String, model: Model, source: ModelSource, tokenizer: Tokenizer?,
         settings: SessionSettings) {
        self.name = name
        self.origin = origin
        self.summary = summary
        self.source = source
        self.tokenizer = tokenizer
        generator = Generator(model: model, sampling: settings.sampling)
        generator.topCount = settings.topCount
        recorder = Recorder(config: model.config, wants: settings.recording.observation, limit: settings.recordLimit)
        generator.observer = recorder
    }

    public var model: Model { generator.model }
    public var config: ModelConfig { generator.model.config }
    public var tokens: [Int] { generator.tokens }

    /// Replaces the model (a flipped RoPE layer, other numerics); the sequence is kept.
    func update(_ model: Model) { generator.update(model: model) }

    /// Layers whose position encoding differs from what the file says.
    public var flippedLayers: [Int] {
        model.layers.indices.filter { model.layers[$0].attention.positionEncoding.usesRoPE != config.layerUsesRoPE[$0] }
    }

    /// Total parameter count of the stored tensors.
    public var parameterCount: Int { model.weights.reduce(0) { $0 + $1.shape.reduce(1, *) } }

    // MARK: - Token display

    /// Token `id` for display: its quoted piece, or `#id` without a tokenizer.
    public func piece(_ id: Int) -> String {
        guard let tokenizer, id >= 0, id < tokenizer.vocabularySize else { return "#\(id)" }
        return "'" + tokenizer.piece(id) + "'"
    }

    /// `position 'piece'` labels for positions of the sequence; `digits` right-aligns the position.
    func label(position p: Int, digits: Int = 0) -> String {
        let number = String(p)
        let padded = String(repeating: " ", count: max(0, digits - number.count)) + number
        return p < tokens.count ? "\(padded) \(piece(tokens[p]))" : padded
    }

    /// Digits of the largest position, for aligned labels.
    var positionDigits: Int { String(max(tokens.count - 1, 0)).count }
}

/// The messages of a chat built with `chat`, so the next `chat` adds a turn.
struct Conversation {
    var system: String?
    var thinking: Bool
    var messages: [(role: String, content: String)]
    /// Sequence length right after the last rendered prompt (the reply starts there).
    var promptLength: Int
}
