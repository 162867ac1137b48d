import Foundation
import Testing

/// `smol run FILE`, `smol -e`, and a piped stdin, as a shell sees them: stdout, stderr, exit codes.
@Suite("The smol command line", .enabled(if: SmolBinary.exists, "the smol executable is not built"))
struct CommandLineTests {
    @Test("smol run prints the transcript; an error names file:line on stderr and exits 1")
    func runScript() throws {
        let dir = try Paths.scratchDirectory()
        try "load tiny\nprompt ids=1,2\nstpe\nstep\n".write(toFile: dir + "/demo.smol", atomically: true, encoding: .utf8)
        let (status, out, err) = try SmolBinary.run(["run", "demo.smol"], directory: dir)
        #expect(status == 1)
        #expect(out.contains("smol> prompt ids=1,2\n2 tokens at positions 0...1"))
        #expect(!out.contains("smol> step\n"))
        #expect(err == "demo.smol:3: error: unknown command 'stpe' (did you mean 'step'?)\n")

        let (status2, out2, _) = try SmolBinary.run(["run", "--keep-going", "demo.smol"], directory: dir)
        #expect(status2 == 1)
        #expect(out2.contains("smol> step\n"))
    }

    @Test("a clean script exits 0")
    func cleanScript() throws {
        let dir = try Paths.scratchDirectory()
        try "load tiny\nlayers\n".write(toFile: dir + "/ok.smol", atomically: true, encoding: .utf8)
        let (status, out, err) = try SmolBinary.run(["run", "ok.smol"], directory: dir)
        #expect(status == 0)
        #expect(err.isEmpty)
        #expect(out.contains("NoPE layers: 3, 7"))
    }

    @Test("smol -e runs commands with the tiny model loaded")
    func inline() throws {
        let (status, out, _) = try SmolBinary.run(["-e", "layers; tokenize hello"])
        #expect(status == 0)
        #expect(out.hasPrefix("layer  position"))
        #expect(out.contains("ids="))
        let (bad, _, err) = try SmolBinary.run(["-e", "attn 99"])
        #expect(bad == 1)
        #expect(err.contains("-e:1: error: "))
    }

    @Test("a piped stdin runs as a script")
    func piped() throws {
        let (status, out, _) = try SmolBinary.run([], stdin: "prompt ids=5,6\nstep\n")
        #expect(status == 0)
        #expect(out.contains("smol> step\n"))
        #expect(out.contains("top alternatives"))
    }
}
