import Foundation

/// What `Benchmark.run` measured. Throughputs are tokens per second; `…_samples` hold every
/// repetition, and the headline figure is the best one, the least disturbed by other load on a
/// shared machine.
public struct BenchmarkResult: Sendable, Codable, Equatable {
    public var model: String
    /// Storage types and their tensor counts (`Q8_0 ×253, F32 ×73`).
    public var types: String
    public var threads: Int
    public var numerics: String
    public var promptTokens: Int
    public var generatedTokens: Int
    /// Positions in the cache before the generation test (`-d`).
    public var depth: Int
    public var repetitions: Int
    public var loadSeconds: Double
    public var ppTokensPerSecond: Double?
    public var ppSamples: [Double]
    public var tgTokensPerSecond: Double?
    public var tgSamples: [Double]
    /// High-water mark of resident memory (VmHWM), including the weights once touched.
    public var peakRSSBytes: Int
    /// Bytes of all weights.
    public var weightBytes: Int
    public var parameters: Int
    /// Bytes of weights one decode step streams: every layer's matrices and the LM head.
    public var weightBytesPerToken: Int
    /// Multi-threaded read bandwidth of this machine (`--probe`), in GB/s (10⁹ bytes).
    public var readBandwidthGBs: Double?
    /// weight bytes per token × decode tokens/s ÷ read bandwidth: 1 means decode runs at the
    /// memory-bandwidth limit.
    public var bandwidthFraction: Double?

    enum CodingKeys: String, CodingKey {
        case model, types, threads, numerics, repetitions, parameters
        case promptTokens = "n_prompt", generatedTokens = "n_gen", depth = "n_depth", loadSeconds = "load_s"
        case ppTokensPerSecond = "pp_tokens_per_s", ppSamples = "pp_samples"
        case tgTokensPerSecond = "tg_tokens_per_s", tgSamples = "tg_samples"
        case peakRSSBytes = "peak_rss_bytes", weightBytes = "weight_bytes", weightBytesPerToken = "weight_bytes_per_token"
        case readBandwidthGBs = "read_bandwidth_gbs", bandwidthFraction = "bandwidth_fraction"
    }

    /// One JSON object (keys sorted), for scripts.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Every field is a finite number, string or array of them, so encoding cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// A llama-bench-style markdown table, then load time, memory and (with a probe) bandwidth.
    public var markdown: String {
        var rows = [
            "| model | size | params | backend | threads | test | t/s (best) | t/s (mean ± sd) |",
            "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
        ]
        let prefix = "| \(model) | \(Self.size(weightBytes)) | \(Self.count(parameters)) | CPU (\(numerics)) | \(threads)"
        if let best = ppTokensPerSecond {
            rows.append("\(prefix) | pp\(promptTokens) | \(Self.rate(best)) | \(Self.meanSD(ppSamples)) |")
        }
        if let best = tgTokensPerSecond {
            let test = depth > 0 ? "tg\(generatedTokens) @ d\(depth)" : "tg\(generatedTokens)"
            rows.append("\(prefix) | \(test) | \(Self.rate(best)) | \(Self.meanSD(tgSamples)) |")
        }
        var lines = rows + [""]
        lines.append("load \(String(format: "%.2f", loadSeconds)) s · peak RSS \(Self.size(peakRSSBytes)) · "
            + "\(String(format: "%.3f", Double(weightBytesPerToken) / 1e9)) GB of weights read per decoded token · \(types)")
        if let bandwidth = readBandwidthGBs {
            var line = "read bandwidth \(String(format: "%.1f", bandwidth)) GB/s → decode limit "
                + "\(String(format: "%.2f", bandwidth * 1e9 / Double(max(weightBytesPerToken, 1)))) tok/s"
            if let f = bandwidthFraction { line += "; decode runs at \(String(format: "%.0f", f * 100))% of it" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// GiB, or MiB below one GiB (as llama-bench prints sizes).
    private static func size(_ bytes: Int) -> String {
        bytes >= 1 << 30 ? String(format: "%.2f GiB", Double(bytes) / Double(1 << 30))
            : String(format: "%.2f MiB", Double(bytes) / Double(1 << 20))
    }

    /// Parameters in B or M.
    private static func count(_ n: Int) -> String {
        n >= 1_000_000_000 ? String(format: "%.2f B", Double(n) / 1e9) : String(format: "%.2f M", Double(n) / 1e6)
    }
    private static func rate(_ r: Double) -> String { String(format: "%.2f", r) }

    private static func meanSD(_ samples: [Double]) -> String {
        guard !samples.isEmpty else { return "-" }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.count > 1
            ? samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count - 1) : 0
        return "\(rate(mean)) ± \(rate(variance.squareRoot()))"
    }
}
