import SmolCore
import SmolModel

extension Commands {
    static let tensorCommands = [tensors, tensor]

    static let tensors = Command(
        "tensors", group: .tensors, usage: "tensors [GLOB]",
        summary: "List the stored tensors (name, shape, type, size), optionally filtered.",
        details: "GLOB uses * and ?; without wildcards it matches names containing it. Names are the file's own (HF or GGUF).",
        examples: ["tensors", "tensors *.3.*", "tensors attn_q"],
        positionals: 0...1, arguments: [.tensorName]
    ) { args, ctx in
        let m = try ctx.session.requireModel()
        let pattern = args[0]
        let chosen = m.model.weights.filter { pattern == nil || Glob.matches(pattern!, $0.name) }
        guard !chosen.isEmpty else { throw ScopeError.failed("no tensor matches '\(pattern ?? "")'") }
        var t = Table(columns: [.init("name"), .init("shape"), .init("type"), .init("size", .right)])
        var total = 0
        for w in chosen {
            let bytes = WeightReader(weight: w).byteCount
            total += bytes
            t.append([.text(w.name), .text(shapeText(w.shape)), .text("\(w.type)"), .number(Double(bytes), .bytes)])
        }
        t.note = "\(chosen.count) tensor\(chosen.count == 1 ? "" : "s"), \(Format.bytes(total))"
        ctx.table(t)
    }

    static let tensor = Command(
        "tensor", group: .tensors, usage: "tensor NAME [SLICE] [bins=N] [--no-hist]",
        summary: "Show one stored tensor: shape, type, statistics, a numpy-style printout and a histogram.",
        details: """
        SLICE is numpy syntax in brackets: [0] a row, [0, :8] its first 8 values, [2:5, ::64], [-1]. Statistics and the
        histogram cover the slice when one is given, else the whole tensor. Quantized tensors are dequantized to f32.
        """,
        examples: ["tensor model.norm.weight", "tensor model.layers.0.self_attn.q_proj.weight [0, :8]",
                   "tensor blk.0.attn_q.weight [:4] bins=32"],
        positionals: 1...3, options: ["bins": []], flags: ["no-hist", "hist"], arguments: [.tensorName, .none]
    ) { args, ctx in
        let m = try ctx.session.requireModel()
        let w = try m.weight(named: args[0]!)
        let reader = WeightReader(weight: w)
        let bins = try args.intOption("bins") ?? 16
        guard bins >= 1, bins <= 200 else { throw args.usageError("bins must be 1...200") }
        // The optional slice (a second positional "hist" is accepted too, as in 'tensor NAME hist').
        let extra = args.positionals.dropFirst().filter { $0 != "hist" }
        guard extra.count <= 1 else { throw args.usageError("expected one SLICE such as [0, :8]") }
        let selection = try extra.first.map { try TensorSlice(parsing: $0).resolve(w.shape) } ?? Selection.all(w.shape)
        let sliced = extra.first != nil

        ctx.text("\(w.name)\(extra.first ?? "")  shape \(shapeText(sliced ? selection.shape : w.shape))  \(reader.typeDescription)"
                 + "  \(Format.grouped(selection.count)) values" + (sliced ? "" : ", \(Format.bytes(reader.byteCount))"))
        var stats = TensorStats()
        let cursor = WeightReader.Cursor(reader)
        if sliced {
            selection.forEachOffset { stats.add(cursor.value(at: $0)) }
        } else {
            reader.forEachRow { stats.add($0) }
        }
        ctx.text(stats.line)
        // numpy-style printout (only the shown elements are read).
        let shape = sliced ? selection.shape : w.shape
        let keptDims = selection.kept.indices.filter { selection.kept[$0] }
        let strides = selection.sourceStrides
        ctx.text(NumpyFormatter.format(shape: shape) { idx in
            var pick = selection.indices.map { $0.first ?? 0 }
            for (k, d) in keptDims.enumerated() { pick[d] = selection.indices[d][idx[k]] }
            var offset = 0
            for (i, s) in zip(pick, strides) { offset += i * s }
            return cursor.value(at: offset)
        })
        if !args.has("no-hist"), stats.count > 0 {
            var values: [Float] = []
            values.reserveCapacity(min(selection.count, 1 << 24))
            let histogram: Histogram
            if sliced {
                selection.forEachOffset { values.append(cursor.value(at: $0)) }
                histogram = Histogram(title: "histogram (\(bins) bins)", values: values, bins: bins)
            } else {
                histogram = Histogram.streaming(title: "histogram (\(bins) bins)", reader: reader, stats: stats, bins: bins)
            }
            ctx.emit(.histogram(histogram))
        }
    }

    static func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
}

extension LoadedModel {
    /// A stored tensor by exact name, with a suggestion on a typo.
    func weight(named name: String) throws(ScopeError) -> NamedWeight {
        if let w = model.weights.first(where: { $0.name == name }) { return w }
        let names = model.weights.map(\.name)
        let contains = names.filter { $0.contains(name) }
        if contains.count == 1 { return model.weights.first { $0.name == contains[0] }! }
        let hint = Suggest.closest(to: name, in: names).map { " (did you mean '\($0)'?)" }
            ?? (contains.isEmpty ? "; 'tensors' lists them" : "; \(contains.count) names contain it, e.g. '\(contains[0])'")
        throw .failed("no tensor named '\(name)'\(hint)")
    }
}

extension Histogram {
    /// A histogram of a whole stored tensor, streamed row by row with the range from `stats`.
    static func streaming(title: String, reader: WeightReader, stats: TensorStats, bins: Int) -> Histogram {
        var lo = Double(stats.minimum), hi = Double(stats.maximum)
        if lo == hi { lo -= 0.5; hi += 0.5 }
        let width = (hi - lo) / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        reader.forEachRow { row in
            for v in row where v.isFinite { counts[min(bins - 1, max(0, Int((Double(v) - lo) / width)))] += 1 }
        }
        return Histogram(title: title, edges: (0...bins).map { lo + Double($0) * width }, counts: counts)
    }
}
