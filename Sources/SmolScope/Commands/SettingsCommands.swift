import Foundation
import SmolCore
import SmolModel

extension Commands {
    static let settingsCommands = [set]

    static let set = Command(
        "set", group: .session, usage: "set [KEY=VALUE …]",
        summary: "Change settings (sampling, numerics, recording…); without arguments, show them all.",
        details: """
          temperature=T      0 = greedy (default); sampling otherwise
          top_k=K            keep the K most likely tokens (0 = all)
          top_p=P            keep the smallest set reaching probability P (1 = all)
          repetition_penalty=R   1 = off
          seed=S             sampler seed; the sampler is also reseeded whenever a sequence starts
          numerics=exact|fast    exact: f32 products; fast: llama.cpp-style quantized activations (current model)
          top=K              alternatives shown by 'step' (and kept per step)
          max_tokens=N       default length of 'generate'
          stop=on|off        stop 'step'/'generate' at an end-of-sequence token
          record=attn,hidden,queries|all|off   what the forward pass records for inspection
          record_limit=MB    memory for recorded data (oldest positions dropped first)
          timing=on|off      print each command's wall time
          date=YYYY-MM-DD|today  the date chat templates print (pin it for reproducible transcripts)
        """,
        examples: ["set temperature=0.7 top_p=0.9 seed=42", "set numerics=fast", "set record=off", "set"],
        options: [
            "temperature": [], "top_k": [], "top_p": [], "repetition_penalty": [], "seed": [],
            "numerics": Numerics.allCases.map(\.rawValue), "top": [], "max_tokens": [], "stop": ["on", "off"],
            "record": ["attn,hidden", "all", "off", "attn", "hidden"], "record_limit": [], "timing": ["on", "off"], "date": ["today"],
        ]
    ) { args, ctx in
        let s = ctx.session
        guard !args.options.isEmpty else {
            ctx.table(settingsTable(s))
            return
        }
        var new = s.settings
        var reseed = false
        var numerics: Numerics?
        for (key, value) in args.options {
            switch key {
            case "temperature":
                let t = try args.double(value, key)
                guard t >= 0 else { throw args.usageError("temperature must be at least 0") }
                new.sampling.temperature = Float(t)
            case "top_k":
                let k = try args.int(value, key)
                guard k >= 0 else { throw args.usageError("top_k must be at least 0") }
                new.sampling.topK = k
            case "top_p":
                let p = try args.double(value, key)
                guard p > 0, p <= 1 else { throw args.usageError("top_p must be in (0, 1]") }
                new.sampling.topP = Float(p)
            case "repetition_penalty":
                let r = try args.double(value, key)
                guard r > 0 else { throw args.usageError("repetition_penalty must be positive") }
                new.sampling.repetitionPenalty = Float(r)
            case "seed":
                guard let seed = UInt64(value) else { throw args.usageError("seed must be a non-negative integer (got '\(value)')") }
                new.sampling.seed = seed
                reseed = true
            case "numerics":
                guard let n = Numerics(rawValue: value) else { throw args.usageError("numerics must be exact or fast (got '\(value)')") }
                numerics = n
            case "top":
                let k = try args.int(value, key)
                guard k >= 1, k <= 50 else { throw args.usageError("top must be 1...50") }
                new.topCount = k
            case "max_tokens":
                let n = try args.int(value, key)
                guard n >= 1 else { throw args.usageError("max_tokens must be at least 1") }
                new.maxTokens = n
            case "stop": new.stopAtEnd = try args.onOff(value, key)
            case "timing": new.timing = try args.onOff(value, key)
            case "record":
                guard let r = Recording(parsing: value) else { throw args.usageError("record takes attn, hidden, queries, all or off (got '\(value)')") }
                new.recording = r
            case "record_limit":
                let mb = try args.int(value, key)
                guard mb >= 1 else { throw args.usageError("record_limit is in MB and must be at least 1") }
                new.recordLimit = mb << 20
            case "date":
                if value == "today" {
                    new.date = nil
                } else {
                    guard let d = parseDate(value) else { throw args.usageError("date must be YYYY-MM-DD or today (got '\(value)')") }
                    new.date = d
                }
            default: break
            }
        }
        if let numerics {
            let m = try s.requireModel()
            var model = m.model
            model.numerics = numerics
            m.update(model)
        }
        s.apply(new, reseed: reseed)
        ctx.text(args.options.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }

    static func settingsTable(_ s: Session) -> Table {
        let st = s.settings, sp = st.sampling
        var t = Table(columns: [.init("setting"), .init("value")])
        let rows: [(String, String)] = [
            ("temperature", Format.short(Double(sp.temperature)) + (sp.isGreedy ? " (greedy)" : "")),
            ("top_k", String(sp.topK)), ("top_p", Format.short(Double(sp.topP))),
            ("repetition_penalty", Format.short(Double(sp.repetitionPenalty))), ("seed", String(sp.seed)),
            ("numerics", s.current.map { $0.model.numerics.rawValue + " (model '\($0.name)')" } ?? "-"),
            ("top", String(st.topCount)), ("max_tokens", String(st.maxTokens)), ("stop", st.stopAtEnd ? "on" : "off"),
            ("record", st.recording.description), ("record_limit", "\(st.recordLimit >> 20) MB"),
            ("timing", st.timing ? "on" : "off"), ("date", st.date.map(formatDate) ?? "today"),
        ]
        for (k, v) in rows { t.append([.text(k), .text(v)]) }
        return t
    }

    /// `2026-01-01` at noon UTC, so the template's local date is that day in any time zone.
    static func parseDate(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var c = DateComponents()
        (c.year, c.month, c.day, c.hour) = (parts[0], parts[1], parts[2], 12)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: c)
    }

    static func formatDate(_ d: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
