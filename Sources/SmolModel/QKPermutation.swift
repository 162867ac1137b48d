import SmolCore
import SmolFormats

extension MatrixFactory {
    /// A copy of a GGUF `attn_q`/`attn_k` matrix with its rows put back in transformers' order.
    ///
    /// llama.cpp's converter reorders each head's rows so that rotation pairs are adjacent
    /// (GGUF row `h·D + 2i + j` = HF row `h·D + j·D/2 + i`). Rows are quantized independently, so
    /// moving whole rows back is exact and needs no re-quantization.
    static func unpermutedRoPERows(_ t: TensorData, heads: Int) throws -> any WeightMatrix {
        let rows = t.shape[0], cols = t.shape[1]
        guard heads > 0, rows % heads == 0, (rows / heads) % 2 == 0, let rowBytes = t.type.byteCount(elements: cols) else {
            throw WeightError.badShape(tensor: t.name, shape: t.shape, expected: "\(heads) heads of even size", file: t.file.path)
        }
        let headDim = rows / heads, half = headDim / 2
        let buffer = WeightBuffer(byteCount: rows * rowBytes)
        let src = t.bytes.baseAddress!
        for r in 0..<rows {
            let h = r / headDim, rem = r % headDim
            let source = h * headDim + 2 * (rem % half) + rem / half
            (buffer.raw + r * rowBytes).copyMemory(from: src + source * rowBytes, byteCount: rowBytes)
        }
        return try matrix(type: t.type, rows: rows, cols: cols, base: UnsafeRawPointer(buffer.raw), owner: buffer,
                          name: t.name, file: t.file.path)
    }
}
