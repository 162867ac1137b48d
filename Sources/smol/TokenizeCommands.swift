import ArgumentParser
import Foundation
import SmolTokenizer

/// `smol tokenize SOURCE (--text T | --file F) [--no-special] [--pieces]`.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Print the token ids of a text, separated by spaces.")

    @Argument(help: "A model directory, a tokenizer.json, or a .gguf (a vocabulary-only GGUF works).") var source: String
    @Option(help: "The text to tokenize.") var text: String?
    @Option(help: "Read the text from a file.") var file: String?
    @Flag(name: .customLong("no-special"), help: "Spell special tokens written in the text as plain text.") var noSpecial = false
    @Flag(help: "Also print each token's piece.") var pieces = false
    @Flag(help: "Measure encoding throughput on the text (one core) instead of printing ids.") var bench = false

    func validate() throws {
        guard (text == nil) != (file == nil) else { throw ValidationError("give exactly one of --text and --file") }
    }

    func run() throws {
        let tokenizer = try Tokenizer.load(source: source)
        let input: String
        if let text {
            input = text
        } else {
            guard let data = FileManager.default.contents(atPath: file!) else { throw ValidationError("cannot read \(file!)") }
            input = String(decoding: data, as: UTF8.self)
        }
        if bench {
            print(tokenizer.benchmarkThroughput(text: input, minimumSeconds: 2))
            return
        }
        let ids = tokenizer.encode(input, parseSpecial: !noSpecial)
        print(ids.map(String.init).joined(separator: " "))
        if pieces {
            for id in ids { print("\(id)\t\(tokenizer.piece(id))") }
        }
    }
}

/// `smol detokenize SOURCE --ids 1,2,3`.
struct DetokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detokenize", abstract: "Print the text of token ids.")

    @Argument(help: "A model directory, a tokenizer.json, or a .gguf.") var source: String
    @Option(help: "Comma-separated token ids.") var ids: String
    @Flag(name: .customLong("skip-special"), help: "Leave out special tokens.") var skipSpecial = false

    func run() throws {
        let tokenizer = try Tokenizer.load(source: source)
        let tokens = try parseIDs(ids)
        if let bad = tokens.first(where: { $0 < 0 || $0 >= tokenizer.vocabularySize }) {
            throw ValidationError("token id \(bad) is outside the vocabulary (0..<\(tokenizer.vocabularySize))")
        }
        print(tokenizer.decode(tokens, skipSpecial: skipSpecial), terminator: "")
        if isatty(1) != 0 { print() }
    }
}
