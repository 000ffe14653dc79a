"""Check edgeling_run.py (the runner written beside a .tflite / .onnx export) under other Pythons than the app's.

    python scripts/runner_pythons.py EXPORT_FOLDER "FILES_GLOB" [PYTHON ...]

For each Python (default: python3.9 and python3.12 from PATH), makes a venv under ``.runner-venvs/`` with only
what the runner's docstring asks a Raspberry Pi owner to install (numpy, pillow, soundfile, ai-edge-litert,
onnxruntime: this step needs the network), then runs every model of EXPORT_FOLDER with the runner on up to 40
of the files and compares the labels and confidences with ``edgeling predict`` on the same files. Prints one
line per Python and model. Raspberry Pi OS ships Python 3.9 (Bullseye) and 3.11 (Bookworm).
"""

from __future__ import annotations

import glob
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGES = ["numpy", "pillow", "soundfile", "ai-edge-litert", "onnxruntime"]


def venv_python(python: str, root: Path) -> Path:
    folder = root / Path(python).name
    exe = folder / "bin" / "python"
    if not exe.exists():
        subprocess.run([python, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(exe), "-m", "pip", "install", "-q", *PACKAGES], check=True)
    return exe


def compare(exe: Path, model: Path, files: list[str]) -> str:
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); from edgeling_run import Model; "
            "m = Model(sys.argv[2]); print(json.dumps([m.predict(f) for f in sys.argv[3:]]))")
    got = json.loads(subprocess.run([str(exe), "-c", code, str(model.parent), str(model), *files],
                                    capture_output=True, text=True, check=True).stdout)
    ref = json.loads(subprocess.run(["edgeling", "predict", str(model), *files, "--json"],
                                    capture_output=True, text=True, check=True).stdout)["predictions"]
    same = sum(a["label"] == b["label"] for a, b in zip(got, ref))
    diff = max(abs(a["confidence"] - b["confidence"]) for a, b in zip(got, ref))
    version = subprocess.run([str(exe), "-c", "import sys; print(sys.version.split()[0])"], capture_output=True,
                             text=True).stdout.strip()
    return f"Python {version}, {model.name}: {same} of {len(files)} labels as Edgeling's, confidence within {diff:.2g}"


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    folder, pattern = Path(sys.argv[1]), sys.argv[2]
    pythons = sys.argv[3:] or [p for p in ("python3.9", "python3.12") if shutil.which(p)]
    files = sorted(glob.glob(pattern, recursive=True))
    random.Random(0).shuffle(files)
    files = files[:40]
    models = sorted([*folder.glob("*.tflite"), *folder.glob("*.onnx")])
    root = Path(".runner-venvs")
    for python in pythons:
        exe = venv_python(python, root)
        for model in models:
            print(compare(exe, model, files), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
