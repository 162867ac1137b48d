#!/usr/bin/env python3
"""Fails unless llama.cpp's and SmolScope's last-position logits for the same exported GGUF agree:
a gate before timing, since speed on a file the two engines read differently would mean nothing.

usage: check_parity.py LLAMACPP.json SMOLSCOPE.npy [TOLERANCE]"""
import json
import sys

import numpy as np

llama = np.array(json.load(open(sys.argv[1])))
ours = np.load(sys.argv[2])[-1]
tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-2
diff = float(abs(llama - ours).max())
print(f"   max |logit difference| {diff:.2e} (llama.cpp keeps an F16 KV cache)", file=sys.stderr)
if diff > tolerance:
    sys.exit("the exported GGUF does not compute the same model in both engines; timings would be meaningless")
