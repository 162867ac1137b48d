import Testing
@testable import SmolTokenizer

/// The order-preserving JSON reader behind `tokenizer.json` loading and `TemplateValue(json:)`.
@Suite struct JSONParserTests {
    @Test func objectMembersKeepDocumentOrder() throws {
        let value = try TemplateValue(json: #"{"zeta": 1, "alpha": 2, "mid": 3}"#)
        #expect(value.dictionary?.keys == ["zeta", "alpha", "mid"])
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let value = try TemplateValue(json: #"["tab\tquote\"slash\/", "\u00e9\ud83d\ude00"]"#)
        #expect(value == ["tab\tquote\"slash/", "é😀"])
    }

    @Test func integersAndFloatsStayDistinct() throws {
        #expect(try TemplateValue(json: "[1, 1.0, -2e3, null, true]") == [1, 1.0, -2000.0, nil, true])
    }

    @Test func trailingTextIsRejected() {
        #expect(throws: TokenizerError.malformedJSON(offset: 3, reason: "unexpected text after the document")) {
            try TemplateValue(json: "{} x")
        }
    }

    @Test func rawControlCharactersInStringsAreRejected() {
        #expect(throws: TokenizerError.self) { try TemplateValue(json: "\"a\nb\"") }
    }

    @Test func absurdNestingIsRejectedNotACrash() {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(throws: TokenizerError.self) { try TemplateValue(json: deep) }
    }
}
