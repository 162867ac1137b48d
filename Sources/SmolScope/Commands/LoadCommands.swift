import Foundation
import SmolCore
import SmolModel
import SmolTokenizer

extension Commands {
    static let modelCommands = [load, models, use, unload, info]

    static let load = Command(
        "load", group: .models, usage: "load PATH|tiny|smollm2 [as NAME] [numerics=exact|fast]",
        summary: "Load a model (HF safetensors directory or .gguf file) and make it current.",
        details: """
        'tiny' is the bundled random-weight SmolLM3 (8 layers; its text is gibberish, its insides are real).
        'smollm2' is SmolLM2-135M-Instruct, downloaded on first use into a cache directory and verified.
        'synthetic:SHAPE:TYPE' (e.g. synthetic:smollm3-3b:q4_k_m) generates random weights of a real model's shape.
        Several models can be loaded at once under different names (see 'models', 'use'); loading under a
        name that is taken replaces that model. Numerics default to exact for safetensors, fast for GGUF.
        """,
        examples: ["load tiny", "load smollm2", "load ~/models/SmolLM3-3B-Q4_K_M.gguf as q4"],
        positionals: 1...3, options: ["numerics": Numerics.allCases.map(\.rawValue), "name": []],
        arguments: [.modelSource, .words(["as"]), .none]
    ) { args, ctx in
        let spec = args[0]!
        var name = args.option("name")
        if args.positionals.count > 1 {
            guard args[1] == "as", let n = args[2] else { throw args.usageError("expected 'as NAME' after the path") }
            name = n
        }
        if let n = name, n.isEmpty || n.contains(where: { $0 == " " || $0 == "/" }) {
            throw args.usageError("model names are single words (got '\(n)')")
        }
        let numerics = try args.option("numerics").map { text throws(ScopeError) -> Numerics in
            guard let n = Numerics(rawValue: text) else { throw args.usageError("numerics must be exact or fast (got '\(text)')") }
            return n
        }
        let m = try ctx.session.loadModel(spec, as: name, numerics: numerics, sink: ctx.sink)
        ctx.text("loaded '\(m.name)': \(m.summary)")
        ctx.text("  " + m.architectureLine)
        if m.tokenizer == nil { ctx.text("  (no tokenizer found: use token ids, e.g. 'prompt ids=1,2,3')") }
    }

    static let models = Command(
        "models", group: .models, usage: "models",
        summary: "List the loaded models; * marks the current one."
    ) { _, ctx in
        let s = ctx.session
        guard !s.models.isEmpty else { throw ScopeError.noModel }
        var t = Table(columns: [.init(""), .init("name"), .init("source"), .init("format"), .init("types"),
                                .init("params", .right), .init("numerics"), .init("tokens", .right)])
        for m in s.models {
            t.append([.text(m === s.current ? "*" : ""), .text(m.name), .text(m.origin), .text(m.source.format.rawValue),
                      .text(m.source.typeSummary), .text(Format.count(m.parameterCount)), .text(m.model.numerics.rawValue),
                      .integer(m.tokens.count)])
        }
        ctx.table(t)
    }

    static let use = Command(
        "use", group: .models, usage: "use NAME",
        summary: "Make a loaded model current (each model keeps its own sequence).",
        examples: ["use q4"], positionals: 1...1, arguments: [.modelName]
    ) { args, ctx in
        let m = try ctx.session.use(args[0]!)
        ctx.text("using '\(m.name)' (\(m.tokens.count) tokens in its sequence)")
    }

    static let unload = Command(
        "unload", group: .models, usage: "unload NAME",
        summary: "Forget a loaded model and free its memory.", positionals: 1...1, arguments: [.modelName]
    ) { args, ctx in
        try ctx.session.remove(args[0]!)
        ctx.text("unloaded '\(args[0]!)'" + (ctx.session.current.map { "; current: '\($0.name)'" } ?? ""))
    }

    static let info = Command(
        "info", group: .models, usage: "info",
        summary: "Describe the current model: architecture, source, tokenizer, numerics, sequence."
    ) { _, ctx in
        let m = try ctx.session.requireModel()
        let c = m.config
        var t = Table(title: "model '\(m.name)'", columns: [.init("field"), .init("value")])
        func row(_ k: String, _ v: String) { t.append([.text(k), .text(v)]) }
        row("source", m.origin + " (\(m.source.format.rawValue))")
        row("architecture", c.architecture)
        row("layers", "\(c.layerCount) (NoPE: \(c.noPELayers.isEmpty ? "none" : c.noPELayers.map(String.init).joined(separator: ", ")); rule: \(c.noPERule))")
        if !m.flippedLayers.isEmpty { row("flipped by 'rope'", m.flippedLayers.map(String.init).joined(separator: ", ")) }
        row("hidden size", "\(c.hiddenSize) (MLP \(c.intermediateSize))")
        row("attention", "\(c.headCount) query heads, \(c.kvHeadCount) KV heads (GQA groups of \(c.queriesPerKVHead)), head dim \(c.headDim)")
        row("rope", "theta \(Format.short(c.ropeTheta))" + (c.ropeScaling.map { ", \($0)" } ?? ", no scaling"))
        row("context", "\(c.maxPositions) positions")
        row("vocabulary", "\(c.vocabSize)" + (c.tieWordEmbeddings ? " (tied embeddings)" : ""))
        row("rms norm eps", Format.short(Double(c.rmsNormEps)))
        row("parameters", Format.grouped(m.parameterCount))
        row("weight types", m.source.typeSummary)
        row("numerics", m.model.numerics.rawValue)
        if let tk = m.tokenizer {
            let eos = tk.eosTokenIds.sorted().map { "\($0) \(m.piece($0))" }.joined(separator: ", ")
            row("tokenizer", "\(tk.vocabularySize) tokens; end: \(eos); chat template: \(tk.chatTemplate == nil ? "no" : "yes")")
        } else {
            row("tokenizer", "none")
        }
        row("sequence", "\(m.tokens.count) tokens; KV cache \(Format.bytes(m.generator.cache.bytesUsed)) of \(m.generator.cache.capacity) positions")
        row("recording", ctx.session.settings.recording.description)
        ctx.table(t)
    }
}

extension Session {
    /// Loads `spec` (a catalog name or a path) as a new current model.
    func loadModel(_ spec: String, as name: String?, numerics: Numerics?, sink: OutputSink) throws -> LoadedModel {
        let path: String, summary: String, derivedName: String
        if let entry = catalog.entry(spec) {
            let last = ProgressThrottle(), box = UncheckedSink(sink), label = "fetching \(entry.name)"
            path = try entry.resolve { fraction in
                if last.shouldReport(fraction) { box.sink.emit(.progress(label: label, fraction: fraction)) }
            }
            summary = entry.summary
            derivedName = entry.name
        } else if SyntheticSpec.isSynthetic(spec) {
            // A generated model of a real shape (e.g. synthetic:smollm3-3b:q4_k_m), for speed and memory experiments.
            path = spec
            summary = "a synthetic model with random weights (\(spec))"
            derivedName = String(spec.dropFirst(SyntheticSpec.prefix.count)).replacingOccurrences(of: ":", with: "-")
        } else {
            path = resolvePath(spec)
            guard FileManager.default.fileExists(atPath: path) else {
                let hint = Suggest.closest(to: spec, in: catalog.entries.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
                throw ScopeError.failed("no such file or directory: \(spec)\(hint)")
            }
            let file = (path as NSString).lastPathComponent
            derivedName = Session.modelName(fromFile: file)
            summary = file
        }
        let (model, source) = try ModelLoader.load(path: path, numerics: numerics)
        let tokenizer = SyntheticSpec.isSynthetic(path) ? nil : try? Tokenizer.load(source: path)
        let m = LoadedModel(name: name ?? derivedName, origin: spec, summary: summary, model: model, source: source,
                            tokenizer: tokenizer, settings: settings)
        add(m)
        return m
    }

    /// `SmolLM3-3B-Q4_K_M.gguf` → `smollm3-3b-q4_k_m`.
    static func modelName(fromFile file: String) -> String {
        var base = file
        for ext in [".gguf", ".safetensors"] where base.lowercased().hasSuffix(ext) { base = String(base.dropLast(ext.count)) }
        let cleaned = base.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" }
        return cleaned.isEmpty ? "model" : String(cleaned)
    }
}

extension LoadedModel {
    /// `smollm3, 8 layers (NoPE 3, 7), hidden 256, 4/2 heads, vocab 1024, 4.99M params, BF16 ×74, exact`.
    var architectureLine: String {
        let c = config
        let nope = c.noPELayers.isEmpty ? "RoPE on every layer" : "NoPE: " + c.noPELayers.map(String.init).joined(separator: ", ")
        return "\(c.architecture), \(c.layerCount) layers (\(nope)), hidden \(c.hiddenSize), heads \(c.headCount)/\(c.kvHeadCount) kv, "
            + "vocab \(c.vocabSize), \(Format.count(parameterCount)) params, \(source.typeSummary), \(model.numerics.rawValue) numerics"
    }
}

/// Lets a download's progress callback reach the sink. Progress is reported on the loading thread
/// (the fetch runs synchronously inside `load`).
struct UncheckedSink: @unchecked Sendable {
    let sink: OutputSink
    init(_ sink: OutputSink) { self.sink = sink }
}

/// Reports download progress at most every whole percent.
final class ProgressThrottle: @unchecked Sendable {
    private var last = -1
    private let lock = NSLock()
    func shouldReport(_ fraction: Double) -> Bool {
        let p = Int(fraction * 100)
        lock.lock()
        defer { lock.unlock() }
        if p == last { return false }
        last = p
        return true
    }
}
