import SmolCore

/// What `Benchmark.run` measures, mirroring llama-bench's `-p`, `-n`, `-d`, `-t` and `-r`.
public struct BenchmarkSettings: Sendable, Equatable {
    /// Tokens in the prompt-processing test (one batched forward pass); 0 skips it.
    public var promptTokens = 64
    /// Single-token decode steps in the generation test; 0 skips it.
    public var generatedTokens = 32
    /// Positions already in the KV cache when the generation test starts (llama-bench's `-d`):
    /// decode at a long context reads the cache as well as the weights.
    public var depth = 0
    /// Worker threads for the kernels and OpenBLAS.
    public var threads: Int
    /// Timed runs of each test; the best and the mean ± standard deviation are reported.
    public var repetitions = 3
    public var numerics: Numerics = .fast
    /// Also measure the machine's read bandwidth, to say how close decode gets to it.
    public var probe = false
    /// Size of the bandwidth probe's buffer: far larger than the last-level cache.
    public var probeBytes = 1 << 30

    public init(promptTokens: Int = 64, generatedTokens: Int = 32, depth: Int = 0, threads: Int = Parallel.threadCount,
                repetitions: Int = 3, numerics: Numerics = .fast, probe: Bool = false, probeBytes: Int = 1 << 30) {
        self.promptTokens = promptTokens
        self.generatedTokens = generatedTokens
        self.depth = depth
        self.threads = threads
        self.repetitions = repetitions
        self.numerics = numerics
        self.probe = probe
        self.probeBytes = probeBytes
    }

    /// Checks the numbers are usable; the message names the offending option.
    public func validate() throws(BenchmarkError) {
        guard promptTokens >= 0, generatedTokens >= 0, promptTokens + generatedTokens > 0 else {
            throw .invalidSetting("-p and -n must be at least 0, and not both 0")
        }
        guard depth >= 0 else { throw .invalidSetting("-d must be at least 0 (got \(depth))") }
        guard threads >= 1, threads <= 1024 else { throw .invalidSetting("-t must be between 1 and 1024 (got \(threads))") }
        guard repetitions >= 1 else { throw .invalidSetting("-r must be at least 1 (got \(repetitions))") }
        guard probeBytes >= 1 << 20 else { throw .invalidSetting("the bandwidth probe needs at least 1 MiB") }
    }
}

/// Why a benchmark could not run.
public enum BenchmarkError: Error, Equatable, CustomStringConvertible {
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .invalidSetting(let s): s
        }
    }
}
