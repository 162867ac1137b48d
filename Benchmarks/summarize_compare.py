#!/usr/bin/env python3
"""Reads the per-round JSON that compare-llamacpp.sh wrote and prints a markdown table of best-of-rounds
tokens/s for both engines and their ratio (SmolScope ÷ llama.cpp), plus how close each engine's decode
gets to the measured read bandwidth (weight bytes per token × tg tok/s ÷ bandwidth)."""
import glob
import json
import sys


def load(directory, type_, engine):
    runs = []
    for path in sorted(glob.glob(f"{directory}/{type_}-{engine}-*.json")):
        try:
            with open(path) as f:
                runs.append(json.load(f))
        except (OSError, ValueError):
            print(f"(skipping {path}: not a finished result)", file=sys.stderr)
    if not runs:
        return None
    best = lambda key: max((r[key] for r in runs if r.get(key) is not None), default=None)
    return {
        "pp": best("pp_tokens_per_s"), "tg": best("tg_tokens_per_s"),
        "pp_samples": [r["pp_tokens_per_s"] for r in runs if r.get("pp_tokens_per_s")],
        "tg_samples": [r["tg_tokens_per_s"] for r in runs if r.get("tg_tokens_per_s")],
        "bandwidth": max((r["read_bandwidth_gbs"] for r in runs if r.get("read_bandwidth_gbs")), default=None),
        "bytes_per_token": next((r["weight_bytes_per_token"] for r in runs if r.get("weight_bytes_per_token")), None),
        "load_s": min(r["load_s"] for r in runs), "rss": max(r["peak_rss_bytes"] for r in runs),
        "threads": runs[0]["threads"], "n_prompt": runs[0]["n_prompt"], "n_gen": runs[0]["n_gen"],
        "kv": runs[0].get("kv_cache_type"), "fa": runs[0].get("flash_attn"),
    }


def fmt(x, digits=2):
    return "-" if x is None else f"{x:.{digits}f}"


def ratio(a, b):
    return None if a is None or not b else a / b


def main():
    directory, types = sys.argv[1], sys.argv[2:]
    results = {t: (load(directory, t, "smolscope"), load(directory, t, "llamacpp")) for t in types}
    results = {t: r for t, r in results.items() if None not in r}
    # The machine's ceiling: the best probe of the whole run (a probe that ran during someone
    # else's build would understate it and overstate the fractions).
    bw = max((ours["bandwidth"] for ours, _ in results.values() if ours["bandwidth"]), default=None)
    rows = []
    for t, (ours, theirs) in results.items():
        bpt = ours["bytes_per_token"]
        frac = lambda tg: None if not (bw and bpt and tg) else bpt * tg / (bw * 1e9)
        rows.append((t, ours, theirs, frac(ours["tg"]), frac(theirs["tg"])))
    if not rows:
        sys.exit("no results found")
    o = rows[0][1]
    print(f"SmolScope vs llama.cpp, synthetic SmolLM3-3B, {o['threads']} threads, pp{o['n_prompt']} / tg{o['n_gen']}, "
          f"best of {len(o['tg_samples']) or len(o['pp_samples'])} alternating rounds "
          f"(llama.cpp KV cache {rows[0][2]['kv']}, flash attention {rows[0][2]['fa']}; SmolScope KV cache F32)\n")
    print("| type | pp ours | pp llama.cpp | pp ratio | tg ours | tg llama.cpp | tg ratio | read GB/s (best probe) | tg % of bandwidth limit (ours / llama.cpp) | load s (ours / llama.cpp) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for t, ours, theirs, fo, ft in rows:
        pct = lambda f: "-" if f is None else f"{100 * f:.0f}%"
        print(f"| {t} | {fmt(ours['pp'])} | {fmt(theirs['pp'])} | {fmt(ratio(ours['pp'], theirs['pp']))}x "
              f"| {fmt(ours['tg'])} | {fmt(theirs['tg'])} | {fmt(ratio(ours['tg'], theirs['tg']))}x "
              f"| {fmt(bw, 1)} | {pct(fo)} / {pct(ft)} | {fmt(ours['load_s'])} / {fmt(theirs['load_s'])} |")
    print("\nSamples (tok/s):")
    for t, ours, theirs, _, _ in rows:
        print(f"- {t}: pp ours {[round(x, 2) for x in ours['pp_samples']]}, llama.cpp {[round(x, 2) for x in theirs['pp_samples']]}; "
              f"tg ours {[round(x, 2) for x in ours['tg_samples']]}, llama.cpp {[round(x, 2) for x in theirs['tg_samples']]}")


if __name__ == "__main__":
    main()
