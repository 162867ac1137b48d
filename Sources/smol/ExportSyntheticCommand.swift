import ArgumentParser
import Foundation
import SmolModel

/// `smol export-synthetic synthetic:smollm3-3b:Q8_0 OUT.gguf` or `… :BF16 OUT_DIR`: the synthetic
/// model as a GGUF that llama.cpp loads, or as an HF checkpoint directory that transformers loads,
/// so SmolScope and either engine can be benchmarked on the same bytes.
struct ExportSyntheticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-synthetic",
        abstract: "Write a synthetic model (random weights, real shapes) as a GGUF file or an HF safetensors directory.",
        discussion: """
            OUT ending in .gguf writes a GGUF file llama.cpp can load (any TYPE). Any other OUT is a directory \
            (created if needed) that gets config.json and model.safetensors, loadable by transformers' \
            AutoModelForCausalLM and by SmolScope (TYPE F32, F16 or BF16).
            """)

    @Argument(help: "synthetic:SHAPE:TYPE, e.g. synthetic:smollm3-3b:Q4_K_M (the prefix may be omitted).") var spec: String
    @Argument(help: "Output: a .gguf path, or any other path for an HF directory.") var out: String
    @Flag(help: "No progress bar.") var quiet = false

    /// The one rule that picks the format: the `.gguf` extension (any case) means a GGUF file.
    static func writesGGUF(_ out: String) -> Bool { out.lowercased().hasSuffix(".gguf") }

    func run() throws {
        let parsed = try SyntheticSpec(parsing: spec)
        let bar = ProgressBar(label: URL(fileURLWithPath: out).lastPathComponent)
        let progress: ((Int, Int) -> Void)? = quiet ? nil : { bar.update(Int64($0), Int64($1)) }
        if Self.writesGGUF(out) {
            try SyntheticGGUF.write(parsed, to: out, progress: progress)
        } else {
            try SyntheticSafetensors.write(parsed, toDirectory: out, progress: progress)
        }
    }
}
