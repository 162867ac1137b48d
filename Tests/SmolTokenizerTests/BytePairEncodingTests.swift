import Testing
@testable import SmolTokenizer

/// Merge order and flags on a hand-made vocabulary: the 256 byte tokens plus a few merges.
@Suite struct BytePairEncodingTests {
    /// Single-byte spellings in byte order, then `extra`.
    private func vocabulary(plus extra: [String], merges: [String], preTokenizer: String = "gpt-2") -> GGUFVocabulary {
        let bytes = (0..<256).map { String(ByteLevel.scalarForByte[$0]) }
        return GGUFVocabulary(preTokenizer: preTokenizer, tokens: bytes + extra, merges: merges)
    }

    private func spellings(_ ids: [Int], _ tokenizer: Tokenizer) -> [String] {
        ids.map { tokenizer.token($0) ?? "?" }
    }

    @Test func lowestRankMergesFirst() throws {
        let rightFirst = try Tokenizer(ggufVocabulary: vocabulary(plus: ["ab", "bc", "abc"], merges: ["b c", "a bc", "a b"]))
        let leftFirst = try Tokenizer(ggufVocabulary: vocabulary(plus: ["ab", "bc", "abc"], merges: ["a b", "b c", "a bc"]))
        #expect(spellings(rightFirst.encode("abc"), rightFirst) == ["abc"])
        #expect(spellings(leftFirst.encode("abc"), leftFirst) == ["ab", "c"])
    }

    @Test func equalRanksMergeLeftmostFirst() throws {
        let tokenizer = try Tokenizer(ggufVocabulary: vocabulary(plus: ["aa"], merges: ["a a"]))
        #expect(spellings(tokenizer.encode("aaa"), tokenizer) == ["aa", "a"])
    }

    @Test func ignoreMergesTakesWholeWordsFromTheVocabulary() throws {
        let merges = ["a b"]
        let smaug = try Tokenizer(ggufVocabulary: vocabulary(plus: ["ab", "abc"], merges: merges, preTokenizer: "smaug-bpe"))
        let llamaBPE = try Tokenizer(ggufVocabulary: vocabulary(plus: ["ab", "abc"], merges: merges, preTokenizer: "llama-bpe"))
        #expect(spellings(smaug.encode("abc", addSpecialTokens: false), smaug) == ["ab", "c"])
        #expect(spellings(llamaBPE.encode("abc", addSpecialTokens: false), llamaBPE) == ["abc"])
    }

    @Test func mergesNeverCrossWordBoundaries() throws {
        let tokenizer = try Tokenizer(ggufVocabulary: vocabulary(plus: ["aĠ"], merges: ["a Ġ"]))
        // "a a" pre-tokenizes to "a" and " a": the pair (a, space) spans the boundary and must not merge.
        #expect(spellings(tokenizer.encode("a a"), tokenizer) == ["a", "Ġ", "a"])
    }

    @Test func veryLongWordsEncodeAndRoundTrip() throws {
        let tokenizer = try Fixtures.hfTokenizer()
        let text = String(repeating: " ", count: 100_000) + "x"
        let ids = tokenizer.encode(text)
        #expect(ids.count < text.utf8.count / 2)
        #expect(tokenizer.decode(ids) == text)
    }

    @Test func repeatedWordsEncodeLikeTheirFirstOccurrence() throws {
        let tokenizer = try Fixtures.hfTokenizer()
        let word = " tokenization"
        let once = tokenizer.encode(word)
        #expect(tokenizer.encode(String(repeating: word, count: 3)) == once + once + once)
    }
}
