/// The result of ``Tokenizer/benchmarkThroughput(text:minimumSeconds:)``.
public struct TokenizerThroughput: Sendable, CustomStringConvertible {
    /// UTF-8 bytes of input encoded per second.
    public let bytesPerSecond: Double
    public let tokensPerSecond: Double
    /// Tokens per encoding of the text, to check the run did real work.
    public let tokenCount: Int
    public let runs: Int

    public var megabytesPerSecond: Double { bytesPerSecond / 1_000_000 }

    public var description: String {
        let mb = (megabytesPerSecond * 100).rounded() / 100
        let tokens = (tokensPerSecond / 1000).rounded()
        return "\(mb) MB/s, \(Int(tokens))k tokens/s (\(tokenCount) tokens × \(runs) runs)"
    }
}

extension Tokenizer {
    /// Encodes `text` repeatedly on the calling thread for at least `minimumSeconds` and reports
    /// the rate (`smol tokenize SOURCE --file F --bench`). Measure a release build: debug builds are ~20× slower.
    public func benchmarkThroughput(text: String, minimumSeconds: Double = 1) -> TokenizerThroughput {
        let clock = ContinuousClock()
        var runs = 0
        var tokenCount = 0
        let start = clock.now
        var elapsed = Duration.zero
        repeat {
            tokenCount = encode(text, addSpecialTokens: false).count
            runs += 1
            elapsed = clock.now - start
        } while elapsed < .seconds(minimumSeconds)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return TokenizerThroughput(
            bytesPerSecond: Double(text.utf8.count * runs) / seconds,
            tokensPerSecond: Double(tokenCount * runs) / seconds,
            tokenCount: tokenCount, runs: runs)
    }
}
