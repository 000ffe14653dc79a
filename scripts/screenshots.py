"""Take a screenshot of every page of the app into docs/screenshots/, on the bundled digits sample.

Run under Xvfb (``xvfb-run -a python scripts/screenshots.py``) or offscreen (``QT_QPA_PLATFORM=offscreen``;
the default when there is no display). It drives the real app: a new project on the digits sample, the
import, a device, a short training run in a child process, the evaluation (a confusion-matrix cell
clicked), "try it" on one file, an int8 compression (a new run) and an int8 TFLite + ONNX export of it
with verification; it grabs each page as it goes. Takes about two minutes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    p.add_argument("--sample", default=str(ROOT / "resources" / "samples" / "digits"))
    p.add_argument("--device", default="esp32-s3")
    p.add_argument("--epochs", type=int, default=4)
    args = p.parse_args(argv)
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="edgeling-shots-"))
    os.environ.setdefault("EDGELING_DATA_DIR", str(work / "data"))   # leave the user's projects alone

    from edgeling.gui.app import create_main_window
    from edgeling.gui.qt import QApplication

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    w = create_main_window()
    w.resize(1280, 800)
    w.show()

    def wait_until(cond, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {what}")
            QApplication.processEvents()
            time.sleep(0.02)

    def settle(seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.02)

    def shot(name: str) -> None:
        settle()
        path = out / f"{name}.png"
        save_small_png(w.grab().toImage(), path)
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)", flush=True)

    from edgeling.core.project import create_project

    for name in ("Grape leaves", "Pump vibration"):          # something in the recent list
        create_project(name)
    w.pages["home"].refresh()
    shot("1-home")

    w.pages["home"].name_edit.setText("Digits")
    w.pages["home"].create_button.click()
    w.pages["data"].import_path(args.sample)
    wait_until(lambda: w.state.dataset is not None, 300, "the import")
    shot("2-data")

    w.show_page("model")
    model = w.pages["model"]
    model.device_box.setCurrentIndex(max(1, model.device_box.findData(args.device)))
    model._on_plan()
    wait_until(lambda: model.plan_button.isEnabled(), 600, "the plan")
    shot("3-model")
    model.arch_box.setCurrentIndex(max(0, model.arch_box.findData("tutorial_cnn")))   # quick to train

    w.show_page("train")
    train = w.pages["train"]
    train.epochs.setValue(args.epochs)
    ended = []
    train.sig_run_ended.connect(lambda status, _e: ended.append(status))
    train.start_training()
    wait_until(lambda: train.curves.series["loss"].n >= 8, 300, "the first training batches")
    shot("4-train-running")
    wait_until(lambda: ended, 900, "training to end")
    shot("4-train")

    w.show_page("evaluate")
    ev = w.pages["evaluate"]
    first = sorted(p for p in Path(args.sample).rglob("*")   # a picture, clip or recording of the sample
                   if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".wav", ".csv"))[0]
    ev.try_file(str(first))
    wait_until(lambda: "The model says" in ev.try_result.text(), 300, "the prediction")
    m = ev.heatmap.matrix
    off = [(m[r, c], r, c) for r in range(m.shape[0]) for c in range(m.shape[1]) if r != c and m[r, c] > 0]
    r, c = max(off)[1:] if off else (0, 0)
    ev.heatmap.sig_cell_clicked.emit(r, c)            # the most common confusion: its samples
    shot("5-evaluate")

    w.show_page("compress")
    comp = w.pages["compress"]
    comp.start_compression()
    wait_until(lambda: not comp.job.running, 900, "the compression")
    shot("6-compress")

    w.show_page("export")
    ex = w.pages["export"]
    ex.export_button.click()
    wait_until(lambda: ex.export_button.isEnabled() and ex.table.rowCount() >= 2, 600, "the exports")
    shot("7-export")
    w.close()
    print(f"Screenshots are in {out}; the work folder was {work}")
    return 0


def save_small_png(image, path: Path) -> None:
    """The window as a 256-colour PNG (a UI needs no more; keeps each file well under 150 KB)."""
    from PIL import Image

    image.save(str(path))
    with Image.open(path) as shot:
        picture = shot.convert("RGB")
    picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


if __name__ == "__main__":
    sys.exit(main())
