import Testing
@testable import SmolTokenizer

/// The fixture `tokenizer.json` against HF `tokenizers` on the 199-string corpus.
@Suite struct HFTokenizerCorpusTests {
    let tokenizer: Tokenizer
    let corpus: HFTokenizerCorpus

    init() throws {
        tokenizer = try Fixtures.hfTokenizer()
        corpus = try Fixtures.decode(HFTokenizerCorpus.self, from: "reference/tokenizer_corpus.json")
    }

    @Test func corpusHasEveryReferenceString() {
        #expect(corpus.entries.count == corpus.count)
    }

    @Test func everyStringEncodesToTheReferenceIds() {
        for entry in corpus.entries {
            #expect(tokenizer.encode(entry.text, addSpecialTokens: false) == entry.ids_no_special,
                    "entry \(entry.index) [\(entry.category)] \(entry.text.debugDescription)")
        }
    }

    @Test func addingSpecialTokensAddsNothingForSmolLM3() {
        for entry in corpus.entries {
            #expect(tokenizer.encode(entry.text, addSpecialTokens: true) == entry.ids_with_special,
                    "entry \(entry.index) \(entry.text.debugDescription)")
        }
    }

    @Test func tokenBytesMatchTheReference() {
        for entry in corpus.entries {
            #expect(entry.ids_no_special.map { tokenizer.tokenBytes($0).hex } == entry.token_bytes_hex,
                    "entry \(entry.index) \(entry.text.debugDescription)")
        }
    }

    @Test func decodingRoundTripsByteForByte() {
        for entry in corpus.entries {
            #expect(tokenizer.decode(entry.ids_no_special) == entry.decoded, "entry \(entry.index)")
            #expect(Array(tokenizer.decode(entry.ids_no_special).utf8) == Array(entry.text.utf8), "entry \(entry.index)")
        }
    }

    @Test func decodingWithSkipSpecialDropsOnlySpecialTokens() {
        for entry in corpus.entries {
            #expect(tokenizer.decode(entry.ids_no_special, skipSpecial: true) == entry.decoded_skip_special,
                    "entry \(entry.index) \(entry.text.debugDescription)")
        }
    }
}
