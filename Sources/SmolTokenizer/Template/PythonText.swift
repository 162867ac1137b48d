/// Python's text conventions, which leak into prompts: templates print tool descriptions with
/// `str(dict)` (single-quoted reprs) and `tojson` (Python's `json.dumps` spacing), and strip with
/// `str.strip()`'s idea of whitespace.
enum PythonText {
    /// `str.isspace()`: White_Space plus the four ASCII information separators (U+001C…U+001F),
    /// which Python also counts.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    /// `repr(str)`: single quotes unless the text contains `'` and no `"`; backslash escapes for
    /// the quote, backslash, `\n` `\r` `\t`, other non-printable characters as `\xNN`, `\uNNNN`.
    static func repr(_ text: String) -> String {
        let quote: Unicode.Scalar = text.unicodeScalars.contains("'") && !text.unicodeScalars.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case quote, "\\": result += "\\" + String(scalar)
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if isPrintable(scalar) {
                    result.unicodeScalars.append(scalar)
                } else if scalar.value < 0x100 {
                    result += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x10000 {
                    result += "\\u" + hex(scalar.value, width: 4)
                } else {
                    result += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        result.unicodeScalars.append(quote)
        return result
    }

    /// `str.isprintable()` for one character: not a control, format, surrogate, private-use,
    /// unassigned or separator character other than the ASCII space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    /// `repr(float)`: shortest round-trip digits, always with a `.0` or an exponent, exponent form
    /// from 1e16 up and below 1e-4.
    static func float(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let magnitude = abs(value)
        if magnitude != 0, magnitude >= 1e16 || magnitude < 1e-4 {
            // Swift and Python agree here ("1e-05", "1.5e+16") apart from Swift's exponent forms.
            return "\(value)"
        }
        if value == value.rounded(.towardZero) {
            return (value.sign == .minus ? "-" : "") + String(Int(magnitude)) + ".0"
        }
        return "\(value)"
    }

    // MARK: - Code-point string operations
    //
    // Python compares strings code point by code point; Swift's `String` operations compare
    // grapheme clusters under canonical equivalence, so `"e\u{301}" in "é"` would differ.

    /// Scalar offset of the first occurrence of `needle` in `haystack` at or after `start`.
    static func firstOccurrence(of needle: String, in haystack: String, from start: Int = 0) -> Int? {
        firstOccurrence(of: Array(needle.unicodeScalars), in: Array(haystack.unicodeScalars), from: start)
    }

    static func firstOccurrence(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from start: Int = 0) -> Int? {
        guard !needle.isEmpty else { return min(start, haystack.count) }
        guard haystack.count >= needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// `str.replace(old, new, count)`.
    static func replace(_ old: String, with new: String, in text: String, count limit: Int = -1) -> String {
        let scalars = Array(text.unicodeScalars), target = Array(old.unicodeScalars), replacement = Array(new.unicodeScalars)
        var result: [Unicode.Scalar] = []
        var index = 0, replaced = 0
        if target.isEmpty {
            // Python inserts the replacement before every character and at the end.
            for scalar in scalars {
                if limit < 0 || replaced < limit { result += replacement; replaced += 1 }
                result.append(scalar)
            }
            if limit < 0 || replaced < limit { result += replacement }
            return String(String.UnicodeScalarView(result))
        }
        while limit < 0 || replaced < limit, let found = firstOccurrence(of: target, in: scalars, from: index) {
            result += scalars[index..<found]
            result += replacement
            index = found + target.count
            replaced += 1
        }
        result += scalars[index...]
        return String(String.UnicodeScalarView(result))
    }

    /// `str.split(separator)`; with no separator, splits on whitespace runs and drops empty parts.
    static func split(_ text: String, separator: String?, maxSplits: Int = -1) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var parts: [String] = []
        func part(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        guard let separator else {
            var index = 0
            while index < scalars.count {
                while index < scalars.count, isWhitespace(scalars[index]) { index += 1 }
                guard index < scalars.count else { break }
                if maxSplits >= 0, parts.count == maxSplits {
                    parts.append(part(index..<scalars.count))  // Python keeps the remainder's trailing space
                    break
                }
                let start = index
                while index < scalars.count, !isWhitespace(scalars[index]) { index += 1 }
                parts.append(part(start..<index))
            }
            return parts
        }
        let target = Array(separator.unicodeScalars)
        var index = 0
        while maxSplits < 0 || parts.count < maxSplits, let found = firstOccurrence(of: target, in: scalars, from: index) {
            parts.append(part(index..<found))
            index = found + target.count
        }
        parts.append(part(index..<scalars.count))
        return parts
    }

    /// `str.strip(chars)` / `lstrip` / `rstrip`: `chars` nil means whitespace.
    static func strip(_ text: String, characters: String?, leading: Bool, trailing: Bool) -> String {
        let set = characters.map { Set($0.unicodeScalars) }
        func strips(_ scalar: Unicode.Scalar) -> Bool { set?.contains(scalar) ?? isWhitespace(scalar) }
        var scalars = Substring(text).unicodeScalars
        if leading { while let first = scalars.first, strips(first) { scalars.removeFirst() } }
        if trailing { while let last = scalars.last, strips(last) { scalars.removeLast() } }
        return String(scalars)
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.unicodeScalars.starts(with: prefix.unicodeScalars)
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed())
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Python's `json.dumps` as transformers' `tojson` filter calls it
/// (`ensure_ascii=False`, optional `indent`, `separators`, `sort_keys`).
struct PythonJSONEncoder {
    var indent: String?
    var itemSeparator: String
    var keySeparator: String
    var sortKeys: Bool

    init(indent: String? = nil, separators: (item: String, key: String)? = nil, sortKeys: Bool = false) {
        self.indent = indent
        // Python's default item separator is ", " without indent and "," with it.
        self.itemSeparator = separators?.item ?? (indent == nil ? ", " : ",")
        self.keySeparator = separators?.key ?? ": "
        self.sortKeys = sortKeys
    }

    func encode(_ value: Value) throws(TemplateFailure) -> String {
        var output = ""
        try write(value, depth: 0, to: &output)
        return output
    }

    private func write(_ value: Value, depth: Int, to output: inout String) throws(TemplateFailure) {
        switch value {
        case .none: output += "null"
        case .bool(let b): output += b ? "true" : "false"
        case .int(let i): output += String(i)
        case .double(let d):
            output += d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : PythonText.float(d)
        case .string(let s): output += Self.quoted(s)
        case .array(let items), .tuple(let items):
            try writeContainer(open: "[", close: "]", count: items.count, depth: depth, to: &output) { index, output throws(TemplateFailure) in
                try write(items[index], depth: depth + 1, to: &output)
            }
        case .dictionary(let dictionary):
            let pairs = sortKeys ? dictionary.pairs.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
                                 : dictionary.pairs
            try writeContainer(open: "{", close: "}", count: pairs.count, depth: depth, to: &output) { index, output throws(TemplateFailure) in
                output += Self.quoted(pairs[index].key) + keySeparator
                try write(pairs[index].value, depth: depth + 1, to: &output)
            }
        case .undefined, .namespace, .loop:
            throw .runtime("Object of type \(value.typeName) is not JSON serializable")
        }
    }

    private func writeContainer(open: String, close: String, count: Int, depth: Int, to output: inout String,
                                element: (Int, inout String) throws(TemplateFailure) -> Void) throws(TemplateFailure) {
        output += open
        guard count > 0 else {
            output += close
            return
        }
        for index in 0..<count {
            if index > 0 { output += itemSeparator }
            if let indent { output += "\n" + String(repeating: indent, count: depth + 1) }
            try element(index, &output)
        }
        if let indent { output += "\n" + String(repeating: indent, count: depth) }
        output += close
    }

    /// A JSON string literal with non-ASCII characters kept (`ensure_ascii=False`).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            default:
                if scalar.value < 0x20 {
                    result += "\\u" + PythonText.hex(scalar.value, width: 4)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
