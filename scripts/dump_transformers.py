#!/usr/bin/env python3
"""Write a SmolScope comparison dump from a transformers model.

The file is read by the REPL's `compare` command, which re-runs the same tokens through the Swift
engine and reports, layer by layer, where the two first diverge:

    python3 scripts/dump_transformers.py HuggingFaceTB/SmolLM3-3B dump.safetensors --text "def fib(n):"
    smol -e 'load ~/models/SmolLM3-3B; compare dump.safetensors'

Tensor names (T = number of tokens; all F32 except input_ids):

    input_ids            [T]                       I64, the tokens (compare runs exactly these)
    hidden.embed         [T, hidden]               token embeddings
    hidden.layer.<i>     [T, hidden]               residual stream after decoder layer i
    hidden.final_norm    [T, hidden]               after the final RMSNorm (the LM head's input)
    attn.<i>             [heads, T, T]             softmax attention probabilities (eager attention)
    kv.<i>.k, kv.<i>.v   [kv_heads, T, head_dim]   KV cache (keys after RoPE on RoPE layers)
    logits               [T, vocab]                logits at every position

--prefix NAME writes `NAME.<tensor>` instead, so several prompts can share one file
(`compare FILE prefix=NAME` picks one). Requires: torch, transformers, safetensors.
"""
import argparse

import torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoTokenizer


def cache_tensors(cache, layer):
    """Keys and values of one layer from any transformers cache flavour, as [kv_heads, T, head_dim]."""
    if hasattr(cache, "layers"):  # transformers >= 4.56 / 5: Cache with per-layer objects
        entry = cache.layers[layer]
        return entry.keys[0], entry.values[0]
    if hasattr(cache, "key_cache"):  # DynamicCache before that
        return cache.key_cache[layer][0], cache.value_cache[layer][0]
    k, v = cache[layer]  # legacy tuple of tuples
    return k[0], v[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="a Hugging Face model id or a local directory")
    parser.add_argument("out", help="the .safetensors file to write")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="tokenized as is (no special tokens added)")
    source.add_argument("--ids", help="comma-separated token ids")
    parser.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"])
    parser.add_argument("--prefix", default="", help="prepend 'PREFIX.' to every tensor name")
    args = parser.parse_args()

    dtype = getattr(torch, args.dtype)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=dtype, attn_implementation="eager")
    model.eval()
    if args.ids is not None:
        ids = [int(x) for x in args.ids.replace(" ", ",").split(",") if x]
    else:
        ids = AutoTokenizer.from_pretrained(args.model)(args.text, add_special_tokens=False)["input_ids"]
    input_ids = torch.tensor([ids])

    # Forward hooks give every layer's output and the final norm whatever `hidden_states` means
    # in the installed transformers version (the last entry there is already normed).
    captured = {}

    def keep(name):
        def hook(_module, _inputs, output):
            captured[name] = (output[0] if isinstance(output, tuple) else output)[0].detach()
        return hook

    inner = model.model
    hooks = [inner.embed_tokens.register_forward_hook(keep("hidden.embed")),
             inner.norm.register_forward_hook(keep("hidden.final_norm"))]
    for i, layer in enumerate(inner.layers):
        hooks.append(layer.register_forward_hook(keep(f"hidden.layer.{i}")))

    with torch.no_grad():
        out = model(input_ids, output_attentions=True, use_cache=True)
    for h in hooks:
        h.remove()

    tensors = {"input_ids": input_ids[0].to(torch.int64)}
    tensors.update(captured)
    for i, a in enumerate(out.attentions):
        tensors[f"attn.{i}"] = a[0]
    for i in range(len(inner.layers)):
        k, v = cache_tensors(out.past_key_values, i)
        tensors[f"kv.{i}.k"], tensors[f"kv.{i}.v"] = k, v
    tensors["logits"] = out.logits[0]

    prefix = args.prefix + "." if args.prefix else ""
    prepared = {}
    for name, t in tensors.items():
        t = t.detach().cpu()
        prepared[prefix + name] = (t if t.dtype == torch.int64 else t.to(torch.float32)).contiguous()
    save_file(prepared, args.out, metadata={"format": "smolscope-dump", "source": "transformers", "model": args.model})
    print(f"wrote {len(prepared)} tensors for {len(ids)} tokens to {args.out}")


if __name__ == "__main__":
    main()
