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
        let input = ws.batch(.mlpInput, x, count: count, cols: gate.cols)
        WeightMatrices.products(input, numerics: numerics, (gate, g), (up, u))
        VectorOps.swiglu(g, u, count * width)
        down.product(ws.batch(.mlpHidden, g, count: count, cols: width), into: out, numerics: numerics)
    }
}
