/// A token matched as a whole string before pre-tokenization (`<|im_start|>`, `<think>` …).
struct AddedToken: Sendable, Equatable {
    let id: Int
    let content: [UInt8]
    /// Special tokens are matched only when special tokens are parsed (HF `special`, GGUF
    /// CONTROL/UNKNOWN); the rest always are (GGUF USER_DEFINED).
    let isSpecial: Bool
    /// HF options: swallow whitespace on the left / right, match only between non-word characters.
    var stripsLeft = false
    var stripsRight = false
    var singleWord = false
}

/// One piece of text after added tokens were taken out.
enum TextFragment: Equatable {
    /// Ordinary text (byte range of the input), to be pre-tokenized and BPE-encoded.
    case text(Range<Int>)
    /// An added token.
    case token(Int)
}

/// Finds added tokens in text.
///
/// Two reference behaviours exist and differ only when matches overlap:
/// HF's added vocabulary takes the leftmost match and the longest at that position
/// (Aho-Corasick "leftmost-longest"); llama.cpp takes tokens longest first and splits the whole
/// text at every occurrence of each before trying shorter ones.
struct AddedTokenMatcher: Sendable {
    enum Strategy: Sendable {
        case leftmostLongest
        case longestFirst
    }

    private let tokens: [AddedToken]
    private let strategy: Strategy
    /// For each first byte, the tokens starting with it, longest first (ties by id).
    private let candidatesByFirstByte: [[Int]]

    init(tokens: [AddedToken], strategy: Strategy) {
        let usable = tokens.filter { !$0.content.isEmpty }
        self.tokens = usable
        self.strategy = strategy
        var table = [[Int]](repeating: [], count: 256)
        for (index, token) in usable.enumerated() {
            table[Int(token.content[0])].append(index)
        }
        for byte in 0..<256 {
            table[byte].sort { lhs, rhs in
                let (a, b) = (usable[lhs], usable[rhs])
                return a.content.count != b.content.count ? a.content.count > b.content.count : a.id < b.id
            }
        }
        candidatesByFirstByte = table
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// Splits `text` into ordinary text and added tokens.
    /// - Parameter includeSpecial: whether special tokens are recognised; when false they are
    ///   spelled out as text, while non-special added tokens are still matched.
    func fragments(of text: UnsafeBufferPointer<UInt8>, includeSpecial: Bool) -> [TextFragment] {
        let matches: [Match]
        switch strategy {
        case .leftmostLongest: matches = leftmostLongestMatches(in: text, includeSpecial: includeSpecial)
        case .longestFirst: matches = longestFirstMatches(in: text, includeSpecial: includeSpecial)
        }
        var fragments: [TextFragment] = []
        var cursor = 0
        for match in matches {
            if match.range.lowerBound > cursor { fragments.append(.text(cursor..<match.range.lowerBound)) }
            fragments.append(.token(match.id))
            cursor = match.range.upperBound
        }
        if cursor < text.count { fragments.append(.text(cursor..<text.count)) }
        return fragments
    }

    // MARK: - Matching

    private struct Match {
        var range: Range<Int>
        let id: Int
    }

    private func isCandidate(_ token: AddedToken, includeSpecial: Bool) -> Bool {
        includeSpecial || !token.isSpecial
    }

    private func occurs(_ token: AddedToken, in text: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        let content = token.content
        guard position + content.count <= text.count else { return false }
        for offset in 0..<content.count where text[position + offset] != content[offset] {
            return false
        }
        return true
    }

    private func leftmostLongestMatches(in text: UnsafeBufferPointer<UInt8>, includeSpecial: Bool) -> [Match] {
        var matches: [Match] = []
        var position = 0
        var previousEnd = 0
        scan: while position < text.count {
            for index in candidatesByFirstByte[Int(text[position])] {
                let token = tokens[index]
                guard isCandidate(token, includeSpecial: includeSpecial), occurs(token, in: text, at: position) else {
                    continue
                }
                let range = position..<(position + token.content.count)
                position = range.upperBound
                if let accepted = applyOptions(of: token, to: range, in: text, lowerLimit: previousEnd) {
                    matches.append(Match(range: accepted, id: token.id))
                    previousEnd = accepted.upperBound
                    position = accepted.upperBound
                }
                continue scan
            }
            position += 1
        }
        return matches
    }

    private func longestFirstMatches(in text: UnsafeBufferPointer<UInt8>, includeSpecial: Bool) -> [Match] {
        // Every occurrence of every candidate, then accepted in llama.cpp's order: longer tokens
        // first, each left to right, skipping text an accepted token already covers.
        var occurrences: [(tokenIndex: Int, match: Match)] = []
        for position in 0..<text.count {
            for index in candidatesByFirstByte[Int(text[position])] {
                let token = tokens[index]
                if isCandidate(token, includeSpecial: includeSpecial), occurs(token, in: text, at: position) {
                    occurrences.append((index, Match(range: position..<(position + token.content.count), id: token.id)))
                }
            }
        }
        guard !occurrences.isEmpty else { return [] }
        occurrences.sort { lhs, rhs in
            let (a, b) = (tokens[lhs.tokenIndex], tokens[rhs.tokenIndex])
            if a.content.count != b.content.count { return a.content.count > b.content.count }
            if a.id != b.id { return a.id < b.id }
            return lhs.match.range.lowerBound < rhs.match.range.lowerBound
        }
        var covered = [Bool](repeating: false, count: text.count)
        var accepted: [Match] = []
        for (_, match) in occurrences where !covered[match.range].contains(true) {
            for index in match.range { covered[index] = true }
            accepted.append(match)
        }
        return accepted.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Applies HF's `single_word`, `lstrip` and `rstrip` to a match; nil if `single_word` rejects it.
    private func applyOptions(of token: AddedToken, to range: Range<Int>, in text: UnsafeBufferPointer<UInt8>,
                              lowerLimit: Int) -> Range<Int>? {
        if token.singleWord {
            let before = UTF8Scalars.scalar(endingAt: range.lowerBound, in: text)
            let after = UTF8Scalars.scalar(startingAt: range.upperBound, in: text)
            if let before, !ScalarClass.of(before.value).isDisjoint(with: [.letter, .number]) { return nil }
            if let after, !ScalarClass.of(after.value).isDisjoint(with: [.letter, .number]) { return nil }
        }
        var lower = range.lowerBound, upper = range.upperBound
        if token.stripsLeft {
            while lower > lowerLimit, let scalar = UTF8Scalars.scalar(endingAt: lower, in: text),
                  ScalarClass.of(scalar.value).contains(.whitespace) {
                lower -= scalar.utf8.count
            }
        }
        if token.stripsRight {
            while let scalar = UTF8Scalars.scalar(startingAt: upper, in: text), ScalarClass.of(scalar.value).contains(.whitespace) {
                upper += scalar.utf8.count
            }
        }
        return lower..<upper
    }
}
