"""Is the window responsive while it trains, and does training from the window cost speed?

Prints, measured in one run:
- the longest event-loop stall while the app trains the tutorial CNN on the digits sample in its job
  child (a 10 ms QTimer records the largest gap between its ticks; target under 100 ms);
- training throughput from the window vs the headless CLI (``edgeling train --events jsonl``) on the same
  job, as the median samples/s the training loop reports (target at least 0.9x);
- cold start to the first drawn window vs ``python -c "import PySide6"`` (median of 3 fresh processes).

Runs offscreen unless a display is set: ``python bench/gui_responsiveness.py [--epochs 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "samples" / "digits"
TICK_MS = int(os.environ.get("EDGELING_BENCH_TICK_MS", "10"))  # the stall probe: a timer this often
COLD_START = ("import time, sys; t = time.perf_counter(); from edgeling.gui.app import create_main_window; "
              "from edgeling.gui.qt import QApplication; w = create_main_window(); w.show(); "
              "QApplication.processEvents(); print(time.perf_counter() - t)")


def wall(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def cold_start(env: dict, repeats: int = 3) -> tuple[float, float]:
    app = [wall([sys.executable, "-c", COLD_START], env) for _ in range(repeats)]
    qt = [wall([sys.executable, "-c", "import PySide6.QtWidgets"], env) for _ in range(repeats)]
    return statistics.median(app), statistics.median(qt)


def headless_throughput(data: Path, out: Path, device: str, epochs: int, env: dict) -> float:
    cmd = [sys.executable, "-m", "edgeling.core.cli", "train", str(data), "--device", device, "--arch",
           "tutorial_cnn", "--epochs", str(epochs), "--out", str(out), "--events", "jsonl"]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    rates = []
    for line in r.stdout.splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev.get("event") == "BatchEnd" and ev.get("samples_per_s"):
            rates.append(float(ev["samples_per_s"]))
    return statistics.median(rates[len(rates) // 4:]) if rates else float("nan")


def gui_run(data: Path, device: str, epochs: int) -> tuple[float, float, int]:
    """(longest stall in ms, median samples/s, redraws) for a training run started from the window."""
    from edgeling.gui.app import create_main_window
    from edgeling.gui.qt import QApplication, QEventLoop, QTimer

    w = create_main_window()
    w.resize(1280, 800)
    w.show()
    w.pages["home"].name_edit.setText("Bench")
    w.pages["home"].create_button.click()
    w.pages["data"].import_path(str(data))
    while w.state.dataset is None:
        QApplication.processEvents()
        time.sleep(0.01)
    w.state.project.update(device=device, model={"arch": "tutorial_cnn"})
    w.show_page("train")
    page = w.pages["train"]
    page.epochs.setValue(epochs)
    rates: list[float] = []
    page.job.sig_event.connect(lambda ev: rates.append(ev.samples_per_s)
                               if type(ev).__name__ == "BatchEnd" and ev.samples_per_s else None)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    ended: list[str] = []
    page.sig_run_ended.connect(lambda status, _e: ended.append(status))
    loop = QEventLoop()
    page.sig_run_ended.connect(lambda *_: loop.quit())
    page.start_training()
    timer.start()
    last[0] = time.perf_counter()
    loop.exec()           # the real event loop, idle between events, as in the app
    timer.stop()
    w.close()
    if ended[0] != "finished":
        raise SystemExit(f"training from the window ended as {ended[0]}: {page.status.text()}")
    stall_ms = (max(gaps) - TICK_MS / 1000) * 1000 if gaps else float("nan")
    return stall_ms, statistics.median(rates[len(rates) // 4:]), page.curves.redraws


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=str(SAMPLE))
    p.add_argument("--device", default="esp32-s3")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--rounds", type=int, default=2, help="alternating window / CLI runs")
    args = p.parse_args(argv)
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="edgeling-bench-gui-"))
    os.environ.setdefault("EDGELING_DATA_DIR", str(work / "data"))
    env = dict(os.environ)

    app_s, qt_s = cold_start(env)
    print(f"cold start to first window: {app_s:.2f} s (python -c 'import PySide6.QtWidgets': {qt_s:.2f} s)",
          flush=True)
    # Window and CLI runs alternate, so a change in the machine's load hits both sides alike.
    stalls, gui_rates, cli_rates = [], [], []
    for r in range(args.rounds):
        cli_rates.append(headless_throughput(Path(args.data), work / f"cli-run-{r}", args.device, args.epochs,
                                             env))
        stall_ms, gui_rate, redraws = gui_run(Path(args.data), args.device, args.epochs)
        stalls.append(stall_ms)
        gui_rates.append(gui_rate)
        print(f"round {r + 1}: window {gui_rate:,.0f} samples/s (longest stall {stall_ms:.0f} ms, {redraws} "
              f"redraws), CLI {cli_rates[-1]:,.0f} samples/s", flush=True)
    gui_rate, cli_rate = statistics.median(gui_rates), statistics.median(cli_rates)
    print(f"longest event-loop stall while training: {max(stalls):.0f} ms (target < 100 ms)", flush=True)
    print(f"training throughput: window {gui_rate:,.0f} samples/s, headless CLI {cli_rate:,.0f} samples/s "
          f"(medians of {args.rounds} alternating runs), ratio {gui_rate / cli_rate:.2f}x (target >= 0.9x)",
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
