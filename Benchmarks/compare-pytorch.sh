#!/usr/bin/env bash
# Benchmarks SmolScope against PyTorch/transformers on the same synthetic SmolLM3-3B safetensors
# directory, same thread count, and prints ours ÷ PyTorch for prompt processing (pp) and decode (tg)
# per weight type (issue 7's goals: tg >= 1.3x, pp >= 3x on BF16 with 2 threads).
#
#   Benchmarks/compare-pytorch.sh [-t THREADS] [-p 64] [-n 32] [-r 3] [TYPE ...]   (default: BF16; also F16, F32)
#
# Steps: installs CPU PyTorch + transformers into Benchmarks/.venv-torch (setup-pytorch.sh), builds
# `smol` (release) unless SMOL=/path/to/smol is given, writes each models/synthetic-SHAPE-TYPE/ (an HF
# directory: config.json + model.safetensors) with `smol export-synthetic`, checks on a tiny model that
# transformers and SmolScope compute the same logits from an exported directory, then runs the two
# engines alternately, one repetition each per round (so background load hits both alike), and reports
# the best of the rounds. transformers loads TYPE's own dtype (BF16 -> bfloat16). SHAPE=tiny runs the
# whole pipeline on the tiny model in seconds (default SHAPE=smollm3-3b). Raw JSON goes to
# results/TIMESTAMP/. Not part of `swift test`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
source "$here/compare-common.sh"

# Everything runs inside main, so bash has read the whole file before it starts (editing a script
# bash is running otherwise changes the commands under its feet).
main() {
    local threads prompt gen rounds types out
    parse_options 2,15 "$@"
    [[ ${#types[@]} -gt 0 ]] || types=(BF16)
    local type shape="${SHAPE:-smollm3-3b}"
    for type in "${types[@]}"; do
        dtype_of "$type" > /dev/null || { echo "unsupported type '$type' (F32, F16 or BF16: safetensors holds no quantized types)" >&2; exit 2; }
    done
    take_lock
    "$here/setup-pytorch.sh"
    local python="$here/.venv-torch/bin/python"
    build_smol
    new_results_dir

    # The gate compares at f32 first (same BF16 weights, f32 compute in both: a wrong layout shows as
    # O(1) differences, rounding as ~1e-6), then at bf16, the dtype timed below, more loosely: PyTorch
    # rounds activations to bf16 between operations while SmolScope keeps them in f32.
    echo "== parity: transformers and SmolScope logits on an exported tiny model" >&2
    local tiny="$out/tiny-BF16" ids=5,77,300,2,511,40,41,42
    "$SMOL" export-synthetic synthetic:tiny:BF16 "$tiny" --quiet
    "$SMOL" logits "$tiny" --ids "$ids" --out "$out/parity-smolscope.npy"
    "$python" "$here/pytorch_bench.py" "$tiny" --quiet --dtype float32 --logits "$ids" > "$out/parity-pytorch-float32.json"
    "$python" "$here/check_parity.py" "$out/parity-pytorch-float32.json" "$out/parity-smolscope.npy" 1e-3 \
        "transformers float32 vs SmolScope f32, both over the BF16 weights"
    "$python" "$here/pytorch_bench.py" "$tiny" --quiet --dtype bfloat16 --logits "$ids" > "$out/parity-pytorch-bfloat16.json"
    "$python" "$here/check_parity.py" "$out/parity-pytorch-bfloat16.json" "$out/parity-smolscope.npy" 0.1 \
        "transformers bfloat16 compute vs SmolScope f32"
    rm -rf "$tiny"

    local model
    for type in "${types[@]}"; do
        model="$here/models/synthetic-$shape-$type"
        # Re-exported every run (seconds): a directory left by an older generator would hold other weights.
        echo "== writing $model/" >&2
        "$SMOL" export-synthetic "synthetic:$shape:$type" "$model" --quiet
        run_rounds "$type" "$model" pytorch "$python" "$here/pytorch_bench.py" --dtype "$(dtype_of "$type")"
    done

    "$python" "$here/summarize_pytorch.py" "$out" "${types[@]}" | tee "$out/summary.md"
}

# The torch dtype transformers loads a TYPE checkpoint in.
dtype_of() {
    case "$1" in
        BF16) echo bfloat16 ;;
        F16) echo float16 ;;
        F32) echo float32 ;;
        *) return 1 ;;
    esac
}

main "$@"
