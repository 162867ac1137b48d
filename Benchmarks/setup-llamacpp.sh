#!/usr/bin/env bash
# Installs llama-cpp-python into Benchmarks/.venv, compiling llama.cpp for this CPU (GGML_NATIVE,
# as llama.cpp's own release builds for a machine do). Takes ~10+ minutes on 2 cores; a second run
# is instant. Used by compare-llamacpp.sh; safe to run on its own.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import llama_cpp' 2>/dev/null; then
    exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
CMAKE_ARGS="-DGGML_NATIVE=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF" \
CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    "$venv/bin/pip" install --verbose --no-cache-dir "llama-cpp-python${LLAMA_CPP_PYTHON_VERSION:+==$LLAMA_CPP_PYTHON_VERSION}"
"$venv/bin/python" -c 'import llama_cpp; print("llama-cpp-python", llama_cpp.__version__)'
