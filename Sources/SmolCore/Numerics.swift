/// How weight products treat the activation vector.
///
/// `exact` widens every weight to f32 and multiplies by f32 activations: the only error left is the
/// weights' own quantization, which is what you want when hunting a porting bug. `fast` does what
/// llama.cpp's CPU backend does: activations are rounded to the weight's partner format (f16 for F16,
/// bf16 for BF16, 8-bit blocks for quantized types) and multiplied with integer/half dot products, so
/// results track llama.cpp and decode runs at memory bandwidth.
public enum Numerics: String, Sendable, CaseIterable {
    case exact, fast
}
