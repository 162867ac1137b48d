import Dispatch
import SmolCore

/// Times a model the way llama-bench does, so the two can be compared run for run:
/// - **pp** (prompt processing): one batched forward pass of `promptTokens` random tokens into an
///   empty cache, logits for the last position only;
/// - **tg** (text generation): `generatedTokens` single-token forward passes from an empty cache
///   (or one holding `depth` random tokens, filled once untimed), each computing the full LM head,
///   as a decode step does (no sampling, like llama-bench).
/// Each test runs once untimed (page faults, scratch buffers) and then `repetitions` times.
/// `smol bench` and the REPL's `bench` both go through here.
public enum Benchmark {
    /// Sets the thread count, loads `name` (a file, directory or `synthetic:…` spec) timing the
    /// load, and measures it.
    public static func run(_ name: String, settings: BenchmarkSettings) throws -> BenchmarkResult {
        try settings.validate()
        setThreads(settings.threads)
        let start = DispatchTime.now().uptimeNanoseconds
        let (model, source) = try ModelLoader.load(path: name, numerics: settings.numerics)
        let loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return try measure(model, name: name, types: source.typeSummary, loadSeconds: loadSeconds, settings: settings)
    }

    /// Thread count for the kernels and the prefill GEMMs (OpenBLAS itself stays single-threaded
    /// inside the pool's chunks).
    public static func setThreads(_ n: Int) {
        Parallel.threadCount = n
    }

    /// Measures an already loaded model (threads as currently set).
    public static func measure(_ model: Model, name: String, types: String = "", loadSeconds: Double = 0,
                               settings: BenchmarkSettings) throws -> BenchmarkResult {
        try settings.validate()
        var model = model
        model.numerics = settings.numerics
        let vocab = model.config.vocabSize
        var random = SplitMix(seed: 0xBE4C_4000)
        func tokens(_ n: Int) -> [Int] { (0..<n).map { _ in Int(random.next() % UInt64(vocab)) } }
        let cache = model.makeCache(capacity: max(settings.promptTokens, settings.depth + settings.generatedTokens, 1))

        var pp: [Double] = []
        if settings.promptTokens > 0 {
            let prompt = tokens(settings.promptTokens)
            for run in 0...settings.repetitions {
                cache.reset()
                let seconds = try time { try model.forward(prompt, cache: cache, logits: .last) }
                if run > 0 { pp.append(Double(settings.promptTokens) / seconds) }
            }
        }
        var tg: [Double] = []
        if settings.generatedTokens > 0 {
            let steps = tokens(settings.generatedTokens)
            cache.reset()
            if settings.depth > 0 { try model.forward(tokens(settings.depth), cache: cache, logits: .last) }
            try model.forward([steps[0]], cache: cache, logits: .last)  // warm-up
            for _ in 0..<settings.repetitions {
                cache.truncate(to: settings.depth)
                let seconds = try time {
                    for token in steps { try model.forward([token], cache: cache, logits: .last) }
                }
                tg.append(Double(settings.generatedTokens) / seconds)
            }
        }

        // Read before the probe, whose 1 GiB buffer is not the model's memory.
        let peakRSS = ProcessMemory.peakResidentBytes() ?? 0
        let perToken = weightBytesPerToken(model)
        var bandwidth: Double?
        var fraction: Double?
        if settings.probe {
            let gbs = BandwidthProbe.readBandwidthGBs(bytes: settings.probeBytes)
            bandwidth = gbs
            if let best = tg.max() { fraction = Double(perToken) * best / (gbs * 1e9) }
        }
        let weights = model.weights
        return BenchmarkResult(
            model: name, types: types, threads: Parallel.threadCount, numerics: settings.numerics.rawValue,
            promptTokens: settings.promptTokens, generatedTokens: settings.generatedTokens, depth: settings.depth,
            repetitions: settings.repetitions, loadSeconds: loadSeconds,
            ppTokensPerSecond: pp.max(), ppSamples: pp, tgTokensPerSecond: tg.max(), tgSamples: tg,
            peakRSSBytes: peakRSS,
            weightBytes: weights.reduce(0) { $0 + ($1.matrix?.byteCount ?? ($1.vector?.count ?? 0) * 4) },
            parameters: weights.reduce(0) { $0 + $1.shape.reduce(1, *) },
            weightBytesPerToken: perToken, readBandwidthGBs: bandwidth, bandwidthFraction: fraction)
    }

    /// Bytes one decode step must stream: every layer's seven matrices and the LM head. (The
    /// embedding lookup reads one row; norms and a short KV cache are negligible.)
    public static func weightBytesPerToken(_ model: Model) -> Int {
        var bytes = model.lmHead.byteCount
        for layer in model.layers {
            let a = layer.attention, m = layer.mlp
            bytes += a.q.byteCount + a.k.byteCount + a.v.byteCount + a.o.byteCount
            bytes += m.gate.byteCount + m.up.byteCount + m.down.byteCount
        }
        return bytes
    }

    private static func time(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// SplitMix64: a tiny deterministic generator for benchmark token ids.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return RandomWeights.mix(state)
    }
}
