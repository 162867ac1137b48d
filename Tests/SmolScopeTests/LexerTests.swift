import Testing
@testable import SmolScope

/// The command language's grammar, statement by statement (docs/repl.md, `help syntax`).
@Suite("The command language")
struct LexerTests {
    func statements(_ source: String) -> [Statement] {
        Lexer.statements(source).compactMap { if case .statement(let s) = $0 { s } else { nil } }
    }

    func only(_ source: String) throws -> Statement { try #require(try Lexer.statement(source)) }

    @Test("a statement is a name, positionals, key=value options and --flags")
    func classification() throws {
        let s = try only("attn 3 1 pos=5 --heatmap")
        #expect(s.name == "attn")
        #expect(s.arguments == [.positional("3"), .positional("1"), .option(key: "pos", value: "5"), .flag("heatmap")])
    }

    @Test("double quotes keep spaces and process escapes")
    func doubleQuotes() throws {
        #expect(try only(#"tokenize "a  b\n\t\"q\" \u{1F600}""#).arguments == [.positional("a  b\n\t\"q\" 😀")])
    }

    @Test("single quotes are raw")
    func singleQuotes() throws {
        #expect(try only(#"tokenize 'a\nb'"#).arguments == [.positional(#"a\nb"#)])
    }

    @Test("an option's value may be quoted; a quoted key=value is plain text")
    func quotedOptions() throws {
        #expect(try only(#"chat hi system="Be brief. /no_think""#).arguments
                == [.positional("hi"), .option(key: "system", value: "Be brief. /no_think")])
        #expect(try only(#"tokenize "a=b""#).arguments == [.positional("a=b")])
        #expect(try only("set --top_k=5").arguments == [.option(key: "top_k", value: "5")])
    }

    @Test("';' separates statements and '#' starts a comment only at the start of a word")
    func separatorsAndComments() {
        let s = statements("prompt a#b; step 2 # two steps\n# a whole-line comment\nstep")
        #expect(s.map(\.name) == ["prompt", "step", "step"])
        #expect(s[0].arguments == [.positional("a#b")])
        #expect(s[1].arguments == [.positional("2")])
    }

    @Test("statements know their line and source text")
    func locations() {
        let s = statements("load tiny\n\n  step 3 ; info\n")
        #expect(s.map(\.location.line) == [1, 3, 3])
        #expect(s.map(\.location.column) == [1, 3, 12])
        #expect(s.map(\.text) == ["load tiny", "step 3", "info"])
    }

    @Test("triple quotes span lines; a trailing backslash continues a statement")
    func multiLine() throws {
        let s = statements("prompt \"\"\"\ndef f():\n    return 1\"\"\"\nstep \\\n  4")
        #expect(s.count == 2)
        #expect(s[0].arguments == [.positional("def f():\n    return 1")])
        #expect(s[1].arguments == [.positional("4")])
        #expect(s[1].location.line == 4)
    }

    @Test("spaces inside brackets stay in one word (numpy slices)")
    func brackets() throws {
        #expect(try only("tensor w [0, :8] bins=4").arguments == [.positional("w"), .positional("[0, :8]"), .option(key: "bins", value: "4")])
    }

    @Test("an unreadable line is an error with its location, and lexing resumes on the next line")
    func recovery() {
        let items = Lexer.statements("step 1\ntokenize \"open\nstep 2")
        #expect(items.count == 3)
        #expect(items[1] == .error(.syntax("unterminated \" string"), SourceLocation(line: 2, column: 10)))
        if case .statement(let s) = items[2] { #expect(s.text == "step 2") } else { Issue.record("expected a statement") }
    }

    @Test("completeness: open triple quotes and trailing backslashes need more input")
    func completeness() {
        #expect(Lexer.completeness("step 3") == .complete)
        #expect(Lexer.completeness("prompt \"\"\"def") == .incomplete)
        #expect(Lexer.completeness("step \\") == .incomplete)
        #expect(Lexer.completeness("tokenize \"open") == .invalid)
        #expect(Lexer.completeness("") == .complete)
    }

    @Test("arguments print back in the language and re-parse to themselves", arguments: [
        "plain", "two words", "a=b", "line\nbreak", "quote\"d", "#hash", "semi;colon", "", "back\\slash",
    ])
    func roundTrip(_ text: String) throws {
        let s = try only("tokenize " + Lexer.quoteIfNeeded(text))
        #expect(s.arguments == [.positional(text)])
    }
}
