"""Cross-validation: ``K`` runs, each trained without one part of the data and tested on it
(``data/folds.py``), so every sample is tested exactly once by a model that never saw it. The pooled
results (one confusion matrix of all the samples, the accuracy on each class, and with speakers in the file
names every speaker's accuracy) say far more than one test split of a tenth of the data: a paper's numbers.

``OUT/fold-k`` is an ordinary run (evaluate, export, predict work on it); ``OUT/crossval.json`` holds the
pooled metrics and each fold's; ``OUT/results/`` the files of ``results_files.write_results``. A job
(``crossval_job``): a child process for the app, in-process for the CLI and tests; Stop ends it between
batches like training (the finished folds stay, and running it again carries on).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from edgeling.core import runs
from edgeling.core.jobs.context import JobContext
from edgeling.core.jobs.events import Progress
from edgeling.core.results_words import CROSSVAL_SPLIT, stored_range

TARGET = "edgeling.core.training.crossval.crossval_job"
CROSSVAL_FILE = "crossval.json"
RESULTS_FOLDER = "results"
DEFAULT_FOLDS = 5


def fold_dir(out: Path, k: int) -> Path:
    return Path(out) / f"fold-{k}"


def _default_parts(params: dict, ctx: JobContext) -> int:
    """DEFAULT_FOLDS, or fewer when the data holds fewer machines (speakers, parcels) than that, too few for a
    test of their own, which cross-validation then holds out one a part (the regression walk: a sheet naming 3
    parcels failed 'too few for 5 parts' with no parts asked for)."""
    from edgeling.core.data.dataset import DataError
    from edgeling.core.training.setup import open_data

    try:
        meta = open_data({"data": params.get("data"), "kind": params.get("kind"),       # read as the parts read it
                          "import_options": params.get("import_options")}, ctx).meta or {}
    except DataError:
        return DEFAULT_FOLDS         # said by the first part's training, as before
    few = meta.get("few_subjects") if not meta.get("subjects") else None
    if isinstance(few, list) and 2 <= len(few) < DEFAULT_FOLDS:
        ctx.log(f"{len(few)} parts, one for each of the {len(few)} named by {meta.get('subjects_from') or 'the file names'} "
                f"({', '.join(map(str, few))}): each part holds one of them out.")
        return len(few)
    return DEFAULT_FOLDS


def crossval_job(params: dict, ctx: JobContext) -> dict:
    """params: ``data``, ``out``, ``folds`` (default 5) and the training job's own (device, arch, epochs,
    import_options, ...). The model is chosen once, as ``train`` chooses it (``model_train_picks``), and
    kept for every fold."""
    from edgeling.core.jobs.train_job import train_job

    out = Path(params["out"]).expanduser()
    folds = int(params.get("folds") or 0) or _default_parts(params, ctx)
    base = {k: v for k, v in params.items() if k not in ("out", "folds")}
    options = dict(base.get("import_options") or {})
    if not base.get("arch") and base.get("device"):
        base = {**base, **model_train_picks(base, out, ctx)}
    for k in range(1, folds + 1):
        ctx.log(f"Part {k} of {folds}: training without part {k} of the data, then testing on it.")
        ctx.emit(Progress("fold", (k - 1) / folds, f"Part {k} of {folds}"))
        ctx.log_path = str(fold_dir(out, k) / runs.LOG_FILE)
        result = train_job({**base, "out": str(fold_dir(out, k)), "say_data_problems": k == 1,
                            "import_options": {**options, "fold": f"{k}/{folds}"}}, ctx)
        if result.get("status") != "finished":
            return {**result, "folds_done": k - 1, "folds": folds,
                    "message": f"{result.get('message') or 'Stopped.'} Folds 1 to {k - 1} of {folds} are done; "
                               "running the cross-validation again with the same folder carries on."}
        ctx.log(fold_words(k, folds, runs.load_run(fold_dir(out, k)).metrics or result.get("metrics") or {}))
        if k == 1 and not base.get("arch"):    # the same model for every fold: the one the first chose
            cfg = runs.load_run(fold_dir(out, 1)).config
            base = {**base, "arch": cfg.get("arch"), "knobs": cfg.get("knobs")}
    ctx.log_path = None
    metrics = pooled_metrics(out, folds)
    from edgeling.core.fileio import atomic_write_json
    from edgeling.core.results_files import write_results

    atomic_write_json(out / CROSSVAL_FILE, metrics)
    written = write_results(metrics, out / RESULTS_FOLDER, title=f"Cross-validation ({folds} parts, each tested once) of {params['data']}")
    ctx.emit(Progress("fold", 1.0, "Cross-validation done"))
    return {"status": "finished", "folds": folds, "out": str(out), "metrics": metrics,
            "results": [str(p) for p in written]}


def model_train_picks(params: dict, out: Path, ctx: JobContext) -> dict:
    """``{"arch", "knobs", "arch_reason"}``: the network ``edgeling train`` picks for this data and device (sized on the
    training split every run has), so the cross-validation measures the model the user trains and exports.
    Sized on a fold's training part instead, it could be another: the plan caps parameters by the number of
    training samples, and a fold trains on more or fewer of them (the speech walk: ds_cnn width 96 for the
    cross-validation, audio_cnn width 24 for the model she exported, and nothing said so). A cross-validation
    carried on keeps the network its first fold has."""
    first = fold_dir(out, 1)
    if runs.is_run(first) and runs.load_run(first).config.get("arch"):
        cfg = runs.load_run(first).config
        return {"arch": cfg["arch"], "knobs": cfg.get("knobs"), "arch_reason": cfg.get("arch_reason")}
    from edgeling.core.data.dataset import TRAIN
    from edgeling.core.training import setup

    ctx.log("Choosing the network as training does, for every part.")
    ds = setup.open_data(params, ctx)
    zoo = setup.zoo_module(params.get("zoo"))
    spec = zoo.InputSpec.from_dataset(ds)
    arch, knobs, why = setup.choose_arch(zoo, spec, params["device"], ds.x, ds.indices(TRAIN), ctx)
    return {"arch": arch, "knobs": knobs, "arch_reason": why}


def fold_words(k: int, folds: int, metrics: dict) -> str:
    """'Part 2 of 5: accuracy 91.7% on its 12 samples (pump3).' as each part ends (the app's word: the vineyard
    walk read "Fold" and "part" in one line), so a long cross-validation
    shows how it goes."""
    n = metrics.get("num_samples")
    on = f" on its {n} samples" if isinstance(n, int) else " on its part"
    held = (metrics.get("subjects") or {}).get("test") or []
    who = f" ({', '.join(held[:4])}{', ...' if len(held) > 4 else ''})" if held else ""
    if isinstance(metrics.get("accuracy"), (int, float)):
        return f"Part {k} of {folds}: accuracy {metrics['accuracy']:.1%}{on}{who}."
    if isinstance(metrics.get("mae"), (int, float)):
        return f"Part {k} of {folds}: MAE {metrics['mae']:.4g}{on}{who}."
    return f"Part {k} of {folds} done."


def _pooled_right(held: list[dict]) -> dict | None:
    """Each held-out speaker's (machine's) right answers, taken from the fold that tested it; None when a fold's
    results do not have them. Read from the folds, not from the names: a label sheet may say who each file is."""
    merged: dict[str, dict[str, int]] = {}
    for h in held:
        if not isinstance(h.get("right"), dict):
            return None
        for name, d in h["right"].items():
            m = merged.setdefault(name, {"samples": 0, "right": 0})
            m["samples"] += int(d.get("samples", 0))
            m["right"] += int(d.get("right", 0))
    return dict(sorted(merged.items()))


def pooled_metrics(out: Path, folds: int) -> dict:
    """Every fold's test answers (``predictions.json``) taken together, with each fold's own accuracy."""
    from edgeling.core.training import metrics as M
    from edgeling.core.training.evaluate import PREDICTIONS_FILE

    sources, true, pred, per_fold, fold_metrics = [], [], [], [], []
    names, task, run = None, None, None
    for k in range(1, folds + 1):
        run = runs.load_run(fold_dir(out, k))
        got = json.loads((fold_dir(out, k) / PREDICTIONS_FILE).read_text(encoding="utf-8"))
        names, task = got.get("class_names") or [], got.get("task")
        samples = got.get("samples") or []
        sources += [s["source"] for s in samples]
        true += [s["true"] for s in samples]
        pred += [s["predicted"] for s in samples]
        fold_metrics.append(run.metrics or {})
        per_fold.append({"fold": k, "num_samples": len(samples), "run": str(fold_dir(out, k)),
                         **{key: fold_metrics[-1].get(key) for key in ("accuracy", "macro_f1", "roc_auc", "mae", "r2")
                            if key in fold_metrics[-1]}})
    if task == "classification":
        result = M.label_metrics(np.asarray(true), np.asarray(pred), names, sources)
        result["roc_auc"] = None     # each fold's model scores on its own scale: not pooled, but each fold's
        aucs = [f["roc_auc"] for f in per_fold if isinstance(f.get("roc_auc"), (int, float))]
        result["fold_roc_auc"] = _spread(aucs) if len(aucs) == folds else None
    else:
        result = M.regression_metrics(np.asarray(true, np.float64), np.asarray(pred, np.float64), sources)
    accuracies = [f["accuracy"] for f in per_fold if isinstance(f.get("accuracy"), (int, float))]
    first = fold_metrics[0] if fold_metrics else {}
    result.update(split=CROSSVAL_SPLIT, kind=first.get("kind"), folds=folds, per_fold=per_fold, arch=run.config.get("arch") if run else None,
                  model=first.get("model") or "PyTorch float32",
                  fold_accuracy=_spread(accuracies))
    if first.get("csv_dialect"):
        result["csv_dialect"] = first["csv_dialect"]      # the result CSVs as the user's table is written
    held = [m.get("subjects") for m in fold_metrics]
    if task == "classification" and held and all(held):     # speakers held out: each was tested by one fold
        every = sorted({name for h in held for name in h.get("test") or []})
        right = np.asarray(true) == np.asarray(pred)
        result["subjects"] = {"count": held[0].get("count", len(every)), "test": every, "who": held[0].get("who", ""),
                              "right": _pooled_right(held) or M.per_subject_right(sources, right, every)}
        if held[0].get("from"):
            result["subjects"]["from"] = held[0]["from"]
        if held[0].get("unnamed"):
            result["subjects"]["unnamed"] = held[0]["unnamed"]
        result["accuracy_range"] = stored_range(result)      # as its sentence counts: one pump's windows alike
    return result


def _spread(values: list) -> dict | None:
    """Mean and sample standard deviation of the folds' own numbers (None for fewer than two)."""
    if len(values) < 2:
        return None
    return {"mean": float(np.mean(values)), "std": float(np.std(values, ddof=1))}


def crossval_run(data, out, folds: int = DEFAULT_FOLDS, on_event=None, should_stop=None, **params) -> dict:
    """Cross-validate in this process (the CLI and tests); see ``crossval_job``."""
    from edgeling.core.jobs.runner import run_inline

    return run_inline(TARGET, {"data": str(data), "out": str(out), "folds": folds, **params}, on_event=on_event,
                      should_stop=should_stop)
