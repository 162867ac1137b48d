import ArgumentParser
import Foundation
import SmolCore
import SmolModel

/// `smol bench MODEL [-p 64] [-n 32] [-d 0] [-t THREADS] [--json] [--probe]`: llama-bench's pp/tg test.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure load time, prompt processing and decode tokens/s, and peak memory (like llama-bench).",
        discussion: """
            MODEL is an HF directory, a .gguf file, or a synthetic model with SmolLM3-3B's shapes and random \
            weights made in memory: synthetic:smollm3-3b:TYPE (TYPE: Q8_0, Q4_K_M, F16, BF16, F32, …) or \
            synthetic:tiny:TYPE.
            """)

    @Argument(help: "Model: directory, .gguf, or synthetic:SHAPE:TYPE.") var model: String
    @Option(name: .short, help: "Prompt tokens (one batched forward pass).") var p = 64
    @Option(name: .short, help: "Tokens to decode one at a time.") var n = 32
    @Option(name: .short, help: "Tokens already in the KV cache when decoding starts (decode at depth).") var d = 0
    @Option(name: .short, help: "Threads for the kernels and OpenBLAS (all cores unless given).") var t = Parallel.threadCount
    @Option(name: .short, help: "Timed repetitions of each test.") var r = 3
    @Option(help: "fast (llama.cpp-style quantized activations) or exact (f32 products).") var numerics: Numerics = .fast
    @Flag(help: "Print one JSON object instead of the table.") var json = false
    @Flag(help: "Also measure read bandwidth and how close decode gets to it.") var probe = false
    @Option(name: .customLong("probe-mib"), help: "Bandwidth probe buffer size in MiB.") var probeMiB = 1024

    func validate() throws {
        do {
            try settings.validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    private var settings: BenchmarkSettings {
        BenchmarkSettings(promptTokens: p, generatedTokens: n, depth: d, threads: t, repetitions: r, numerics: numerics,
                          probe: probe, probeBytes: probeMiB << 20)
    }

    func run() throws {
        let result = try Benchmark.run(model, settings: settings)
        print(json ? result.json : result.markdown)
    }
}
