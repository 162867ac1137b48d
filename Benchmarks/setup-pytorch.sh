#!/usr/bin/env bash
# Installs CPU-only PyTorch, transformers (SmolLM3 support needs >= 4.53) and safetensors into
# Benchmarks/.venv-torch, for compare-pytorch.sh. A few minutes of downloads the first time; a
# second run is instant. Safe to run on its own.
#
#   TORCH_VERSION=2.13.0+cpu TRANSFORMERS_VERSION=5.24.0 Benchmarks/setup-pytorch.sh   (the defaults)
#
# The +cpu build leaves out the CUDA libraries (gigabytes this machine has no use for). If the
# registry has no +cpu build of TORCH_VERSION, the plain wheel of the same version is installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-torch"
torch_version="${TORCH_VERSION:-2.13.0+cpu}"
transformers_version="${TRANSFORMERS_VERSION:-5.24.0}"

if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import torch, transformers, safetensors, numpy' 2>/dev/null; then
    exit 0
fi
python3 -m venv "$venv"
pip=("$venv/bin/pip" install --quiet --disable-pip-version-check)
"${pip[@]}" --upgrade pip
if ! "${pip[@]}" "torch==$torch_version"; then
    echo "torch==$torch_version is not installable here; falling back to torch==${torch_version%+cpu}" >&2
    "${pip[@]}" "torch==${torch_version%+cpu}"
fi
"${pip[@]}" "transformers==$transformers_version" safetensors numpy
"$venv/bin/python" -c 'import torch, transformers; print("torch", torch.__version__, "transformers", transformers.__version__)'
