/// One splitting pass of a pre-tokenizer. Passes run in sequence; each later pass splits the words
/// of the one before independently (a word boundary is never crossed again).
enum PreTokenizerStage: Sendable, Equatable {
    /// The Llama-3 split regex (SmolLM3, Llama 3.x): see ``SplitScanners/llama3(_:foldsLongS:into:)``.
    case llama3(foldsLongS: Bool)
    /// GPT-2's split regex, also what a `ByteLevel` pre-tokenizer with `use_regex` applies.
    case gpt2
    /// Every number character on its own (`\p{N}`; HF `Digits(individual_digits=true)`).
    case isolatedNumbers
    /// Runs of number characters (HF `Digits(individual_digits=false)`).
    case numberRuns
}

/// Splits text into the words BPE merges within. Merges never cross a word boundary, so these
/// splits decide, for example, that numbers are tokenized in groups of at most three digits.
struct PreTokenizer: Sendable, Equatable {
    let stages: [PreTokenizerStage]

    /// The Llama-3 regex as HF `tokenizers` applies it (Oniguruma case folding).
    static let llama3 = PreTokenizer(stages: [.llama3(foldsLongS: true)])

    /// The Llama-3 regex as llama.cpp applies it (ASCII case folding).
    static let llama3LlamaCpp = PreTokenizer(stages: [.llama3(foldsLongS: false)])

    /// GPT-2's regex.
    static let gpt2 = PreTokenizer(stages: [.gpt2])

    /// SmolLM / SmolLM2: each number character alone, then GPT-2's regex.
    static let smolLM = PreTokenizer(stages: [.isolatedNumbers, .gpt2])

    /// Appends the end index (in scalars) of every word of `text` to `ends`.
    func split(_ text: ScalarText, into ends: inout [Int]) {
        ends.removeAll(keepingCapacity: true)
        guard text.count > 0 else { return }
        guard !stages.isEmpty else {
            ends.append(text.count)
            return
        }
        text.withSpan(0..<text.count) { span in
            Self.apply(stages[...], to: span, into: &ends)
        }
    }

    private static func apply(_ stages: ArraySlice<PreTokenizerStage>, to span: ScalarSpan, into ends: inout [Int]) {
        guard let stage = stages.first else {
            ends.append(span.bounds.upperBound)
            return
        }
        let rest = stages.dropFirst()
        if rest.isEmpty {
            run(stage, on: span, into: &ends)
            return
        }
        var stageEnds: [Int] = []
        run(stage, on: span, into: &stageEnds)
        var start = span.bounds.lowerBound
        for end in stageEnds {
            apply(rest, to: ScalarSpan(scalars: span.scalars, classes: span.classes, bounds: start..<end), into: &ends)
            start = end
        }
    }

    private static func run(_ stage: PreTokenizerStage, on span: ScalarSpan, into ends: inout [Int]) {
        switch stage {
        case .llama3(let foldsLongS): SplitScanners.llama3(span, foldsLongS: foldsLongS, into: &ends)
        case .gpt2: SplitScanners.gpt2(span, into: &ends)
        case .isolatedNumbers: SplitScanners.isolatedNumbers(span, into: &ends)
        case .numberRuns: SplitScanners.numberRuns(span, into: &ends)
        }
    }
}
