import Foundation
import SmolModel

extension Commands {
    static let compareCommands = [compare]

    static let compare = Command(
        "compare", group: .files, usage: "compare FILE.safetensors… [prefix=NAME] [tol=1e-4]",
        summary: "Compare this model, layer by layer, with a dump written by transformers; report the first divergence.",
        details: """
        The dump holds any of these tensors (as written by scripts/dump_transformers.py or 'save all'):
          input_ids [T] (I64)          hidden.embed [T, hidden]        hidden.layer.<i> [T, hidden]
          q.<i> [head, T, head_dim]    attn.<i> [head, T, T]           kv.<i>.k, kv.<i>.v [kv_head, T, head_dim]
          hidden.final_norm [T, hidden]                                logits [T, vocab]
        Names may carry a prefix (code.attn.0): choose it with prefix=code when a file holds several.
        With input_ids the sequence is set to them; otherwise the current sequence is used (its first T tokens).
        The sequence is re-run with full recording, then each tensor is compared in forward order. A tensor
        matches when max |ours - theirs| <= tol * max(1, max |theirs|).
        """,
        examples: ["compare run.safetensors", "compare Tests/Fixtures/reference/hf_f32_attn.safetensors prefix=code"],
        positionals: 1...8, options: ["prefix": [], "tol": []], arguments: [.path]
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireModel()
        let tol = try args.doubleOption("tol") ?? 1e-4
        guard tol > 0 else { throw args.usageError("tol must be positive") }
        let all = try DumpFiles.readSafetensors(args.positionals.map { s.resolvePath($0) })
        let tensors = try selectPrefix(all, prefix: args.option("prefix"))
        guard !tensors.isEmpty else { throw ScopeError.failed("the file holds no tensors SmolScope knows (see 'help compare')") }

        // The tokens to run.
        var tokens = m.tokens
        if let ids = tensors["input_ids"] {
            tokens = ids.data.map { Int($0) }
        }
        guard let count = dumpLength(tensors) else { throw ScopeError.failed("cannot tell the sequence length from the dump") }
        guard tokens.count >= count else {
            throw ScopeError.failed("the dump covers \(count) positions but the sequence has \(tokens.count) tokens; run the same prompt first (or dump input_ids)")
        }
        // Re-run with everything recorded (same generator, same path as 'prompt').
        let saved = m.recorder.wants
        m.recorder.wants = .all
        defer { m.recorder.wants = saved }
        let conversation = m.conversation
        try s.start(tokens, on: m)
        m.conversation = conversation
        if tensors["input_ids"] != nil { ctx.text("ran the dump's \(tokens.count) input ids") }

        var t = Table(columns: [.init("tensor"), .init("what"), .init("shape"), .init("max abs diff", .right),
                                .init("mean abs diff", .right), .init("max |ref|", .right), .init("result")])
        var first: (String, String)?
        var compared = 0
        for name in DumpNames.all(layers: m.config.layerCount) where name != "input_ids" {
            guard let theirs = tensors[name] else { continue }
            compared += 1
            let ours = try m.dumpArray(name, count: count)
            guard case .float(let values) = ours.values, ours.shape == theirs.shape else {
                t.append([.text(name), .text(DumpNames.describe(name)), .text("\(shapeText(ours.shape)) vs \(shapeText(theirs.shape))"),
                          .empty, .empty, .empty, .text("SHAPE")])
                if first == nil { first = (name, "shapes differ: ours \(shapeText(ours.shape)), theirs \(shapeText(theirs.shape))") }
                continue
            }
            var maxDiff: Float = 0, sum = 0.0, maxRef: Float = 0
            for (a, b) in zip(values, theirs.data) {
                let d = abs(a - b)
                if d > maxDiff || d.isNaN { maxDiff = d.isNaN ? .infinity : d }
                sum += Double(d)
                maxRef = max(maxRef, abs(b))
            }
            let ok = Double(maxDiff) <= tol * max(1, Double(maxRef))
            t.append([.text(name), .text(DumpNames.describe(name)), .text(shapeText(theirs.shape)),
                      .number(Double(maxDiff), .scientific(2)), .number(sum / Double(max(values.count, 1)), .scientific(2)),
                      .fixed(Double(maxRef), 3), .text(ok ? "ok" : "DIFF")])
            if !ok, first == nil {
                first = (name, "max abs diff \(Format.scientific(Double(maxDiff), 2)) > \(Format.scientific(tol * max(1, Double(maxRef)), 2))")
            }
        }
        guard compared > 0 else { throw ScopeError.failed("the file holds no comparable tensors (see 'help compare')") }
        ctx.table(t)
        if let (name, why) = first {
            ctx.text("first divergence: \(name) (\(DumpNames.describe(name))): \(why)")
        } else {
            ctx.text("all \(compared) tensors match within tol \(Format.scientific(tol, 1)) × max(1, max |ref|)")
        }
    }

    /// Tensors under `prefix.` (or the only prefix there is), with the prefix removed.
    static func selectPrefix(_ all: [String: Tensor], prefix: String?) throws(ScopeError) -> [String: Tensor] {
        func root(_ name: String) -> String { String(name.split(separator: ".").first ?? "") }
        if let prefix {
            let p = prefix.hasSuffix(".") ? prefix : prefix + "."
            var out: [String: Tensor] = [:]
            for (k, v) in all where k.hasPrefix(p) { out[String(k.dropFirst(p.count))] = v }
            guard !out.isEmpty else { throw .failed("no tensor names start with '\(p)'") }
            return out
        }
        let plain = all.filter { DumpNames.roots.contains(root($0.key)) }
        if !plain.isEmpty { return plain }
        let prefixes = Set(all.keys.compactMap { k -> String? in
            let parts = k.split(separator: ".", maxSplits: 1).map(String.init)
            return parts.count == 2 && DumpNames.roots.contains(root(parts[1])) ? parts[0] : nil
        }).sorted()
        if prefixes.count == 1 { return try selectPrefix(all, prefix: prefixes[0]) }
        if prefixes.isEmpty { return [:] }
        throw .failed("the file holds several dumps (\(prefixes.joined(separator: ", "))); choose one with prefix=NAME")
    }

    /// T, from whichever tensor says it.
    static func dumpLength(_ tensors: [String: Tensor]) -> Int? {
        if let ids = tensors["input_ids"] { return ids.shape.first }
        for (name, t) in tensors.sorted(by: { $0.key < $1.key }) {
            if name.hasPrefix("hidden") || name == "logits" { return t.shape.first }
            if name.hasPrefix("attn") || name.hasPrefix("kv") || name.hasPrefix("q.") { return t.shape.count > 1 ? t.shape[1] : nil }
        }
        return nil
    }
}
