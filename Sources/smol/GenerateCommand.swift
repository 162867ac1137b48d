import ArgumentParser
import Foundation
import SmolCore
import SmolModel
import SmolTokenizer

/// `smol generate MODEL --ids … -n 16 --greedy --print-ids`.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt given as token ids or text; prints the generated text or ids.")

    @Argument(help: "An HF model directory or a .gguf file.") var model: String
    @Option(help: "Comma-separated prompt token ids.") var ids: String?
    @Option(help: "Prompt text (tokenized with the model's tokenizer, no chat template).") var prompt: String?
    @Option(name: .short, help: "Number of tokens to generate.") var n = 16
    @Flag(help: "Always take the most likely token (same as --temperature 0).") var greedy = false
    @Option var temperature: Float = 0.6
    @Option(name: .customLong("top-k")) var topK = 0
    @Option(name: .customLong("top-p")) var topP: Float = 0.95
    @Option(name: .customLong("repetition-penalty")) var repetitionPenalty: Float = 1
    @Option var seed: UInt64 = 0
    @Flag(name: .customLong("print-ids"), help: "Print the generated ids, space separated.") var printIDs = false
    @Flag(name: .customLong("no-stop"), help: "Keep going past end-of-sequence tokens.") var noStop = false
    @Option var numerics: Numerics?

    func validate() throws {
        guard (ids == nil) != (prompt == nil) else { throw ValidationError("give exactly one of --ids and --prompt") }
        guard n >= 0 else { throw ValidationError("-n must be at least 0") }
        guard temperature >= 0, topP > 0, topP <= 1, topK >= 0, repetitionPenalty > 0 else {
            throw ValidationError("sampling settings out of range (temperature >= 0, 0 < top-p <= 1, top-k >= 0, repetition-penalty > 0)")
        }
    }

    func run() throws {
        let (model, _) = try ModelLoader.load(path: model, numerics: numerics)
        // Text needs the tokenizer; ids alone do not (a weights-only directory still generates ids).
        let tokenizer = prompt != nil || !printIDs ? try? Tokenizer.load(source: self.model) : nil
        let promptIDs: [Int]
        if let prompt {
            guard let tokenizer else { throw ValidationError("\(self.model) has no tokenizer; use --ids") }
            promptIDs = tokenizer.encode(prompt)
        } else {
            promptIDs = try parseIDs(ids!)
        }
        let settings = SamplingSettings(temperature: greedy ? 0 : temperature, topK: topK, topP: topP,
                                        repetitionPenalty: repetitionPenalty, seed: seed)
        let generator = Generator(model: model, sampling: settings, capacity: promptIDs.count + n)
        let ends = generator.endTokens.union(tokenizer?.eosTokenIds ?? [])
        try generator.feed(promptIDs)
        var generated: [Int] = []
        var text = tokenizer.map { StreamingDecoder(tokenizer: $0) }
        for _ in 0..<n {
            let step = try generator.step()
            generated.append(step.token)
            if !printIDs, var decoder = text {
                FileHandle.standardOutput.write(Data(decoder.push(step.token).utf8))
                text = decoder
            }
            if !noStop && ends.contains(step.token) { break }
        }
        if printIDs || text == nil {
            print(generated.map(String.init).joined(separator: " "))
        } else {
            print()
        }
    }
}
