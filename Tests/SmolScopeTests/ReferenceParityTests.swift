import Foundation
import SmolFormats
import SmolModel
import Testing
@testable import SmolScope

/// What `attn` and `kv` report for the fixture's `code` prompt equals transformers' attention
/// probabilities and KV cache (Tests/Fixtures/reference, README §4: abs ≤ 1e-5).
@Suite("attn and kv match the transformers reference")
struct ReferenceParityTests {
    static func reference(_ file: String) throws -> [String: Tensor] {
        try DumpFiles.readSafetensors([Paths.fixtures + "/reference/" + file])
    }

    /// A tiny session after `prompt ids=<code prompt>`.
    static func codeSession() throws -> (Session, LoadedModel) {
        let s = try tinySession()
        try s.run("prompt ids=" + codePromptIds().map(String.init).joined(separator: ","), sink: CollectingSink())
        return (s, try #require(s.current))
    }

    @Test("recorded attention of every layer equals hf_f32_attn within 1e-5", arguments: 0..<8)
    func attention(layer: Int) throws {
        let (_, m) = try Self.codeSession()
        let expected = try #require(try Self.reference("hf_f32_attn.safetensors")["code.attn.\(layer)"])
        let ours = try m.dumpArray("attn.\(layer)", count: m.tokens.count)
        guard case .float(let values) = ours.values else { Issue.record("not floats"); return }
        #expect(ours.shape == expected.shape)
        #expect(Tensor(shape: ours.shape, data: values).maxAbsDifference(expected) <= 1e-5)
    }

    @Test("the numbers 'attn LAYER' prints are the reference's, rounded", arguments: [0, 3, 7])
    func attentionTable(layer: Int) throws {
        let (s, m) = try Self.codeSession()
        let expected = try #require(try Self.reference("hf_f32_attn.safetensors")["code.attn.\(layer)"])
        let n = m.tokens.count
        for position in [0, 5, n - 1] {
            let text = try output(s, "attn \(layer) pos=\(position) top=0")
            // Rows: key, token, h0…h3, mean.
            let rows = text.split(separator: "\n").dropFirst(3).map { $0.split(separator: " ", omittingEmptySubsequences: true) }
            #expect(rows.count == position + 1)
            for row in rows {
                let key = try #require(Int(row[0]))
                let numbers = row.suffix(5).compactMap { Double($0) }
                #expect(numbers.count == 5)
                for head in 0..<4 {
                    let reference = Double(expected.data[(head * n + position) * n + key])
                    #expect(abs(numbers[head] - reference) <= 0.00005 + 1e-6, "layer \(layer) pos \(position) key \(key) head \(head)")
                }
            }
        }
    }

    @Test("the KV cache equals hf_f32 kv.<l>.k/v within 1e-5 (RoPE layer 0, NoPE layer 3)", arguments: [0, 3])
    func kvCache(layer: Int) throws {
        let (_, m) = try Self.codeSession()
        let reference = try Self.reference("hf_f32.safetensors")
        for part in ["k", "v"] {
            let expected = try #require(reference["code.kv.\(layer).\(part)"])
            let ours = part == "k" ? m.generator.cache.keys(layer: layer) : m.generator.cache.values(layer: layer)
            #expect(ours.shape == expected.shape)
            #expect(ours.maxAbsDifference(expected) <= 1e-5, "kv.\(layer).\(part)")
        }
    }

    @Test("the vectors 'kv LAYER HEAD pos=P' prints are the reference's, rounded")
    func kvPrintout() throws {
        let (s, m) = try Self.codeSession()
        let expected = try #require(try Self.reference("hf_f32.safetensors")["code.kv.3.k"])
        let n = m.tokens.count
        let text = try output(s, "kv 3 1 pos=7")
        let body = text.components(separatedBy: "k =\n")[1].components(separatedBy: "v =")[0]
        let numbers = body.split(whereSeparator: { " []\n".contains($0) }).compactMap { Double($0) }
        #expect(numbers.count == 64)
        for d in 0..<64 {
            #expect(abs(numbers[d] - Double(expected.data[(1 * n + 7) * 64 + d])) <= 0.00005 + 1e-6)
        }
    }

    @Test("recording attention in steps gives the same rows as one batched pass")
    func stepsMatchBatch() throws {
        let ids = try codePromptIds()
        let batched = try tinySession(), stepped = try tinySession()
        try batched.run("prompt ids=" + ids.map(String.init).joined(separator: ","), sink: CollectingSink())
        try stepped.run("prompt ids=\(ids[0])", sink: CollectingSink())
        for id in ids.dropFirst() { try stepped.run("force \(id)", sink: CollectingSink()) }
        let a = try #require(batched.current), b = try #require(stepped.current)
        for layer in [0, 3] {
            for p in [1, 20, ids.count - 1] {
                let x = try #require(a.recorder.attentionRow(layer: layer, position: p))
                let y = try #require(b.recorder.attentionRow(layer: layer, position: p))
                #expect(Tensor(shape: [x.count], data: x).maxAbsDifference(Tensor(shape: [y.count], data: y)) <= 1e-5)
            }
        }
    }
}
