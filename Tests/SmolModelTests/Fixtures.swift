import Foundation
import SmolFormats
import SmolModel

/// Paths and loaders for the reference fixtures in `Tests/Fixtures` (see its README).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let tinyModel = root + "/tiny-smollm3"
    static func gguf(_ type: String) -> String { root + "/tiny-smollm3-gguf/tiny-smollm3-\(type).gguf" }
    static func reference(_ name: String) -> String { root + "/reference/" + name }

    /// A reference safetensors file of F32 tensors.
    static func tensors(_ name: String) throws -> [String: Tensor] {
        let file = try SafetensorsFile(path: reference(name))
        return file.tensors.mapValues { t in
            Tensor(shape: t.shape, data: Array(t.bytes.assumingMemoryBound(to: Float.self).prefix(t.elementCount)))
        }
    }

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: reference(name)))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The six reference prompts of `hf.json`.
    struct Prompt {
        let name: String
        let ids: [Int]
        let greedy: [Int]
        let margins: [Double]
    }

    static func prompts() throws -> [Prompt] {
        let hf = try json("hf.json")
        return (hf["prompts"] as! [[String: Any]]).map {
            Prompt(name: $0["name"] as! String, ids: $0["input_ids"] as! [Int], greedy: $0["greedy_f32"] as! [Int],
                   margins: $0["greedy_f32_margins"] as! [Double])
        }
    }

    nonisolated(unsafe) static var cachedTiny: Model?
    static let lock = NSLock()

    /// The tiny model in f32 from its safetensors (loaded once per test process).
    static func tiny() throws -> Model {
        lock.lock()
        defer { lock.unlock() }
        if let m = cachedTiny { return m }
        let m = try ModelLoader.load(path: tinyModel).0
        cachedTiny = m
        return m
    }
}

/// Greedy continuation, returning the chosen tokens and the logits that chose each.
func greedy(_ model: Model, prompt: [Int], steps: Int) throws -> (tokens: [Int], logits: [[Float]]) {
    let cache = model.makeCache()
    var logits = try model.forward(prompt, cache: cache)
    var tokens: [Int] = [], rows: [[Float]] = []
    for _ in 0..<steps {
        rows.append(logits)
        let next = logits.indices.max { logits[$0] < logits[$1] }!
        tokens.append(next)
        logits = try model.forward([next], cache: cache)
    }
    return (tokens, rows)
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    var m: Float = 0
    for i in a.indices { m = max(m, abs(a[i] - b[i])) }
    return m
}

func meanAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    var s: Double = 0
    for i in a.indices { s += Double(abs(a[i] - b[i])) }
    return Float(s / Double(max(a.count, 1)))
}
