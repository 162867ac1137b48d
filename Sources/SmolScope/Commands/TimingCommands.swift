import Foundation
import SmolModel

extension Commands {
    static let timingCommands = [time, bench]

    static let time = Command(
        "time", group: .session, usage: "time [COMMAND …]",
        summary: "Time one command (time step 10), or list the wall time of recent commands.",
        details: "'set timing=on' prints the time after every command instead.",
        examples: ["time generate 64", "time"],
        positionals: 0...Int.max, options: ["*": []]
    ) { args, ctx in
        let s = ctx.session
        guard let name = args[0] else {
            let recent = s.timings.suffix(21).dropLast()  // the last one is this 'time'
            guard !recent.isEmpty else { throw ScopeError.failed("nothing has been timed yet") }
            var t = Table(columns: [.init("command"), .init("time", .right)])
            for (text, seconds) in recent { t.append([.text(text), .text(Format.duration(seconds))]) }
            ctx.table(t)
            return
        }
        guard name != "time" else { throw args.usageError("time cannot time itself") }
        let statement = Statement(name: name, arguments: Array(args.raw.dropFirst()))
        let start = DispatchTime.now().uptimeNanoseconds
        try s.run(statement, sink: ctx.sink)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        ctx.text("\(statement.text): \(Format.duration(seconds))")
    }

    static let bench = Command(
        "bench", group: .session, usage: "bench [N] [prompt=TOKENS]",
        summary: "Measure prefill and decode speed (tokens/s) of the current model, with and without recording.",
        details: """
        Runs a separate sequence on the same generator code (the session's sequence is untouched): a prompt of TOKENS
        tokens (default 32) in one pass, then N greedy decode steps (default 32). The 'recording' row attaches the
        session's recorder settings, to show what inspection costs.
        """,
        examples: ["bench", "bench 128 prompt=256"],
        positionals: 0...1, options: ["prompt": []]
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireModel()
        let n = try args.int(at: 0, "N") ?? 32
        let p = try args.intOption("prompt") ?? 32
        guard n >= 1, p >= 1 else { throw args.usageError("N and prompt must be at least 1") }
        guard p + n <= m.config.maxPositions else { throw args.usageError("prompt + N exceeds the context (\(m.config.maxPositions))") }
        let ids = (0..<p).map { ($0 * 7919 + 13) % m.config.vocabSize }
        var t = Table(title: "\(m.name): \(p)-token prompt, \(n) decode steps, \(m.model.numerics.rawValue) numerics",
                      columns: [.init("mode"), .init("prefill tok/s", .right), .init("decode tok/s", .right), .init("ms/token", .right)])
        // A short warm-up so the first measurement does not pay for first touches of the weights.
        do { try Generator(model: m.model, capacity: 2).feed([ids[0]]) } catch { throw ScopeError.failed(String(describing: error)) }
        for recording in [false, true] {
            let g = Generator(model: m.model, sampling: SamplingSettings(), capacity: p + n)
            if recording {
                g.observer = Recorder(config: m.config, wants: s.settings.recording.observation, limit: s.settings.recordLimit)
            }
            let t0 = DispatchTime.now().uptimeNanoseconds
            do { try g.feed(ids) } catch { throw ScopeError.failed(String(describing: error)) }
            let t1 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<n {
                if s.interrupt.isRaised { throw ScopeError.interrupted }
                do { try g.step() } catch { throw ScopeError.failed(String(describing: error)) }
            }
            let t2 = DispatchTime.now().uptimeNanoseconds
            let prefill = Double(p) / (Double(t1 - t0) / 1e9), decode = Double(n) / (Double(t2 - t1) / 1e9)
            t.append([.text(recording ? "recording \(s.settings.recording)" : "no observer"), .fixed(prefill, 1), .fixed(decode, 1),
                      .fixed(1000 / decode, 2)])
        }
        ctx.table(t)
    }
}
