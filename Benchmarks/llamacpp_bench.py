#!/usr/bin/env python3
"""Times llama.cpp on a GGUF the way llama-bench does, through llama-cpp-python's low-level API.

pp: one llama_decode of N random tokens into an empty KV cache (batch 2048 / ubatch 512, logits of
the last token only). tg: N single-token llama_decode calls from an empty cache. Each test runs once
untimed first (warm-up), then -r times; the best and every sample are reported, with the same JSON
keys as `smol bench --json`, so compare-llamacpp.sh can divide one by the other.

The KV cache is llama.cpp's default (F16, as llama-bench uses); flash attention is left at the
library default ("auto"). Both are recorded in the output.
"""
import json
import random
import sys
import time

import llama_cpp
import llama_cpp.llama_cpp as L

from bench_record import best_of, parse, parser, record, report


# Kept at module level: llama.cpp holds the pointer, so the ctypes callback must outlive the call.
_SILENT = L.llama_log_callback(lambda level, text, data: None)


def main() -> int:
    args = parse(parser(__doc__.splitlines()[0], "GGUF file",
                        "instead of timing, print llama.cpp's last-position logits for these comma-separated ids "
                        "as a JSON array (a parity check of the exported file)",
                        "silence llama.cpp's log"))

    L.llama_backend_init()
    if args.quiet:
        L.llama_log_set(_SILENT, None)
    start = time.perf_counter()
    mparams = L.llama_model_default_params()
    mparams.n_gpu_layers = 0
    model = L.llama_model_load_from_file(args.model.encode(), mparams)
    if not model:
        print(f"llama.cpp could not load {args.model}", file=sys.stderr)
        return 1
    cparams = L.llama_context_default_params()
    cparams.n_ctx = max(args.p + args.n, 16)
    cparams.n_batch = 2048
    cparams.n_ubatch = 512
    cparams.n_threads = args.t
    cparams.n_threads_batch = args.t
    ctx = L.llama_init_from_model(model, cparams)
    if not ctx:
        print("llama.cpp could not create a context", file=sys.stderr)
        return 1
    load_s = time.perf_counter() - start

    if args.logits:
        ids = [int(x) for x in args.logits.split(",")]
        arr = (L.llama_token * len(ids))(*ids)
        if L.llama_decode(ctx, L.llama_batch_get_one(arr, len(ids))) != 0:
            print("llama_decode failed", file=sys.stderr)
            return 1
        n = L.llama_vocab_n_tokens(L.llama_model_get_vocab(model))
        row = L.llama_get_logits_ith(ctx, -1)
        print(json.dumps([row[i] for i in range(n)]))
        return 0

    vocab = L.llama_model_get_vocab(model)
    n_vocab = L.llama_vocab_n_tokens(vocab)
    rng = random.Random(0xBE4C)
    memory = L.llama_get_memory(ctx)

    def decode(tokens):
        arr = (L.llama_token * len(tokens))(*tokens)
        rc = L.llama_decode(ctx, L.llama_batch_get_one(arr, len(tokens)))
        if rc != 0:
            raise RuntimeError(f"llama_decode returned {rc}")

    def test_pp():
        L.llama_memory_clear(memory, False)
        tokens = [rng.randrange(n_vocab) for _ in range(args.p)]
        t0 = time.perf_counter()
        for i in range(0, args.p, 2048):
            decode(tokens[i:i + 2048])
        L.llama_synchronize(ctx)
        return args.p / (time.perf_counter() - t0)

    def test_tg():
        L.llama_memory_clear(memory, False)
        tokens = [rng.randrange(n_vocab) for _ in range(args.n)]
        t0 = time.perf_counter()
        for token in tokens:
            decode([token])
            L.llama_synchronize(ctx)
        return args.n / (time.perf_counter() - t0)

    pp, tg = best_of(args, test_pp, test_tg)
    result = record(args, f"llama.cpp (llama-cpp-python {llama_cpp.__version__})", load_s, pp, tg,
                    kv_cache_type="F16" if cparams.type_k == 1 else str(cparams.type_k),
                    flash_attn={-1: "auto", 0: "off", 1: "on"}.get(cparams.flash_attn_type, str(cparams.flash_attn_type)),
                    system_info=L.llama_print_system_info().decode(errors="replace"))
    L.llama_free(ctx)
    L.llama_model_free(model)
    report(result, args.json, f"KV cache {result['kv_cache_type']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
