#!/usr/bin/env python3
"""Times PyTorch/transformers on an HF checkpoint directory the way `smol bench` times SmolScope.

pp: one forward pass of P random token ids into an empty KV cache (transformers' DynamicCache),
logits of the last position only (`logits_to_keep=1`). tg: N single-token forward passes from an
empty cache, each feeding the cache the previous step returned (random ids, no sampling). Each test
runs once untimed first (warm-up), then -r times; the best and every sample are reported, with the
same JSON keys as `smol bench --json` and llamacpp_bench.py, so compare-pytorch.sh can divide one by
the other.

The model is loaded with `AutoModelForCausalLM.from_pretrained(dir, dtype=...)` (bfloat16 unless
--dtype says otherwise) and transformers' default attention (SDPA on CPU); both are recorded in the
output. `torch.set_num_threads(-t)` is set before loading.
"""
import inspect
import json
import random
import sys
import time
import warnings

import torch
import transformers

from bench_record import best_of, parse, parser, record, report
from transformers import AutoModelForCausalLM

DTYPES = {"bfloat16": torch.bfloat16, "float32": torch.float32, "float16": torch.float16}


def main() -> int:
    ap = parser(__doc__.splitlines()[0], "HF checkpoint directory (config.json + safetensors)",
                "instead of timing, print the last-position logits for these comma-separated ids "
                "as a JSON array (a parity check of the exported directory)",
                "silence transformers' warnings and progress bars")
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="bfloat16",
                    help="dtype the weights are loaded (and computed) in")
    args = parse(ap)

    if args.quiet:
        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        warnings.filterwarnings("ignore")
    torch.set_num_threads(args.t)

    start = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=DTYPES[args.dtype])
    model.eval()
    load_s = time.perf_counter() - start

    with torch.inference_mode():
        if args.logits:
            ids = torch.tensor([[int(x) for x in args.logits.split(",")]])
            row = model(ids, use_cache=False, logits_to_keep=1).logits[0, -1]
            print(json.dumps(row.float().tolist()))
            return 0
        pp, tg = measure(model, args)

    result = record(args, f"PyTorch {torch.__version__} / transformers {transformers.__version__}", load_s, pp, tg,
                    dtype=args.dtype, kv_cache_type=args.dtype,
                    attn_implementation=model.config._attn_implementation,
                    cpu_capability=torch.backends.cpu.get_cpu_capability())
    report(result, args.json, f"{args.dtype}, attention {result['attn_implementation']}, CPU {result['cpu_capability']}")
    return 0


def measure(model, args):
    """Best-of-r samples of pp and tg tokens/s, each test warmed up once untimed."""
    n_vocab = model.config.vocab_size
    rng = random.Random(0xBE4C)

    def random_ids(count):
        return torch.tensor([[rng.randrange(n_vocab) for _ in range(count)]])

    def test_pp():
        ids = random_ids(args.p)
        t0 = time.perf_counter()
        model(ids, use_cache=True, logits_to_keep=1)
        return args.p / (time.perf_counter() - t0)

    # transformers 5.x (late) renamed `past_key_values` to `cache`, in both the argument and the output.
    cache_name = "cache" if "cache" in inspect.signature(model.forward).parameters else "past_key_values"

    def test_tg():
        ids = random_ids(args.n)
        cache = None  # the first step starts an empty DynamicCache
        t0 = time.perf_counter()
        for i in range(args.n):
            out = model(ids[:, i:i + 1], use_cache=True, logits_to_keep=1, **{cache_name: cache})
            cache = getattr(out, cache_name)
        return args.n / (time.perf_counter() - t0)

    return best_of(args, test_pp, test_tg)


if __name__ == "__main__":
    sys.exit(main())
