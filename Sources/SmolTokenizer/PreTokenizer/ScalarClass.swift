/// The character classes the split regexes test: `\p{L}`, `\p{N}` and `\s`.
///
/// `\p{L}` is general category L* (Lu Ll Lt Lm Lo), `\p{N}` is N* (Nd Nl No) — so `½`, `Ⅸ` and
/// superscripts are numbers while combining marks (M*) and symbols like `㎏` are neither —
/// and `\s` is the Unicode White_Space property (tab…CR, space, U+0085, NBSP, U+1680,
/// U+2000…U+200A, U+2028/9, U+202F, U+205F, U+3000). That is what Oniguruma (HF `tokenizers`)
/// and llama.cpp's tables both implement. ZWJ, BOM and other format characters are in none.
struct ScalarClass: OptionSet, Sendable {
    let rawValue: UInt8

    static let letter = ScalarClass(rawValue: 1)
    static let number = ScalarClass(rawValue: 2)
    static let whitespace = ScalarClass(rawValue: 4)
    /// Set for every real character, so "none of letter/number/whitespace" (`[^\s\p{L}\p{N}]`)
    /// can be told apart from "past the end of the text", which has no bits at all.
    static let present = ScalarClass(rawValue: 8)

    /// Classes of the 128 ASCII characters, so English text never reaches the Unicode tables.
    private static let asciiTable: [ScalarClass] = (0..<128).map { classify(Unicode.Scalar(UInt8($0))) }

    /// The classes of one scalar.
    @inline(__always)
    static func of(_ value: UInt32) -> ScalarClass {
        if value < 128 { return asciiTable[Int(value)] }
        guard let scalar = Unicode.Scalar(value) else { return .present }
        return classify(scalar)
    }

    private static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        let properties = scalar.properties
        var result: ScalarClass = .present
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            result.insert(.letter)
        case .decimalNumber, .letterNumber, .otherNumber:
            result.insert(.number)
        default:
            break
        }
        if properties.isWhitespace { result.insert(.whitespace) }
        return result
    }
}
