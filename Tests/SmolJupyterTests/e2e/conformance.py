"""Message-spec conformance of `smol kernel`, checked by jupyter_kernel_test (the Jupyter
project's kernel test suite): every reply and broadcast is validated against the protocol's
message schemas while these samples run."""
import unittest

import jupyter_kernel_test as jkt


class SmolKernelConformance(jkt.KernelTests):
    kernel_name = "smol"
    language_name = "smol"
    file_extension = ".smol"

    completion_samples = [{"text": "lay", "matches": {"layers"}}]
    complete_code_samples = ["layers", "help attn", "prompt 'a b'"]
    incomplete_code_samples = ['prompt """an open', "generate \\"]
    code_inspect_sample = "attn"
    # Runs before any model is loaded in the suite's kernel, whatever the test order.
    code_generate_error = "stpe 3"
    # The first picture of the cell is display_data; the last output is the execute_result.
    code_display_data = [{"code": 'load tiny\nprompt "a b c"\nattn 0 --heatmap\nattn 1 --heatmap', "mime": "image/png"}]
    # Filled in by the caller: the text `smol run` prints for the cell's last statement.
    code_execute_result = []


def run(kernel_name, execute_result):
    """Runs the suite; returns the unittest result."""
    SmolKernelConformance.kernel_name = kernel_name
    SmolKernelConformance.code_execute_result = [execute_result]
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(SmolKernelConformance)
    return unittest.TextTestRunner(verbosity=0, stream=open("/dev/null", "w")).run(suite)
