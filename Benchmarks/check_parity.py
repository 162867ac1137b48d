#!/usr/bin/env python3
"""Fails unless another engine's and SmolScope's last-position logits for the same exported model
agree: a gate before timing, since speed on a file the two engines read differently would mean
nothing. Used by compare-llamacpp.sh (GGUF) and compare-pytorch.sh (HF directory).

usage: check_parity.py REFERENCE.json SMOLSCOPE.npy [TOLERANCE [NOTE]]
  REFERENCE.json: the other engine's last-position logits as a JSON array; NOTE says in the report
  why the two may differ at all (default: llama.cpp's F16 KV cache)."""
import json
import sys

import numpy as np

reference = np.array(json.load(open(sys.argv[1])))
ours = np.load(sys.argv[2])[-1]
tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-2
note = sys.argv[4] if len(sys.argv) > 4 else "llama.cpp keeps an F16 KV cache"
diff = float(abs(reference - ours).max())
print(f"   max |logit difference| {diff:.2e}, tolerance {tolerance:g}, largest |logit| {float(abs(ours).max()):.2f} ({note})",
      file=sys.stderr)
if diff > tolerance:
    sys.exit("the exported model does not compute the same in both engines; timings would be meaningless")
