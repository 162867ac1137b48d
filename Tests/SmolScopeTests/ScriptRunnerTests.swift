import Testing
@testable import SmolScope

/// `smol run`: transcripts with echoed statements, `file:line` errors, stop or keep going.
@Suite("Running scripts")
struct ScriptRunnerTests {
    let script = """
    load tiny
    prompt ids=1,2,3
    stpe 2
    step 1
    """

    @Test("a script stops at its first error, naming file and line, with exit code 1")
    func stopsAtError() throws {
        let run = try Transcript(script, file: "demo.smol", keepGoing: false)
        #expect(run.result.exitCode == 1)
        #expect(run.result.failures.map(\.description) == ["demo.smol:3: error: unknown command 'stpe' (did you mean 'step'?)"])
        #expect(run.result.statementsRun == 3)
        #expect(!run.text.contains("smol> step 1"))
        #expect(run.session.current?.tokens == [1, 2, 3])
    }

    @Test("--keep-going runs the rest and still fails")
    func keepGoing() throws {
        let run = try Transcript(script, file: "demo.smol", keepGoing: true)
        #expect(run.result.exitCode == 1)
        #expect(run.result.statementsRun == 4)
        #expect(run.session.current?.tokens.count == 4)
    }

    @Test("a clean script exits 0 and echoes each statement before its output")
    func transcript() throws {
        let run = try Transcript("load tiny; prompt ids=1,2,3\nrewind", file: "ok.smol")
        #expect(run.result.exitCode == 0)
        let lines = run.text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("smol> ") } == ["smol> load tiny", "smol> prompt ids=1,2,3", "smol> rewind"])
        #expect(lines.last?.hasPrefix("2 tokens kept") == true)
    }

    @Test("syntax errors carry their line too")
    func syntaxErrorLine() throws {
        let run = try Transcript("load tiny\n\ntokenize \"open\nstep", file: "bad.smol", keepGoing: false)
        #expect(run.result.failures.first?.description == "bad.smol:3: error: syntax error: unterminated \" string")
    }
}
