#!/usr/bin/env bash
# Benchmarks SmolScope against llama.cpp on the same synthetic SmolLM3-3B GGUF files, same thread
# count, and prints ours ÷ llama.cpp for prompt processing (pp) and decode (tg) per weight type.
#
#   Benchmarks/compare-llamacpp.sh [-t THREADS] [-p 64] [-n 32] [-r 3] [TYPE ...]   (default: Q8_0 Q4_K_M F16)
#
# Steps: installs llama-cpp-python into Benchmarks/.venv (compiled for this CPU; ~10+ min the first
# time), builds `smol` (release) unless SMOL=/path/to/smol is given, writes each
# models/synthetic-smollm3-3b-TYPE.gguf with `smol export-synthetic`, checks on a tiny model that
# llama.cpp and SmolScope compute the same logits from an exported file, then runs the two engines
# alternately, one repetition each per round (so background load hits both alike), and reports the
# best of the rounds. Our runs add `--probe`; the best read bandwidth seen in the whole run is taken
# as the machine's ceiling for both engines' "% of bandwidth limit". Raw JSON goes to
# results/TIMESTAMP/. SHAPE=tiny runs the pipeline on the tiny model in seconds. Not part of `swift test`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
source "$here/compare-common.sh"

# Everything runs inside main, so bash has read the whole file before it starts (editing a script
# bash is running otherwise changes the commands under its feet).
main() {
    local threads prompt gen rounds types out
    parse_options 2,14 "$@"
    [[ ${#types[@]} -gt 0 ]] || types=(Q8_0 Q4_K_M F16)
    take_lock
    "$here/setup-llamacpp.sh"
    local python="$here/.venv/bin/python" shape="${SHAPE:-smollm3-3b}"
    build_smol
    new_results_dir

    echo "== parity: llama.cpp and SmolScope logits on an exported tiny model" >&2
    local tiny="$out/tiny-F32.gguf" ids=5,77,300,2,511,40,41,42
    "$SMOL" export-synthetic synthetic:tiny:F32 "$tiny" --quiet
    "$python" "$here/llamacpp_bench.py" "$tiny" --quiet --logits "$ids" > "$out/parity-llamacpp.json"
    "$SMOL" logits "$tiny" --ids "$ids" --out "$out/parity-smolscope.npy"
    "$python" "$here/check_parity.py" "$out/parity-llamacpp.json" "$out/parity-smolscope.npy"
    rm -f "$tiny"

    local type model
    for type in "${types[@]}"; do
        model="$here/models/synthetic-$shape-$type.gguf"
        # Re-exported every run (seconds): a file left by an older generator would hold other weights.
        echo "== writing $model" >&2
        "$SMOL" export-synthetic "synthetic:$shape:$type" "$model" --quiet
        run_rounds "$type" "$model" llamacpp "$python" "$here/llamacpp_bench.py"
    done

    "$python" "$here/summarize_compare.py" "$out" "${types[@]}" | tee "$out/summary.md"
}

main "$@"
