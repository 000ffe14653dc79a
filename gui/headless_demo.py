"""What ``edgeling-studio`` does when there is no display: a short demo in the terminal on a bundled
sample, through the same core code the app and the CLI use. Never imports Qt.

Steps run as far as this build goes: import the digits sample and report on it; then, when the
``train`` and ``export`` commands exist, train a tiny model and export it (each through the CLI's own code
path), and print the results."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

DEMO_SAMPLE = "digits"
DEMO_DEVICE = "esp32-s3"
DEMO_ARCH = "tutorial_cnn"      # the app sizes a network for the device; the demo stays quick


def say(text: str) -> None:
    print(text, flush=True)


def samples_root() -> Path:
    """The bundled samples (``EDGELING_SAMPLES_DIR`` overrides, for tests)."""
    env = os.environ.get("EDGELING_SAMPLES_DIR")
    if env:
        return Path(env)
    from edgeling.core.resources import samples_dir

    return samples_dir()


def sample_path(name: str = DEMO_SAMPLE) -> Path | None:
    root = samples_root()
    candidates = [root / name, *sorted(root.glob("*"))] if root.is_dir() else []
    return next((p for p in candidates if p.exists() and not p.name.startswith(".")), None)


def demo_folder() -> Path:
    """Where the demo writes: one folder, ``demo`` in Edgeling's own data folder (beside ``projects``), that
    each demo empties of what the previous one wrote (its run and its model files; nothing else). The demo
    tells the user to look there, so its files stay after it ends; a new temporary folder per run
    (``/tmp/edgeling-demo-*``) piled up."""
    from edgeling.core.project import data_root

    folder = data_root() / "demo"
    for old in [folder / "run", *folder.glob("model-*")]:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_demo(out_dir: str | None = None) -> int:
    from edgeling.core.cli import COMMAND_MODULES
    from edgeling.core.cli import main as cli_main
    from edgeling.core.data.dataset import DataError
    from edgeling.core.data.load import open_dataset

    say("No display found, so Edgeling runs its demo in this terminal instead of opening a window.")
    say("(Run it on a desktop to get the app; `edgeling --help` lists every command.)")
    data = sample_path()
    if data is None:
        say("No bundled sample is installed, so there is nothing to demonstrate. Reinstall Edgeling.")
        return 1
    say(f"\n1. Importing the sample {data.name} ({data})")
    try:
        ds = open_dataset(data)
    except (DataError, ModuleNotFoundError) as e:
        say(f"   The sample could not be imported: {e}")
        return 1
    say(f"   {ds.num_samples} samples of {ds.kind}, shape {list(ds.sample_shape)}, task {ds.task}")
    if ds.task == "classification":
        say("   classes: " + ", ".join(f"{k} ({v})" for k, v in ds.class_counts().items()))
    say("   " + ds.report.text().replace("\n", "\n   "))
    commands = {m.rpartition(".")[2] for m in COMMAND_MODULES}
    if "train" not in commands:
        say("\n2. Training is not part of this build yet; the demo stops here.")
        return 0
    try:
        work = Path(out_dir) if out_dir else demo_folder()
    except OSError as e:         # a read-only or full home folder: said plainly, as everywhere
        say(f"\n2. The demo could not write its files in {e.filename or 'its folder'} ({e.strerror or e}). Free "
            "some space, or make that folder one you can write to, and run it again.")
        return 1
    run_dir = work / "run"
    say(f"\n2. Training a tiny model (the smallest network, 2 epochs) for the {DEMO_DEVICE} board into "
        f"{run_dir}")
    code = _cli(cli_main, ["train", str(data), "--device", DEMO_DEVICE, "--arch", DEMO_ARCH, "--epochs", "2",
                           "--out", str(run_dir)])
    if code != 0:
        say("   Training did not finish; see the message above.")
        return code
    if "export" not in commands:
        say("\n3. Exporting is not part of this build yet; the demo stops here.")
        return 0
    for step, (fmt, ext) in enumerate((("tflite-int8", ".tflite"), ("onnx", ".onnx")), start=3):
        out = work / f"model-{fmt}{ext}"
        say(f"\n{step}. Exporting {fmt} to {out} and checking it")
        code = _cli(cli_main, ["export", str(run_dir), "--format", fmt, "--out", str(out)])
        if code != 0:
            return code
    say(f"\nDone. Everything the demo wrote is in {work}" + ("" if out_dir else " (the next demo replaces it)"))
    return 0


def _cli(cli_main, args: list[str]) -> int:
    try:
        return int(cli_main(args) or 0)
    except SystemExit as e:          # argparse refused the arguments (a mismatch with this build's CLI)
        return int(e.code or 2)


if __name__ == "__main__":
    sys.exit(run_demo())
