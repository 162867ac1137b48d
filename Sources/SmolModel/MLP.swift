import SmolCore

/// The SwiGLU feed-forward block: `down(silu(gate(x)) · up(x))`.
public struct MLP: Sendable {
    public let gate: any WeightMatrix
    public let up: any WeightMatrix
    public let down: any WeightMatrix

    func callAsFunction(_ x: UnsafePointer<Float>, count: Int, workspace ws: Workspace, numerics: Numerics,
                        into out: UnsafeMutablePointer<Float>) {
        let width = gate.rows
        let g = ws.buffer(.gate, count * width), u = ws.buffer(.up, count * width)
        project(gate, x, count, g, numerics)
        project(up, x, count, u, numerics)
        VectorOps.swiglu(g, u, count * width)
        project(down, g, count, out, numerics)
    }
}
