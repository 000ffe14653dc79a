"""Edgeling's default training vs a tuned scikit-learn baseline on each bundled sample, on the SAME split.

    python bench/baselines.py [--samples digits words pump orders] [--split-seeds 0] [--threads 1]

For each sample and each split seed (``ImportOptions.seed``; 0 is the split the app uses):

- import it with ``open_dataset`` and take its train / validation / test split (``ds.splits``);
- scikit-learn (a development dependency, never used by the app) on a sensible feature vector:
  digits: the pixels (0..1); words: Edgeling's own log-mel front end (the ``audio_cnn`` default, the model
  auto-sizing picks for this sample), flattened, plus per-band mean and spread over time; pump: the
  ``spectral_dense`` front end's features (orientation-free band powers and statistics); orders: ``ds.x``
  (the imported, encoded table). A small grid (logistic regression, random forest, gradient boosting,
  RBF SVM) is fitted on the training split and the model with the best validation accuracy (ties: macro-F1,
  then grid order) is scored on the test split. The spread of test accuracy over the whole grid is shown
  too, to tell how much the pick matters.
- Edgeling with default settings: ``train_run(data, out, device=<a typical device>)``, its test metrics.

Prints one table, with the test split size and a 95% Wilson interval for each test accuracy (small test
splits make differences of a few points meaningless). With several ``--split-seeds`` it also prints the
mean over seeds (each seed is a different split, so this is repeated hold-out, not one lucky split).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = ROOT / "resources" / "samples"

# sample -> (data path, import options, a typical target device)
SAMPLES = {
    "digits": ("digits", {}, "esp32-s3"),
    "words": ("words", {}, "raspberry-pi-4"),
    "pump": ("pump", {}, "arduino-nano-33-ble-sense"),
    "orders": ("orders/commandes.csv", {"target": "retourné"}, "this-computer"),
}


def open_sample(name: str, split_seed: int = 0):
    from edgeling.core.data.load import ImportOptions, open_dataset

    rel, options, _ = SAMPLES[name]
    return open_dataset(SAMPLES_DIR / rel, options=ImportOptions(**options, seed=split_seed))


def features(name: str, ds) -> np.ndarray:
    """A sensible feature vector per sample for scikit-learn (computed with Edgeling's own front ends;
    their normalisation statistics come from the training split only)."""
    from edgeling.core.data.dataset import TRAIN
    from edgeling.core.models import zoo

    x = ds.x
    if ds.kind == "images":
        return x.reshape(len(x), -1).astype(np.float32) / 255.0
    if ds.kind == "table":
        return np.asarray(x, np.float32)
    spec = zoo.InputSpec.from_dataset(ds)
    arch = "audio_cnn" if ds.kind == "audio" else "spectral_dense"
    knobs = zoo.default_knobs(arch, spec)
    frontend = zoo.fit_frontend(arch, spec, x[ds.indices(TRAIN)], knobs)
    f = zoo.apply_frontend(frontend, x)
    if ds.kind == "audio":  # (N, 1, frames, mels): the whole picture, plus its per-band summary
        pic = f[:, 0]
        return np.concatenate([pic.reshape(len(pic), -1), pic.mean(1), pic.std(1)], axis=1)
    return f.reshape(len(f), -1)


def grid(num_features: int, class_weight: str | None = None):
    """(label, estimator) pairs; every one scales its inputs where that matters. ``class_weight="balanced"``
    weighs rare classes up, as Edgeling's defaults do when the classes are 2:1 or more uneven."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    out = []
    for c in (0.01, 0.1, 1.0, 10.0):
        out.append((f"logreg C={c}", make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=3000,
                                                                                     class_weight=class_weight))))
    for depth in (None, 12):
        out.append((f"forest depth={depth}", RandomForestClassifier(n_estimators=300, max_depth=depth,
                                                                    random_state=0, n_jobs=1,
                                                                    class_weight=class_weight)))
    for lr in (0.05, 0.15):
        out.append((f"hgb lr={lr}", HistGradientBoostingClassifier(learning_rate=lr, max_iter=100,
                                                                   random_state=0, class_weight=class_weight)))
    for c in (1.0, 10.0, 100.0):
        out.append((f"svm C={c}", make_pipeline(StandardScaler(), SVC(C=c, gamma="scale", class_weight=class_weight))))
    return out


def macro_f1(y_true, y_pred) -> float:
    """Mean F1 over the classes present in ``y_true`` (the same definition as Edgeling's metrics)."""
    from sklearn.metrics import f1_score

    labels = np.unique(y_true)
    return float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0))


def wilson(acc: float, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (float("nan"), float("nan"))
    centre = (acc + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(acc * (1 - acc) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def sklearn_baseline(name: str, ds, class_weight: str | None = None) -> dict:
    from sklearn.metrics import accuracy_score
    from threadpoolctl import threadpool_limits

    from edgeling.core.data.dataset import TEST, TRAIN, VAL

    f = features(name, ds)
    y = np.asarray(ds.y)
    tr, va, te = ds.indices(TRAIN), ds.indices(VAL), ds.indices(TEST)
    rows = []
    for label, est in grid(f.shape[1], class_weight):
        # one BLAS / OpenMP thread: on a shared 2-core machine more threads made gradient boosting 17x
        # slower (251 s instead of 15 s on digits)
        with warnings.catch_warnings(), threadpool_limits(1):
            warnings.simplefilter("ignore")
            est.fit(f[tr], y[tr])
        pv, pt = est.predict(f[va]), est.predict(f[te])
        rows.append({"model": label, "val_acc": accuracy_score(y[va], pv), "val_f1": macro_f1(y[va], pv),
                     "test_acc": accuracy_score(y[te], pt), "test_f1": macro_f1(y[te], pt)})
    best = max(enumerate(rows), key=lambda r: (r[1]["val_acc"], r[1]["val_f1"], -r[0]))[1]
    tests = [r["test_acc"] for r in rows]
    return {**best, "grid_test_min": min(tests), "grid_test_max": max(tests), "num_features": f.shape[1]}


def edgeling_default(name: str, split_seed: int, work: Path, threads: int | None) -> dict:
    from edgeling.core.jobs.train_job import train_run

    rel, options, device = SAMPLES[name]
    out = work / f"{name}-split{split_seed}"
    params = {"import_options": {**options, "seed": split_seed}}
    if threads:
        params["threads"] = threads
    t0 = time.perf_counter()
    result = train_run(SAMPLES_DIR / rel, out, device=device, **params)
    m = result["metrics"]
    from edgeling.core import runs

    cfg = runs.load_run(out).config
    return {"test_acc": m["accuracy"], "test_f1": m["macro_f1"], "arch": cfg["arch"], "epochs":
            result["epochs_done"], "seconds": time.perf_counter() - t0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", nargs="+", default=list(SAMPLES), choices=list(SAMPLES))
    ap.add_argument("--split-seeds", nargs="+", type=int, default=[0])
    ap.add_argument("--threads", type=int, default=None, help="torch threads for Edgeling (default: all)")
    ap.add_argument("--class-weight", choices=["balanced"], default=None,
                    help="weigh rare classes up in every scikit-learn model (Edgeling does by default when the "
                         "classes are 2:1 or more uneven, e.g. orders)")
    ap.add_argument("--no-edgeling", action="store_true", help="only the scikit-learn side")
    args = ap.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="edgeling-baselines-") as tmp:
        work = Path(tmp)
        for name in args.samples:
            for seed in args.split_seeds:
                ds = open_sample(name, seed)
                counts = ds.split_counts()
                if min(counts.values()) == 0:  # a tiny sample can hash no group into a split
                    print(f"{name} split {seed}: train/val/test {counts['train']}/{counts['validation']}/"
                          f"{counts['test']}: an empty split, skipped")
                    continue
                t0 = time.perf_counter()
                sk = sklearn_baseline(name, ds, args.class_weight)
                sk_s = time.perf_counter() - t0
                ed = None if args.no_edgeling else edgeling_default(name, seed, work, args.threads)
                rows.append((name, seed, counts, sk, sk_s, ed))
                _print_row(rows[-1])
                sys.stdout.flush()
    print()
    _print_table(rows)
    return 0


def _fmt_ci(acc: float, n: int) -> str:
    lo, hi = wilson(acc, n)
    return f"{acc:.3f} [{lo:.2f}-{hi:.2f}]"


def _print_row(row) -> None:
    name, seed, counts, sk, sk_s, ed = row
    print(f"{name} split {seed}: train/val/test {counts['train']}/{counts['validation']}/{counts['test']}; "
          f"sklearn pick {sk['model']} (val acc {sk['val_acc']:.3f}, {sk['num_features']} features, "
          f"{sk_s:.0f}s), test acc {sk['test_acc']:.3f} (grid {sk['grid_test_min']:.3f}..{sk['grid_test_max']:.3f})"
          + ("" if ed is None else f"; edgeling {ed['arch']} {ed['epochs']} epochs {ed['seconds']:.0f}s, "
                                   f"test acc {ed['test_acc']:.3f}"))


def _print_table(rows) -> None:
    head = (f"{'sample':7} {'split':>5} {'n_test':>6}  {'sklearn acc [95% CI]':22} {'sk F1':>6}  "
            f"{'edgeling acc [95% CI]':22} {'ed F1':>6}  {'diff':>6}")
    print(head)
    print("-" * len(head))
    for name, seed, counts, sk, _, ed in rows:
        n = counts["test"]
        line = f"{name:7} {seed:>5} {n:>6}  {_fmt_ci(sk['test_acc'], n):22} {sk['test_f1']:6.3f}  "
        if ed is not None:
            line += f"{_fmt_ci(ed['test_acc'], n):22} {ed['test_f1']:6.3f}  {ed['test_acc'] - sk['test_acc']:+6.3f}"
        print(line)
    names = sorted({r[0] for r in rows}, key=list(SAMPLES).index)
    if len({r[1] for r in rows}) > 1:
        print("\nmean over split seeds (test accuracy / macro-F1):")
        for name in names:
            mine = [r for r in rows if r[0] == name]
            sk_acc = statistics.mean(r[3]["test_acc"] for r in mine)
            sk_f1 = statistics.mean(r[3]["test_f1"] for r in mine)
            line = f"  {name:7} sklearn {sk_acc:.3f} / {sk_f1:.3f}"
            if mine[0][5] is not None:
                ed_acc = statistics.mean(r[5]["test_acc"] for r in mine)
                ed_f1 = statistics.mean(r[5]["test_f1"] for r in mine)
                line += f"   edgeling {ed_acc:.3f} / {ed_f1:.3f}   diff {ed_acc - sk_acc:+.3f}"
            print(f"{line}   ({sum(r[2]['test'] for r in mine)} test samples in all)")


if __name__ == "__main__":
    sys.exit(main())
