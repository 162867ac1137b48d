import Testing
@testable import SmolTokenizer

/// The hand-written split scanners against what the regexes they replace match.
@Suite struct PreTokenizerTests {
    private func words(_ text: String, _ preTokenizer: PreTokenizer) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var scalars = ScalarText()
            scalars.load(bytes)
            var ends: [Int] = []
            preTokenizer.split(scalars, into: &ends)
            var start = 0
            return ends.map { end in
                defer { start = end }
                let range = scalars.byteOffsets[start]..<scalars.byteOffsets[end]
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
        }
    }

    // MARK: - Llama 3

    @Test func llama3GroupsDigitsInThrees() {
        #expect(words("1234567", .llama3) == ["123", "456", "7"])
    }

    @Test func llama3ContractionsIgnoreCase() {
        #expect(words("I'LL don't", .llama3) == ["I", "'LL", " don", "'t"])
    }

    @Test func llama3LeavesTheLastSpaceOfARunToTheNextWord() {
        #expect(words("a   b", .llama3) == ["a", "  ", " b"])
    }

    @Test func llama3KeepsLineBreakRunsTogether() {
        #expect(words("a\n\n  b", .llama3) == ["a", "\n\n", " ", " b"])
    }

    @Test func llama3AttachesPunctuationToFollowingLineBreaks() {
        #expect(words("end.\n\nNext", .llama3) == ["end", ".\n\n", "Next"])
    }

    @Test func llama3TreatsNoBreakSpaceAsAWordPrefix() {
        #expect(words("a\u{00A0}b", .llama3) == ["a", "\u{00A0}b"])
    }

    @Test func llama3DoesNotCountCombiningMarksAsLetters() {
        #expect(words("e\u{0301}te", .llama3) == ["e", "\u{0301}te"])
    }

    @Test func longSFoldsToSOnlyUnderOnigurumaCaseFolding() {
        #expect(words("'ſx", .llama3) == ["'ſ", "x"])
        #expect(words("'ſx", .llama3LlamaCpp) == ["'ſx"])
    }

    // MARK: - GPT-2 and SmolLM

    @Test func gpt2ContractionsAreCaseSensitive() {
        #expect(words("I'LL it's", .gpt2) == ["I", "'", "LL", " it", "'s"])
    }

    @Test func gpt2KeepsDigitRunsWhole() {
        #expect(words("in 2024", .gpt2) == ["in", " 2024"])
    }

    @Test func smolLMIsolatesEveryNumberCharacter() {
        #expect(words("in 2024", .smolLM) == ["in", " ", "2", "0", "2", "4"])
    }

    @Test func vulgarFractionsAndRomanNumeralsAreNumbers() {
        #expect(words("½Ⅸ", .smolLM) == ["½", "Ⅸ"])
    }

    @Test func symbolsLikeSquareKilogramAreNeitherLettersNorNumbers() {
        #expect(words("5㎏", .smolLM) == ["5", "㎏"])
    }
}
