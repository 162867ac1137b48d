import ArgumentParser
import Foundation
import SmolCore
import SmolFormats
import SmolModel

/// `smol logits MODEL --ids … --out F.npy`: logits at every position, for comparison with a reference.
struct LogitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Write f32 logits [tokens, vocab] for every position to a .npy file.")

    @Argument(help: "An HF model directory or a .gguf file.") var model: String
    @Option(help: "Comma-separated input token ids.") var ids: String
    @Option(help: "Output .npy path.") var out: String
    @Option(help: "exact (f32 products) or fast (llama.cpp-style quantized activations).") var numerics: Numerics?

    func run() throws {
        let tokens = try parseIDs(ids)
        let (model, _) = try ModelLoader.load(path: model, numerics: numerics)
        let logits = try model.forward(tokens, cache: model.makeCache(capacity: tokens.count), logits: .all)
        try NPY.write(Tensor(shape: [tokens.count, model.config.vocabSize], data: logits), to: out)
    }
}
