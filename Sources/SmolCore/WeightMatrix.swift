import SmolFormats

/// A weight matrix of `rows` output features by `cols` input features (PyTorch `[out, in]`,
/// rows contiguous), in whatever storage the file had. The model only ever multiplies through this
/// protocol, so it never knows whether a layer came from safetensors BF16 or a Q4_K GGUF.
public protocol WeightMatrix: Sendable {
    var rows: Int { get }
    var cols: Int { get }
    var type: TensorType { get }
    /// Bytes of weight data (what one matvec streams from memory).
    var byteCount: Int { get }

    /// `y[r] = Σ_c W[r, c] · x[c]` for every row.
    func matvec(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, numerics: Numerics)

    /// `Y[t, r] = Σ_c W[r, c] · X[t, c]` for `count` activation rows (prompt processing).
    func matmul(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>, numerics: Numerics)

    /// Row `row` widened to f32 (embedding lookup, inspection, exact numerics).
    func dequantizeRow(_ row: Int, into out: UnsafeMutablePointer<Float>)

    /// `matvec` (one row) or `matmul` of a prepared batch: the same result, but the batch's
    /// quantized or rounded form is computed once and shared with every matrix that reads it.
    func product(_ x: ActivationBatch, into y: UnsafeMutablePointer<Float>, numerics: Numerics)

    /// What `decodeRows` reads of a one-row batch under fast numerics (its 8-bit blocks or rounded
    /// copy), prepared on the calling thread: batches are not thread-safe.
    func decodeActivations(_ x: ActivationBatch) -> UnsafeRawPointer

    /// `y[r] = W[r] · x` for `rows` only, on the calling thread, under fast numerics: the unit of
    /// work `WeightMatrices.products` spreads over threads.
    func decodeRows(_ rows: Range<Int>, _ x: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>)
}

extension WeightMatrix {
    public func product(_ x: ActivationBatch, into y: UnsafeMutablePointer<Float>, numerics: Numerics) {
        if x.count == 1 {
            matvec(x.x, into: y, numerics: numerics)
        } else {
            matmul(x.x, count: x.count, into: y, numerics: numerics)
        }
    }

    /// The whole matrix as f32, row-major. For inspection and tests; the model never needs it.
    public func dequantized() -> [Float] {
        var out = [Float](repeating: 0, count: rows * cols)
        out.withUnsafeMutableBufferPointer { buf in
            for r in 0..<rows { dequantizeRow(r, into: buf.baseAddress! + r * cols) }
        }
        return out
    }

    public func row(_ r: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: cols) { buf, n in
            dequantizeRow(r, into: buf.baseAddress!)
            n = cols
        }
    }
}

/// Settings shared by every matrix type.
public enum WeightMatrices {
    /// Activation rows per pass of a prompt product: each pass streams every weight row over this
    /// many tokens, whose (rearranged) activations must stay in L2 for it to run at compute speed.
    /// Measured, 3B Q4_K_M, 512-token prompt, 2 threads: all tokens in one pass 24.7 tok/s (6 MB of
    /// activations per down-projection row), 64-token passes 41.9 (llama.cpp 46.7).
    public static let promptBlock = 64

    /// One matrix of a grouped product and where its outputs go.
    public typealias Target = (matrix: any WeightMatrix, output: UnsafeMutablePointer<Float>)

    /// Products of two or three matrices that read the same batch (q, k and v; gate and up). A
    /// one-token step under fast numerics runs them as one parallel region over all their rows:
    /// every region costs a wake-up and a wait for the slowest thread, and a decode step of a
    /// 36-layer model had ~250 of them. Otherwise one product after another. Fixed arity rather
    /// than an array: this runs twice per layer and token, and arrays would be allocated.
    public static func products(_ x: ActivationBatch, numerics: Numerics, _ a: Target, _ b: Target, _ c: Target? = nil) {
        guard x.count == 1, numerics == .fast else {
            a.matrix.product(x, into: a.output, numerics: numerics)
            b.matrix.product(x, into: b.output, numerics: numerics)
            c?.matrix.product(x, into: c!.output, numerics: numerics)
            return
        }
        let inputs = (a.matrix.decodeActivations(x), b.matrix.decodeActivations(x), c?.matrix.decodeActivations(x))
        Parallel.forRanges(a.matrix.rows + b.matrix.rows + (c?.matrix.rows ?? 0), grain: 16) { range in
            var first = 0
            func share(_ t: Target, _ input: UnsafeRawPointer) {
                let lower = max(range.lowerBound, first), upper = min(range.upperBound, first + t.matrix.rows)
                if lower < upper { t.matrix.decodeRows((lower - first)..<(upper - first), input, into: t.output) }
                first += t.matrix.rows
            }
            share(a, inputs.0)
            share(b, inputs.1)
            if let c, let input = inputs.2 { share(c, input) }
        }
    }
}

public enum WeightError: Error, CustomStringConvertible, Equatable {
    case unsupportedType(tensor: String, type: TensorType, file: String)
    case badShape(tensor: String, shape: [Int], expected: String, file: String)

    public var description: String {
        switch self {
        case .unsupportedType(let t, let type, let f):
            "\(f): tensor '\(t)' has type \(type), which SmolScope cannot multiply (supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K)"
        case .badShape(let t, let s, let e, let f):
            "\(f): tensor '\(t)' has shape \(s), expected \(e)"
        }
    }
}
