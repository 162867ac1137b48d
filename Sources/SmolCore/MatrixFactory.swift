import SmolFormats

/// Builds the `WeightMatrix` for a stored 2-D tensor, choosing the storage type's implementation.
public enum MatrixFactory {
    /// The block codecs by type. Quantized types not listed here are reported as unsupported.
    nonisolated(unsafe) public static var codecs: [TensorType: any BlockCodec.Type] = [
        .q4_0: Q4_0.self, .q4_1: Q4_1.self, .q5_0: Q5_0.self, .q5_1: Q5_1.self, .q8_0: Q8_0.self,
        .q2_K: Q2_K.self, .q3_K: Q3_K.self, .q4_K: Q4_K.self, .q5_K: Q5_K.self, .q6_K: Q6_K.self,
    ]

    public static func matrix(_ t: TensorData) throws(WeightError) -> any WeightMatrix {
        guard t.shape.count == 2 else {
            throw .badShape(tensor: t.name, shape: t.shape, expected: "a 2-D matrix", file: t.file.path)
        }
        return try matrix(type: t.type, rows: t.shape[0], cols: t.shape[1], base: t.bytes.baseAddress!,
                          owner: t.file, name: t.name, file: t.file.path)
    }

    public static func matrix(type: TensorType, rows: Int, cols: Int, base: UnsafeRawPointer, owner: AnyObject,
                              name: String = "?", file: String = "(memory)") throws(WeightError) -> any WeightMatrix {
        switch type {
        case .f32: return DenseMatrix<Float>(rows: rows, cols: cols, base: base, owner: owner)
        case .f16: return DenseMatrix<Float16>(rows: rows, cols: cols, base: base, owner: owner)
        case .bf16: return DenseMatrix<BFloat16>(rows: rows, cols: cols, base: base, owner: owner)
        default:
            guard let codec = codecs[type] else { throw .unsupportedType(tensor: name, type: type, file: file) }
            return quantized(codec, rows: rows, cols: cols, base: base, owner: owner)
        }
    }

    private static func quantized<C: BlockCodec>(_: C.Type, rows: Int, cols: Int, base: UnsafeRawPointer, owner: AnyObject) -> any WeightMatrix {
        QuantizedMatrix<C>(rows: rows, cols: cols, base: base, owner: owner)
    }

    /// Widens a 1-D tensor (norm weights) of any supported type to f32.
    public static func vector(_ t: TensorData) throws(WeightError) -> [Float] {
        let m = try matrix(type: t.type, rows: 1, cols: t.elementCount, base: t.bytes.baseAddress!, owner: t.file,
                           name: t.name, file: t.file.path)
        return m.row(0)
    }
}
