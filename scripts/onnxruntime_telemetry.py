"""Does ONNX Runtime, left alone, queue telemetry on this machine, and does Edgeling stop it?

ONNX Runtime 1.29 and later keep an offline telemetry queue and a device id under
``~/.cache/Microsoft/DeveloperTools/.onnxruntime/`` on Linux and macOS. Whether a given version writes them on a
given machine varies (1.32.0 here writes them every time; the CI machine's ONNX Runtime wrote nothing), so this
control runs as a script, not a test: each case runs in a fresh process with an empty home folder of its own, and
the files left behind are printed side by side. ``tests/core/test_no_telemetry.py`` holds Edgeling to leaving none.

    python scripts/onnxruntime_telemetry.py
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
from pathlib import Path

MAKE_MODEL = """
import sys
from onnx import TensorProto, helper
g = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g",
                      [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
m.ir_version = 8
open(sys.argv[1], "wb").write(m.SerializeToString())
"""
CASES = {
    "ONNX Runtime alone": """
import sys, numpy as np, onnxruntime as ort
s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
s.run(None, {"x": np.ones((1, 4), np.float32)})
""",
    "Edgeling": """
import sys, numpy as np
from edgeling.core.export.runtimes import OnnxRunner
OnnxRunner(sys.argv[1]).predict(np.ones((2, 4), np.float32))
""",
}


def files_left(home: Path, code: str, model: Path) -> list[str]:
    """The files a fresh Python process running ``code`` on ``model`` leaves in ``home`` (its home folder), with
    the opt-out taken out of its environment (``tests/core/test_no_telemetry.py`` uses this too)."""
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), USERPROFILE=str(home))
    done = subprocess.run([sys.executable, "-c", code, str(model)], env=env, capture_output=True, text=True,
                          timeout=300)
    if done.returncode:
        raise RuntimeError(f"the process failed: {done.stderr}")
    return sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())


def main() -> int:
    import onnxruntime

    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "relu.onnx"
        subprocess.run([sys.executable, "-c", MAKE_MODEL, str(model)], check=True)
        print(f"ONNX Runtime {onnxruntime.__version__}, {sys.platform}")
        for i, (name, code) in enumerate(CASES.items()):
            home = Path(tmp) / f"home{i}"
            home.mkdir()
            left = files_left(home, code, model)
            print(f"{name}: {', '.join(left) if left else 'nothing written'}")
    return 0


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
