/// Hand-written equivalents of the pre-tokenizer split regexes.
///
/// Each scanner walks a ``ScalarSpan`` left to right and reports the end of every match; text
/// between matches cannot occur because every pattern ends in a catch-all. They follow the
/// alternation order of the regex exactly (first alternative that matches wins, each greedy),
/// which is also how llama.cpp's custom splitters are written, so both references agree with
/// them. Swift `Regex` would be correct too, but is two orders of magnitude slower.
enum SplitScanners {
    private static let apostrophe = ascii("'")
    private static let space = ascii(" ")
    private static let carriageReturn = ascii("\r")
    private static let lineFeed = ascii("\n")
    private static let latinSmallLongS: UInt32 = 0x017F
    // The letters of the contractions.
    private static let d = ascii("d"), e = ascii("e"), l = ascii("l"), m = ascii("m")
    private static let r = ascii("r"), s = ascii("s"), t = ascii("t"), v = ascii("v")
    private static let notPunctuation: ScalarClass = [.whitespace, .letter, .number]

    // MARK: - Llama 3

    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    ///
    /// - Parameter foldsLongS: Oniguruma's case-insensitive match folds `ſ` (U+017F) to `s`, so HF
    ///   splits `'ſ` as a contraction; llama.cpp lower-cases ASCII only and does not.
    static func llama3(_ text: ScalarSpan, foldsLongS: Bool, into ends: inout [Int]) {
        var position = text.bounds.lowerBound
        let end = text.bounds.upperBound
        while position < end {
            let scalar = text.scalar(position)
            let classes = text.classes(position)

            // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            if scalar == apostrophe, position + 1 < end {
                let next = lowercased(text.scalar(position + 1), foldsLongS: foldsLongS)
                if next == s || next == t || next == m || next == d {
                    position += 2
                    ends.append(position)
                    continue
                }
                if position + 2 < end {
                    let nextNext = lowercased(text.scalar(position + 2), foldsLongS: false)
                    if (next == r && nextNext == e) || (next == v && nextNext == e) || (next == l && nextNext == l) {
                        position += 3
                        ends.append(position)
                        continue
                    }
                }
            }

            // [^\r\n\p{L}\p{N}]?\p{L}+
            if !(scalar == carriageReturn || scalar == lineFeed || classes.contains(.number)),
               classes.contains(.letter) || text.classes(position + 1).contains(.letter) {
                position += 1
                while text.classes(position).contains(.letter) { position += 1 }
                ends.append(position)
                continue
            }

            // \p{N}{1,3}
            if classes.contains(.number) {
                var runStart = position
                while text.classes(position).contains(.number) {
                    position += 1
                    if position - runStart >= 3 {
                        ends.append(position)
                        runStart = position
                    }
                }
                if position > runStart { ends.append(position) }
                continue
            }

            // ' '?[^\s\p{L}\p{N}]+[\r\n]*
            var following = scalar == space ? text.classes(position + 1) : classes
            if following.isDisjoint(with: notPunctuation), !classes.isEmpty {
                if scalar == space { position += 1 }
                while following.isDisjoint(with: notPunctuation), !following.isEmpty {
                    position += 1
                    following = text.classes(position)
                }
                while text.scalar(position) == carriageReturn || text.scalar(position) == lineFeed {
                    position += 1
                }
                ends.append(position)
                continue
            }

            // \s*[\r\n]+ | \s+(?!\S) | \s+
            var whitespaceCount = 0
            var endOfLastLineBreak: Int?
            while text.classes(position + whitespaceCount).contains(.whitespace) {
                let candidate = text.scalar(position + whitespaceCount)
                if candidate == carriageReturn || candidate == lineFeed {
                    endOfLastLineBreak = position + whitespaceCount + 1
                }
                whitespaceCount += 1
            }
            position = whitespaceEnd(text, at: position, count: whitespaceCount, lineBreakEnd: endOfLastLineBreak)
            ends.append(position)
        }
    }

    // MARK: - GPT-2

    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` (case-sensitive).
    static func gpt2(_ text: ScalarSpan, into ends: inout [Int]) {
        var position = text.bounds.lowerBound
        let end = text.bounds.upperBound
        while position < end {
            let scalar = text.scalar(position)

            // 's|'t|'re|'ve|'m|'ll|'d
            if scalar == apostrophe, position + 1 < end {
                let next = text.scalar(position + 1)
                if next == s || next == t || next == m || next == d {
                    position += 2
                    ends.append(position)
                    continue
                }
                if position + 2 < end {
                    let nextNext = text.scalar(position + 2)
                    if (next == r && nextNext == e) || (next == v && nextNext == e) || (next == l && nextNext == l) {
                        position += 3
                        ends.append(position)
                        continue
                    }
                }
            }

            // ' '?\p{L}+ | ' '?\p{N}+ | ' '?[^\s\p{L}\p{N}]+
            let classes = scalar == space ? text.classes(position + 1) : text.classes(position)
            if let run = RunKind(classes) {
                if scalar == space { position += 1 }
                while run.continues(with: text.classes(position)) { position += 1 }
                ends.append(position)
                continue
            }

            // \s+(?!\S) | \s+
            var whitespaceCount = 0
            while text.classes(position + whitespaceCount).contains(.whitespace) { whitespaceCount += 1 }
            position = whitespaceEnd(text, at: position, count: whitespaceCount, lineBreakEnd: nil)
            ends.append(position)
        }
    }

    // MARK: - Numbers

    /// `\p{N}` applied as an isolating split: every number character becomes a word of its own
    /// and the text between them is passed on unchanged (SmolLM's first stage; HF `Digits` with
    /// `individual_digits`).
    static func isolatedNumbers(_ text: ScalarSpan, into ends: inout [Int]) {
        var position = text.bounds.lowerBound
        while position < text.bounds.upperBound {
            if text.classes(position).contains(.number) {
                position += 1
            } else {
                while position < text.bounds.upperBound, !text.classes(position).contains(.number) {
                    position += 1
                }
            }
            ends.append(position)
        }
    }

    /// `\p{N}+` applied as an isolating split: runs of number characters become words (HF `Digits`
    /// without `individual_digits`).
    static func numberRuns(_ text: ScalarSpan, into ends: inout [Int]) {
        var position = text.bounds.lowerBound
        while position < text.bounds.upperBound {
            let isNumber = text.classes(position).contains(.number)
            while position < text.bounds.upperBound, text.classes(position).contains(.number) == isNumber {
                position += 1
            }
            ends.append(position)
        }
    }

    // MARK: - Shared pieces

    /// Where the whitespace alternatives end for a run of `count` whitespace characters:
    /// `\s*[\r\n]+` through the last line break if there is one (Llama 3 only), else
    /// `\s+(?!\S)` leaves the last character for the next word when more text follows, else `\s+`;
    /// a character no alternative matches forms a word by itself.
    private static func whitespaceEnd(_ text: ScalarSpan, at position: Int, count: Int, lineBreakEnd: Int?) -> Int {
        if let lineBreakEnd { return lineBreakEnd }
        if count > 1, text.scalar(position + count) != ScalarSpan.outOfRange { return position + count - 1 }
        if count > 0 { return position + count }
        return position + 1
    }

    /// GPT-2's three "run of one class" alternatives, chosen by the first character after the
    /// optional space.
    private enum RunKind {
        case letters, numbers, punctuation

        init?(_ classes: ScalarClass) {
            if classes.contains(.letter) {
                self = .letters
            } else if classes.contains(.number) {
                self = .numbers
            } else if classes.isDisjoint(with: notPunctuation), !classes.isEmpty {
                self = .punctuation
            } else {
                return nil
            }
        }

        @inline(__always)
        func continues(with classes: ScalarClass) -> Bool {
            switch self {
            case .letters: classes.contains(.letter)
            case .numbers: classes.contains(.number)
            case .punctuation: classes.isDisjoint(with: notPunctuation) && !classes.isEmpty
            }
        }
    }

    private static func ascii(_ character: Unicode.Scalar) -> UInt32 { character.value }

    private static func lowercased(_ value: UInt32, foldsLongS: Bool) -> UInt32 {
        if value >= 0x41, value <= 0x5A { return value + 0x20 }
        if foldsLongS, value == latinSmallLongS { return s }
        return value
    }
}
