"""What llamacpp_bench.py and pytorch_bench.py share: the command line, the timing loop and the
result record, in the keys `smol bench --json` uses, so summarize_*.py read all three engines alike."""
import argparse
import json
import resource


def parser(description, model_help, logits_help, quiet_help):
    """`MODEL [-p 64] [-n 32] [-t 2] [-r 3] [--json] [--logits IDS] [--quiet]`, as `smol bench`."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("model", help=model_help)
    ap.add_argument("-p", type=int, default=64, help="prompt tokens")
    ap.add_argument("-n", type=int, default=32, help="generated tokens")
    ap.add_argument("-t", type=int, default=2, help="threads")
    ap.add_argument("-r", type=int, default=3, help="repetitions")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--logits", metavar="IDS", help=logits_help)
    ap.add_argument("--quiet", action="store_true", help=quiet_help)
    return ap


def parse(ap):
    """The arguments, with -p/-n/-t/-r checked."""
    args = ap.parse_args()
    if args.p < 0 or args.n < 0 or args.p + args.n == 0 or args.t < 1 or args.r < 1:
        ap.error("need -p/-n >= 0 (not both 0), -t >= 1, -r >= 1")
    return args


def best_of(args, test_pp, test_tg):
    """Samples of pp and tg tokens/s: each test once untimed, then `args.r` times."""
    pp, tg = [], []
    if args.p > 0:
        test_pp()  # warm-up
        pp = [test_pp() for _ in range(args.r)]
    if args.n > 0:
        test_tg()  # warm-up
        tg = [test_tg() for _ in range(args.r)]
    return pp, tg


def record(args, engine, load_s, pp, tg, **extra):
    """One run's JSON object; `extra` adds the engine's own settings (KV cache type, dtype, ...)."""
    return {
        "model": args.model,
        "engine": engine,
        "threads": args.t,
        "n_prompt": args.p,
        "n_gen": args.n,
        "repetitions": args.r,
        "load_s": load_s,
        "pp_tokens_per_s": max(pp) if pp else None,
        "pp_samples": pp,
        "tg_tokens_per_s": max(tg) if tg else None,
        "tg_samples": tg,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        **extra,
    }


def report(result, as_json, details):
    """Prints the record as one JSON line, or as text ending with `details`."""
    if as_json:
        print(json.dumps(result))
        return
    for test in ("pp", "tg"):
        if result[f"{test}_tokens_per_s"] is not None:
            samples = ", ".join(f"{s:.2f}" for s in result[f"{test}_samples"])
            print(f"{test}: {result[f'{test}_tokens_per_s']:.2f} tok/s (samples {samples})")
    print(f"load {result['load_s']:.2f} s, peak RSS {result['peak_rss_bytes'] / 2**30:.2f} GiB, {details}")
