"""The model a test on other files runs (``other_files.evaluate_on_files``): a run's, or an exported file's in
its own runtime, each as ``answer(x) -> (outputs, ms per sample)`` with what the test needs to know of it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgeling.core import runs


def run_model(run):
    """(answer(x) -> (logits, ms per sample), kind, task, class names, import meta, about) of a run. A run
    with an int8 file answers with that file in LiteRT, as ``evaluate`` and ``predict`` measure it."""
    from edgeling.core.training.evaluate import latency_ms, run_outputs

    run = run if isinstance(run, runs.Run) else runs.load_run(run)
    model, frontend, spec = runs.load_model(run)
    zoo = runs.zoo_module(run)
    meta = dict(spec.meta)
    if spec.kind == "timeseries":  # runs from before the import recorded it: the column it was told
        meta.setdefault("label_column", (run.config.get("import_options") or {}).get("target"))

    about = {"arch": run.config.get("arch")}

    def answer(x):
        out, about["model"], ms = run_outputs(run, model, frontend, zoo, x, spec.task)
        return out, ms if ms is not None else latency_ms(model, frontend, zoo, x[0])

    return answer, spec.kind, spec.task, list(spec.class_names), meta, about


def export_model(path):
    """As ``run_model``, for an exported file; a classifier's probabilities become log-probabilities, so
    the metrics' softmax gives them back exactly."""
    from edgeling.core.training.predict import export_outputs, open_export

    runner, meta = open_export(path)
    task = meta.get("task", "classification")

    def answer(x):
        out = export_outputs(runner, meta, x)
        if task == "classification":
            out = np.log(np.maximum(out, 1e-12))
        return out, float(np.median(runner.times_ms)) if runner.times_ms else None

    about = {"model_file": str(Path(path).expanduser().resolve()), "precision": meta.get("precision"),
             "frontend": meta.get("frontend")}        # taken out again: it only finds the file's run
    return (answer, meta["kind"], task, list(meta.get("class_names") or []), meta["data_meta"], about)
