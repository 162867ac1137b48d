import Foundation

extension Commands {
    static let saveCommands = [save]

    static let save = Command(
        "save", group: .files, usage: "save WHAT to FILE.npy|FILE.safetensors|FILE.json",
        summary: "Write recorded tensors of the current sequence to a file for numpy.",
        details: """
        WHAT is one of:
          attn [LAYER]            attention probabilities [head, T, T] (every layer without LAYER)
          kv [LAYER] [k|v]        KV cache [kv_head, T, head_dim]
          hidden [LAYER|embed|final]   residual stream [T, hidden]
          queries [LAYER]         queries [head, T, head_dim] (needs 'set record=all')
          logits                  logits at every position [T, vocab]
          tokens                  the token ids [T]
          all                     everything above that was recorded
        Names inside the file are those 'compare' reads (attn.3, kv.3.k, hidden.layer.3, …; see 'help compare').
        .npy holds one array; .safetensors and .json hold several (json: {"tensors": {name: {"shape", "data"}}}).
        In numpy: np.load("a.npy"); safetensors.numpy.load_file("d.safetensors"); json.load(open("d.json")).
        """,
        examples: ["save attn 3 to attn3.npy", "save kv 0 k to keys0.npy", "save all to run.safetensors", "save hidden to h.json"],
        positionals: 3...5, arguments: [.words(["attn", "kv", "hidden", "queries", "logits", "tokens", "all"]), .none, .none, .path]
    ) { args, ctx in
        let m = try ctx.session.requireSequence()
        guard let toIndex = args.positionals.lastIndex(of: "to"), toIndex == args.positionals.count - 2, toIndex >= 1 else {
            throw args.usageError("expected 'to FILE' at the end")
        }
        let what = Array(args.positionals[..<toIndex])
        let file = args.positionals[toIndex + 1]
        let names = try saveNames(what, m, args)
        let n = m.tokens.count
        var arrays: [NamedArray] = []
        for name in names { arrays.append(try m.dumpArray(name, count: n)) }
        let path = ctx.session.resolvePath(file)
        try DumpFiles.write(arrays, to: path, metadata: [
            "format": "smolscope-dump", "model": m.name, "source": m.origin,
            "tokens": m.tokens.map(String.init).joined(separator: ","), "numerics": m.model.numerics.rawValue,
        ])
        let summary = arrays.count == 1 ? "\(arrays[0].name) \(shapeText(arrays[0].shape))" : "\(arrays.count) tensors"
        ctx.text("saved \(summary) to \(file)")
    }

    static func saveNames(_ what: [String], _ m: LoadedModel, _ args: Arguments) throws(ScopeError) -> [String] {
        let layers = m.config.layerCount
        func layer(_ s: String) throws(ScopeError) -> Int {
            try Arguments.check(try args.int(s, "LAYER"), in: 0..<layers, "layer")
        }
        let all = Array(0..<layers)
        switch what[0] {
        case "attn", "attention":
            guard what.count <= 2 else { throw args.usageError("save attn [LAYER] to FILE") }
            let ls = what.count == 2 ? [try layer(what[1])] : all
            return ls.map { "attn.\($0)" }
        case "queries", "q":
            guard what.count <= 2 else { throw args.usageError("save queries [LAYER] to FILE") }
            let ls = what.count == 2 ? [try layer(what[1])] : all
            return ls.map { "q.\($0)" }
        case "kv":
            guard what.count <= 3 else { throw args.usageError("save kv [LAYER] [k|v] to FILE") }
            var parts = ["k", "v"]
            if let last = what.last, last == "k" || last == "v", what.count >= 2 { parts = [last] }
            let layerWords = what.dropFirst().filter { $0 != "k" && $0 != "v" }
            var ls = all
            if let word = layerWords.first { ls = [try layer(word)] }
            return ls.flatMap { l in parts.map { "kv.\(l).\($0)" } }
        case "hidden":
            guard what.count <= 2 else { throw args.usageError("save hidden [LAYER|embed|final] to FILE") }
            guard what.count == 2 else { return ["hidden.embed"] + all.map { "hidden.layer.\($0)" } + ["hidden.final_norm"] }
            switch what[1] {
            case "embed": return ["hidden.embed"]
            case "final": return ["hidden.final_norm"]
            default: return ["hidden.layer.\(try layer(what[1]))"]
            }
        case "logits": return ["logits"]
        case "tokens", "ids": return ["input_ids"]
        case "all":
            let recording = m.recorder.wants
            return DumpNames.all(layers: layers).filter { name in
                if name.hasPrefix("q.") { return recording.contains(.queries) }
                if name.hasPrefix("attn.") { return recording.contains(.attention) }
                if name.hasPrefix("hidden") || name == "logits" { return recording.contains(.hidden) }
                return true
            }
        default:
            throw args.usageError("cannot save '\(what[0])'; WHAT is attn, kv, hidden, queries, logits, tokens or all")
        }
    }
}
