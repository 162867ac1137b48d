import Foundation
import Testing
@testable import SmolScope

/// Tab completion (readline in the terminal, complete_request in Jupyter).
@Suite("Completion")
struct CompletionTests {
    @Test("command names at the start of a statement, also after ';'")
    func commands() throws {
        let s = Session()
        #expect(s.complete("ste").candidates == ["step"])
        #expect(s.complete("ste").replacing == 3)
        #expect(s.complete("load tiny; gen").candidates == ["gen", "generate"])
        #expect(s.complete("").candidates.contains("attn"))
    }

    @Test("tensor names of the current model")
    func tensorNames() throws {
        let s = try tinySession()
        #expect(s.complete("tensor model.layers.0.self_attn.q").candidates == ["model.layers.0.self_attn.q_proj.weight"])
        #expect(s.complete("tensors model.norm").candidates == ["model.norm.weight"])
    }

    @Test("option keys and their values, and flags")
    func options() throws {
        let s = try tinySession()
        #expect(s.complete("set numerics=e").candidates == ["numerics=exact"])
        #expect(s.complete("set numerics=e").replacing == "numerics=e".count)
        #expect(s.complete("set tem").candidates == ["temperature="])
        #expect(s.complete("attn 3 --h").candidates == ["--heatmap"])
        #expect(s.complete("rope 3 o").candidates == ["off", "on"])
        #expect(s.complete("help at").candidates == ["attn"])
        #expect(s.complete("time ste").candidates == ["step"])
    }

    @Test("catalog names and file paths for load; model names for use")
    func pathsAndModels() throws {
        let dir = try Paths.scratchDirectory()
        FileManager.default.createFile(atPath: dir + "/model-q4.gguf", contents: Data())
        let s = Session(workingDirectory: dir)
        #expect(s.complete("load ti").candidates == ["tiny"])
        #expect(s.complete("load mod").candidates == ["model-q4.gguf"])
        #expect(s.complete("load fix").candidates == ["fixtures/"])
        #expect(s.complete("load fixtures/tiny-smollm3-gguf/tiny-smollm3-Q8").candidates
                == ["fixtures/tiny-smollm3-gguf/tiny-smollm3-Q8_0.gguf"])
        try s.run("load tiny as first", sink: CollectingSink())
        #expect(s.complete("use fi").candidates == ["first"])
    }
}
