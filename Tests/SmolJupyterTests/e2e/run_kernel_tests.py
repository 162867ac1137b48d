#!/usr/bin/env python3
"""End-to-end tests of `smol kernel` through Jupyter's own client libraries.

Run by scripts/test-jupyter, which installs the kernelspec into a temporary JUPYTER_PATH. Each
check starts the kernel the way JupyterLab does (jupyter_client's KernelManager, or nbclient for
whole notebooks), on 127.0.0.1 only: the protocol (signatures, unknown messages, interrupts,
aborting queued cells), rich outputs (HTML tables, decodable PNGs of the expected size), parity
with the terminal (`smol run` prints what the cells show), message-spec conformance
(jupyter_kernel_test) and the exported notebooks in notebooks/. Prints one line per check and
ends with "N passed, M failed"; exits non-zero if any check failed.
"""
import argparse
import base64
import glob
import os
import queue
import signal
import struct
import sys
import time
import traceback
import zlib

import nbformat
from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = os.environ.get("SMOL_KERNEL_NAME", "smol")
TIMEOUT = 60
CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


# ---------------------------------------------------------------------------------------------
# Helpers


class Kernel:
    """A kernel started like a frontend starts it, with a blocking client."""

    def __enter__(self):
        self.km, self.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=TIMEOUT)
        return self

    def __exit__(self, *exc):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)

    def execute(self, code, timeout=TIMEOUT, on_output=None):
        """Runs code; returns (reply content, [iopub messages for it])."""
        outputs = []

        def hook(msg):
            outputs.append(msg)
            if on_output:
                on_output(msg)

        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=hook)
        return reply["content"], outputs


def stdout_text(messages):
    return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")


def rich(messages, mime):
    """Data of display_data/execute_result messages holding `mime`."""
    return [m["content"] for m in messages
            if m["msg_type"] in ("display_data", "execute_result") and mime in m["content"]["data"]]


def decode_png(data):
    """Checks a PNG thoroughly (signature, chunk CRCs, IHDR, inflated scanlines); returns
    (width, height, rows of RGB tuples)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, f"CRC of {kind!r}"
        chunks.append((kind, body))
        pos += 12 + length
    assert [k for k, _ in chunks][0] == b"IHDR" and chunks[-1][0] == b"IEND", "chunk order"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour, interlace) == (8, 2, 0), "8-bit RGB, not interlaced"
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + 3 * width
    assert len(raw) == stride * height, "scanline bytes"
    rows = []
    for y in range(height):
        line = raw[y * stride:(y + 1) * stride]
        assert line[0] == 0, "filter type 0"
        rows.append([tuple(line[1 + 3 * x:4 + 3 * x]) for x in range(width)])
    return width, height, rows


def heatmap_rows(text):
    """Rows drawn in a heatmap's text form: lines framed as `label |…|`."""
    return [line for line in text.splitlines() if line.endswith("|") and " |" in line]


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


# ---------------------------------------------------------------------------------------------
# Protocol checks


@check
def kernel_info_names_the_language():
    with Kernel() as k:
        k.kc.kernel_info()
        reply = k.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        expect(reply["status"] == "ok", reply)
        expect(reply["protocol_version"].startswith("5."), reply["protocol_version"])
        expect(reply["language_info"]["name"] == "smol", reply["language_info"])
        expect(reply["language_info"]["file_extension"] == ".smol", reply["language_info"])


@check
def execution_counts_and_errors():
    with Kernel() as k:
        first, _ = k.execute("help syntax")
        second, messages = k.execute("attn 0")
        expect(first["status"] == "ok" and first["execution_count"] == 1, first)
        expect(second["status"] == "error" and second["execution_count"] == 2, second)
        expect(second["ename"] == "NoModel", second)
        errors = [m["content"] for m in messages if m["msg_type"] == "error"]
        expect(len(errors) == 1 and "no model loaded" in errors[0]["evalue"], errors)
        third, _ = k.execute('load tiny\nprompt "hello"\nattn 99', timeout=TIMEOUT)
        expect(third.get("ename") == "OutOfRange" and third["traceback"] == ["line 3: error: " + third["evalue"]], third)


@check
def failed_cell_aborts_queued_cells():
    """JupyterLab's "Run All" sends every cell at once; after a failure the rest are aborted."""
    with Kernel() as k:
        k.execute('load tiny; set stop=off; prompt "x"')
        failing = k.kc.execute("generate 100\nattn 99")
        queued = k.kc.execute("info")
        replies = {}
        while len(replies) < 2:
            msg = k.kc.get_shell_msg(timeout=TIMEOUT)
            replies[msg["parent_header"]["msg_id"]] = msg["content"]
        expect(replies[failing]["status"] == "error", replies[failing])
        expect(replies[queued]["status"] == "aborted", replies[queued])
        after, _ = k.execute("info")
        expect(after["status"] == "ok", after)


@check
def complete_inspect_is_complete():
    with Kernel() as k:
        reply = k.kc.complete("lay", 3, reply=True, timeout=TIMEOUT)["content"]
        expect("layers" in reply["matches"] and reply["cursor_start"] == 0 and reply["cursor_end"] == 3, reply)
        k.execute("load tiny")
        reply = k.kc.complete("tensor model.norm", 17, reply=True, timeout=TIMEOUT)["content"]
        expect("model.norm.weight" in reply["matches"] and reply["cursor_start"] == 7, reply)
        reply = k.kc.inspect("attn 0", 2, reply=True, timeout=TIMEOUT)["content"]
        expect(reply["found"] and "usage: attn" in reply["data"]["text/plain"], reply)
        for code, status in [('prompt """open', "incomplete"), ("layers", "complete")]:
            k.kc.is_complete(code)
            reply = k.kc.get_shell_msg(timeout=TIMEOUT)["content"]
            expect(reply["status"] == status, (code, reply))


def raw_shell(k, key):
    """A shell DEALER socket and a jupyter_client Session signing with `key`."""
    info = k.km.get_connection_info()
    session = Session(key=key, signature_scheme="hmac-sha256")
    socket = k.km.context.socket(__import__("zmq").DEALER)
    socket.linger = 0
    socket.connect(f"tcp://{info['ip']}:{info['shell_port']}")
    return session, socket


@check
def bad_signature_is_rejected():
    import zmq
    with Kernel() as k:
        forged, socket = raw_shell(k, b"not-the-key")
        forged.send(socket, "execute_request", {"code": "load tiny", "silent": False})
        expect(socket.poll(1500, zmq.POLLIN) == 0, "the kernel answered a forged message")
        honest, _ = raw_shell(k, k.km.session.key)
        honest.send(socket, "kernel_info_request", {})
        expect(socket.poll(TIMEOUT * 1000, zmq.POLLIN) != 0, "no reply to a correctly signed request")
        _, reply = honest.recv(socket, mode=0)
        expect(reply["msg_type"] == "kernel_info_reply", reply["msg_type"])
        socket.close()
        content, _ = k.execute("help")
        expect(content["status"] == "ok" and content["execution_count"] == 1, ("the forged cell ran?", content))


@check
def unknown_message_type_gets_a_reply():
    import zmq
    with Kernel() as k:
        session, socket = raw_shell(k, k.km.session.key)
        session.send(socket, "telepathy_request", {})
        expect(socket.poll(TIMEOUT * 1000, zmq.POLLIN) != 0, "no reply to an unknown message type")
        _, reply = session.recv(socket, mode=0)
        socket.close()
        expect(reply["msg_type"] == "telepathy_reply" and reply["content"]["status"] == "error", reply)


def interrupt_generation(interrupt):
    """Starts a long generate, interrupts it once tokens are streaming, and checks the cell ends
    as interrupted and the session still works (and keeps the tokens already generated)."""
    with Kernel() as k:
        setup, _ = k.execute('load tiny; set stop=off; prompt "Once upon a time"')
        expect(setup["status"] == "ok", setup)
        streamed = []

        def on_output(msg):
            if msg["msg_type"] == "stream" and not streamed:
                streamed.append(time.time())
                interrupt(k)

        reply, messages = k.execute("generate 4000", on_output=on_output)
        expect(streamed, "generate produced no streamed output")
        expect(reply["status"] == "error" and reply["ename"] == "Interrupted", reply)
        after, messages = k.execute("info")
        expect(after["status"] == "ok", after)
        k.execute("rewind 0")


@check
def interrupt_request_stops_generate():
    interrupt_generation(lambda k: k.km.interrupt_kernel())


@check
def sigint_stops_generate():
    interrupt_generation(lambda k: os.kill(k.km.provisioner.process.pid, signal.SIGINT))


def smol_path():
    """The smol binary the kernelspec runs."""
    from jupyter_client.kernelspec import KernelSpecManager
    return KernelSpecManager().get_kernel_spec(KERNEL).argv[0]


def terminal_transcript(statements):
    """What `smol run` prints for each statement (the terminal REPL's interpreter)."""
    import subprocess
    out = subprocess.run([smol_path(), "run", "--keep-going", "-"], input="\n".join(statements) + "\n",
                         capture_output=True, text=True, timeout=TIMEOUT).stdout
    chunks = out.split("smol> ")[1:]
    return {s: chunk[len(s):].lstrip("\n") for s, chunk in zip(statements, chunks)}


@check
def cells_show_what_the_terminal_shows():
    statements = ["load tiny", "info", "layers", 'prompt "The quick brown fox"', "step 3", "attn 3 --heatmap",
                  "attn 0 1", "tensor model.norm.weight", "logitlens --chart", "kv 1", "tokenize hello world"]
    expected = terminal_transcript(statements)
    expect(len(expected) == len(statements), f"smol run printed {len(expected)} of {len(statements)} statements")
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell(s) for s in statements]
    run_notebook(nb)
    for statement, c in zip(statements, nb.cells):
        want = "\n".join(line.rstrip() for line in expected[statement].splitlines()).strip()
        expect(plain_text(c.outputs) == want,
               f"{statement!r}:\n--- smol run\n{want}\n--- kernel\n{plain_text(c.outputs)}")


@check
def message_spec_conformance():
    import conformance
    code = 'load tiny\nprompt "a b"\nattn 0 2'
    result = terminal_transcript(code.split("\n"))["attn 0 2"].rstrip("\n")
    outcome = conformance.run(KERNEL, {"code": code, "result": result})
    problems = outcome.failures + outcome.errors
    expect(not problems, "\n".join(f"{test.id()}:\n{trace}" for test, trace in problems))
    expect(outcome.testsRun - len(outcome.skipped) >= 5, f"only {outcome.testsRun - len(outcome.skipped)} ran")


# ---------------------------------------------------------------------------------------------
# Notebooks


def run_notebook(nb, path="."):
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=TIMEOUT * 3, allow_errors=False,
                            resources={"metadata": {"path": path}})
    client.execute()
    return nb


def cell(source, raises=False):
    c = nbformat.v4.new_code_cell(source)
    if raises:
        c.metadata["tags"] = ["raises-exception"]
    return c


@check
def generated_notebook_rich_outputs():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        cell("load tiny"),
        cell("layers"),
        cell('prompt "The quick brown fox jumps over"'),
        cell("attn 0 --heatmap"),
        cell("tensor model.norm.weight"),
        cell("logitlens --chart"),
        cell("attn 99", raises=True),
        cell("generate 3"),
    ]
    run_notebook(nb)
    outs = [c.outputs for c in nb.cells]

    expect("tiny" in "".join(o.get("text", "") for o in outs[0]), outs[0])

    tables = [o for o in outs[1] if "text/html" in o.get("data", {})]
    expect(len(tables) == 1 and "<table>" in tables[0]["data"]["text/html"], outs[1])
    expect("text/plain" in tables[0]["data"], "a table without its text form")
    layer_rows = tables[0]["data"]["text/html"].count("<tr>") - 1
    expect(layer_rows == 8, f"layers: {layer_rows} rows for the 8-layer tiny model")

    pictures = [o for o in outs[3] if "image/png" in o.get("data", {})]
    expect(len(pictures) == 1, outs[3])
    picture = pictures[0]
    expect(picture["output_type"] == "execute_result", picture["output_type"])
    tokens = len(heatmap_rows(picture["data"]["text/plain"]))
    expect(tokens >= 2, "the heatmap's text form shows one row per token")
    width, height, rows = decode_png(base64.b64decode(picture["data"]["image/png"]))
    cell_px = max(1, min(24, 384 // tokens))
    expect((width, height) == (tokens * cell_px, tokens * cell_px),
           f"heatmap {width}x{height}, expected {tokens * cell_px} square for {tokens} tokens")
    expect(picture["metadata"]["image/png"] == {"width": width, "height": height}, picture["metadata"])
    # Causal attention: the first query sees only itself (probability 1, the brightest colour); the
    # last key is masked for it (no value, grey).
    expect(rows[0][0] == (253, 231, 37), f"top-left pixel {rows[0][0]}")
    expect(rows[0][width - 1] == (220, 220, 220), f"top-right pixel {rows[0][width - 1]}")

    histograms = [o for o in outs[4] if "image/png" in o.get("data", {})]
    expect(len(histograms) == 1, "tensor … shows a histogram picture")
    decode_png(base64.b64decode(histograms[0]["data"]["image/png"]))
    expect(any(o["output_type"] == "stream" for o in outs[4]), "tensor … prints its statistics as text")

    charts = [o for o in outs[5] if "image/png" in o.get("data", {})]
    expect(len(charts) == 1, "logitlens --chart shows a bar chart picture")
    decode_png(base64.b64decode(charts[0]["data"]["image/png"]))

    errors = [o for o in outs[6] if o["output_type"] == "error"]
    expect(len(errors) == 1 and errors[0]["ename"] == "OutOfRange", outs[6])
    expect(outs[7] and outs[7][0]["output_type"] == "stream", "the notebook goes on after an error")


def plain_text(outputs):
    """A cell's outputs as the terminal shows them: stream text and the text form of values."""
    parts = []
    for o in outputs:
        if o["output_type"] == "stream":
            parts.append(o["text"])
        elif o["output_type"] in ("display_data", "execute_result"):
            text = o["data"].get("text/plain", "")
            parts.append(text if text.endswith("\n") else text + "\n")
        elif o["output_type"] == "error":
            parts.append("error: " + o["evalue"] + "\n")
    return "\n".join(line.rstrip() for line in "".join(parts).splitlines()).strip()


def notebook_check(path):
    def run():
        recorded = nbformat.read(path, as_version=4)
        nbformat.validate(recorded)
        # JupyterLab starts the kernel the notebook names; a wrong name means "no such kernel".
        spec = recorded.metadata.get("kernelspec", {})
        expect(spec.get("name") == KERNEL and spec.get("language") == "smol",
               f"metadata.kernelspec is {dict(spec)}, but the installed kernelspec is named {KERNEL!r}")
        executed = run_notebook(nbformat.read(path, as_version=4), path=os.path.dirname(path))
        for index, (old, new) in enumerate(zip(recorded.cells, executed.cells)):
            if old.cell_type != "code" or not old.get("outputs"):
                continue
            before, after = plain_text(old.outputs), plain_text(new.outputs)
            expect(before == after, f"cell {index} ({old.source.splitlines()[0] if old.source else ''!r}) "
                                    f"output changed:\n--- recorded\n{before}\n--- kernel\n{after}")
    run.__name__ = f"notebook {os.path.basename(path)} executes with the recorded outputs"
    return run


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--notebooks", default="notebooks", help="directory of exported .ipynb notebooks")
    parser.add_argument("-k", default="", help="run only checks whose name contains this")
    args = parser.parse_args()

    checks = list(CHECKS)
    for path in sorted(glob.glob(os.path.join(args.notebooks, "*.ipynb"))):
        checks.append(notebook_check(os.path.abspath(path)))

    passed = failed = 0
    for fn in checks:
        name = fn.__name__.replace("_", " ") if fn in CHECKS else fn.__name__
        if args.k and args.k not in name:
            continue
        start = time.time()
        try:
            fn()
        except CellExecutionError as error:
            failed += 1
            print(f"FAIL {name}: a cell failed:\n{error}", flush=True)
            continue
        except Exception:
            failed += 1
            print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
            continue
        passed += 1
        print(f"ok   {name} ({time.time() - start:.1f}s)", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
