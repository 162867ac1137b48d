import Testing
@testable import SmolTokenizer

/// Token-by-token decoding never shows half a character and adds up to `decode`.
@Suite struct StreamingDecoderTests {
    let tokenizer: Tokenizer
    let corpus: HFTokenizerCorpus

    init() throws {
        tokenizer = try Fixtures.hfTokenizer()
        corpus = try Fixtures.decode(HFTokenizerCorpus.self, from: "reference/tokenizer_corpus.json")
    }

    private func stream(_ ids: [Int], skipSpecial: Bool = false) -> (chunks: [String], tail: String) {
        var decoder = StreamingDecoder(tokenizer: tokenizer, skipSpecial: skipSpecial)
        let chunks = ids.map { decoder.push($0) }
        return (chunks, decoder.finish())
    }

    @Test func streamedCorpusEqualsDecodedCorpus() {
        for entry in corpus.entries {
            let (chunks, tail) = stream(entry.ids_no_special)
            #expect(chunks.joined() + tail == entry.decoded, "entry \(entry.index)")
            #expect(tail.isEmpty, "entry \(entry.index) left bytes pending")
        }
    }

    @Test func noChunkContainsAReplacementCharacter() {
        for entry in corpus.entries where !entry.text.unicodeScalars.contains("\u{FFFD}") {
            #expect(!stream(entry.ids_no_special).chunks.contains { $0.unicodeScalars.contains("\u{FFFD}") },
                    "entry \(entry.index) \(entry.text.debugDescription)")
        }
    }

    @Test func aCharacterSplitAcrossTokensAppearsWithItsLastToken() throws {
        // Some corpus token holds only part of a UTF-8 character; find one and check the hold-back.
        let entry = try #require(corpus.entries.first { entry in
            entry.ids_no_special.contains { String(validating: tokenizer.tokenBytes($0), as: UTF8.self) == nil }
        })
        let (chunks, _) = stream(entry.ids_no_special)
        #expect(chunks.contains(""))
        #expect(chunks.joined() == entry.text)
    }

    @Test func finishFlushesAnIncompleteCharacterAsReplacement() throws {
        let emoji = "😀"
        let ids = tokenizer.encode(emoji, addSpecialTokens: false)
        try #require(ids.count > 1, "the emoji should need several byte-level tokens")
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        #expect(decoder.push(ids[0]) == "")
        #expect(decoder.hasPendingBytes)
        #expect(decoder.finish() == "\u{FFFD}")
        #expect(!decoder.hasPendingBytes)
    }

    @Test func skipSpecialLeavesOutControlTokensOnly() throws {
        let text = "<|im_start|>user\n<think>Hi</think><|im_end|>"
        let (chunks, tail) = stream(tokenizer.encode(text), skipSpecial: true)
        #expect(chunks.joined() + tail == "user\n<think>Hi</think>")
    }
}
