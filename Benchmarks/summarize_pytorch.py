#!/usr/bin/env python3
"""Reads the per-round JSON that compare-pytorch.sh wrote and prints a markdown table of best-of-rounds
tokens/s for SmolScope and PyTorch/transformers, their ratio (SmolScope ÷ PyTorch) against issue 7's
goals (decode >= 1.3x, prompt processing >= 3x), and how close each engine's decode gets to the
measured read bandwidth.

usage: summarize_pytorch.py RESULTS_DIR TYPE ...   (reads TYPE-smolscope-*.json and TYPE-pytorch-*.json)"""
import glob
import json
import sys

from summarize_compare import fmt, load, ratio

GOALS = {"pp": 3.0, "tg": 1.3}


def first_run(directory, type_, engine):
    """One finished result file, for what does not vary by round (model path, engine versions)."""
    for path in sorted(glob.glob(f"{directory}/{type_}-{engine}-*.json")):
        try:
            with open(path) as f:
                return json.load(f)
        except (OSError, ValueError):
            continue
    return None


def main():
    directory, types = sys.argv[1], sys.argv[2:]
    results = {t: (load(directory, t, "smolscope"), load(directory, t, "pytorch")) for t in types}
    results = {t: r for t, r in results.items() if None not in r}
    if not results:
        sys.exit("no results found")
    # The machine's ceiling: the best probe of the whole run, as in summarize_compare.py.
    bw = max((ours["bandwidth"] for ours, _ in results.values() if ours["bandwidth"]), default=None)

    t0 = next(iter(results))
    ours0, theirs0 = results[t0]
    torch_run = first_run(directory, t0, "pytorch")
    print(f"SmolScope vs {torch_run['engine']} ({torch_run['attn_implementation']} attention, "
          f"CPU {torch_run['cpu_capability']}), {ours0['threads']} threads, pp{ours0['n_prompt']} / tg{ours0['n_gen']}, "
          f"best of {len(ours0['tg_samples']) or len(ours0['pp_samples'])} alternating rounds, "
          f"models {torch_run['model'].removesuffix('-' + t0)}-TYPE\n")
    print("| type | pp ours | pp PyTorch | pp ratio (goal 3x) | tg ours | tg PyTorch | tg ratio (goal 1.3x) "
          "| tg % of bandwidth limit (ours / PyTorch) | load s (ours / PyTorch) | peak RSS GiB (ours / PyTorch) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for t, (ours, theirs) in results.items():
        bpt = ours["bytes_per_token"]
        frac = lambda tg: "-" if not (bw and bpt and tg) else f"{100 * bpt * tg / (bw * 1e9):.0f}%"
        cells = []
        for test in ("pp", "tg"):
            r = ratio(ours[test], theirs[test])
            met = "" if r is None else (" ✓" if r >= GOALS[test] else " ✗")
            cells.append(f"{fmt(ours[test])} | {fmt(theirs[test])} | {fmt(r)}x{met}")
        print(f"| {t} | {cells[0]} | {cells[1]} | {frac(ours['tg'])} / {frac(theirs['tg'])} "
              f"| {fmt(ours['load_s'])} / {fmt(theirs['load_s'])} | {ours['rss'] / 2**30:.2f} / {theirs['rss'] / 2**30:.2f} |")
    print(f"\nBest read-bandwidth probe: {fmt(bw, 1)} GB/s. Samples (tok/s):")
    for t, (ours, theirs) in results.items():
        print(f"- {t}: pp ours {[round(x, 2) for x in ours['pp_samples']]}, PyTorch {[round(x, 2) for x in theirs['pp_samples']]}; "
              f"tg ours {[round(x, 2) for x in ours['tg_samples']]}, PyTorch {[round(x, 2) for x in theirs['tg_samples']]}")


if __name__ == "__main__":
    main()
