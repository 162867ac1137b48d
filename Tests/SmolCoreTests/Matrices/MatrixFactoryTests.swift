import Foundation
import SmolCore
import SmolFormats
import Testing

@Suite("MatrixFactory")
struct MatrixFactoryTests {
    /// ggml's CPU `type_traits_cpu[...].vec_dot_type`: the activation format llama.cpp quantizes
    /// to for each weight type.
    static let llamaCppPartners: [TensorType: TensorType] = [
        .q4_0: .q8_0, .q5_0: .q8_0, .q8_0: .q8_0, .q4_1: .q8_1, .q5_1: .q8_1,
        .q2_K: .q8_K, .q3_K: .q8_K, .q4_K: .q8_K, .q5_K: .q8_K, .q6_K: .q8_K,
    ]

    @Test("every quantized type of the issue has a codec with llama.cpp's activation partner", arguments: quantizedTypes)
    func codecPartners(type: TensorType) throws {
        let codec = try #require(MatrixFactory.codecs[type])
        #expect(codec.type == type)
        #expect(codec.activationType == Self.llamaCppPartners[type])
    }

    @Test("a tensor of an unsupported type is an error naming the tensor, its type and the file")
    func unsupportedType() throws {
        let buffer = WeightBuffer(byteCount: TensorType.iq2_xxs.bytesPerBlock * 4)
        let error = #expect(throws: WeightError.self) {
            try MatrixFactory.matrix(type: .iq2_xxs, rows: 4, cols: 256, base: UnsafeRawPointer(buffer.raw), owner: buffer,
                                     name: "blk.3.ffn_up.weight", file: "model-IQ2_XXS.gguf")
        }
        #expect(error == .unsupportedType(tensor: "blk.3.ffn_up.weight", type: .iq2_xxs, file: "model-IQ2_XXS.gguf"))
        let message = error?.description ?? ""
        #expect(message.contains("blk.3.ffn_up.weight") && message.contains("IQ2_XXS") && message.contains("model-IQ2_XXS.gguf"))
    }
}
