import ArgumentParser
import Foundation
import SmolModel

/// `smol export-synthetic synthetic:smollm3-3b:Q8_0 OUT.gguf`: the synthetic model as a GGUF that
/// llama.cpp loads, so both engines can be benchmarked on the same bytes.
struct ExportSyntheticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-synthetic",
        abstract: "Write a synthetic model (random weights, real shapes) as a GGUF file llama.cpp can load.")

    @Argument(help: "synthetic:SHAPE:TYPE, e.g. synthetic:smollm3-3b:Q4_K_M (the prefix may be omitted).") var spec: String
    @Argument(help: "Output .gguf path.") var out: String
    @Flag(help: "No progress bar.") var quiet = false

    func run() throws {
        let parsed = try SyntheticSpec(parsing: spec)
        let bar = ProgressBar(label: URL(fileURLWithPath: out).lastPathComponent)
        try SyntheticGGUF.write(parsed, to: out, progress: quiet ? nil : { bar.update(Int64($0), Int64($1)) })
    }
}
