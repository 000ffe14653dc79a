"""The distillation step of a compression job.

A student is chosen for the device (``choose_student``) and trained on the teacher's soft targets plus
the labels. Then, unless switched off (``compare_alone=False``), the same student (same architecture, same
initial weights, same epochs and augmentation) is trained alone through the same fine-tuning code, and the
step keeps whichever of the two is better on the validation samples: distillation is not always a gain
(on the bundled samples it mostly was not), and the user should never get a student that is worse than
plain training would have given. The record says what both scored on the validation and test samples and
which one was kept, so the CLI and the app can state by how much distillation helped. When the student
trained alone is kept, the record (still ``"pass": "distill"``) gets ``"label": notes.KEPT_ALONE``, the name
every reader shows for the pass (``notes.pass_label``).
"""

from __future__ import annotations

from edgeling.core import runs
from edgeling.core.compress.errors import CompressionError
from edgeling.core.compress.notes import KEPT_ALONE
from edgeling.core.jobs.events import Progress

DEFAULT_TEMPERATURE = 4.0
DEFAULT_ALPHA = 0.7


def choose_student(zoo, spec, device, x_train, teacher_params: int, p: dict, source: dict | None = None):
    """(arch, knobs, why): the given --arch / knobs, else the largest zoo model that fits the device with
    at most half the teacher's parameters and no more than the run being compressed (``source``, its
    config: a compression must not hand back a bigger model, as the firmware walk's 77k run distilled from a
    408k teacher became a 174k student); else the run's own network; else the smallest zoo model smaller
    than the teacher."""
    arch, knobs = p.get("arch"), p.get("knobs")
    if arch and arch not in zoo.architectures_for(spec.kind):
        raise CompressionError(f"{arch} is not a model for {spec.kind} data; choose one of "
                               f"{', '.join(zoo.architectures_for(spec.kind))}.")
    if knobs is not None or zoo.__name__ != runs.DEFAULT_ZOO:
        arch = arch or zoo.architectures_for(spec.kind)[0]
        return arch, zoo.resolve_knobs(arch, spec, knobs or {}), "chosen by you"
    from edgeling.core.models import autosize

    plan = autosize.plan(spec, x_train, device, archs=[arch] if arch else None)
    cap = int((source or {}).get("params") or 0) or teacher_params
    rows = [r for r in plan["candidates"] if r["fits"] and 2 * r["params"] <= teacher_params and r["params"] <= cap]
    why = f"the largest model that fits {device.in_sentence} with at most half the teacher's parameters"
    if cap < teacher_params:
        why += f" and no more than the run you compressed ({cap:,})"
    own = (source or {}).get("arch")
    if not rows and own and (not arch or arch == own) and cap < teacher_params and not source.get("channel_plan"):
        return own, zoo.resolve_knobs(own, spec, source.get("knobs") or {}), (
            "the network of the run you compressed, as no smaller model in the zoo fits "
            f"{device.in_sentence} with at most half the teacher's parameters")
    if not rows:
        rows = sorted((r for r in plan["candidates"] if r["params"] < teacher_params),
                      key=lambda r: r["params"])[:1]
        why = "the smallest model in the zoo, as none fits the device with half the teacher's parameters"
    if not rows:
        raise CompressionError(f"No model in the zoo is smaller than the teacher ({teacher_params:,} "
                               "parameters). Give the student with --arch, or distil from a larger teacher.")
    pick = max(rows, key=lambda r: r["capacity"])
    return pick["arch"], zoo.resolve_knobs(pick["arch"], spec, pick["knobs"]), why


def _scores(model, ft, x_test, y_test, task: str, class_names: list[str]) -> dict:
    """Validation loss / accuracy (what chooses) and test quality (what is reported) of a student."""
    from edgeling.core.compress.compare import quality_from_outputs
    from edgeling.core.export.exporter import exported_module, reference_outputs
    from edgeling.core.training.loop import evaluate_loss

    out = {}
    if ft.val is not None and len(ft.val):
        val = evaluate_loss(model, ft.val, ft.loss(), task)
        out.update({f"val_{k}": v for k, v in val.items()})
    test = quality_from_outputs(task, y_test, reference_outputs(exported_module(model, task), x_test),
                                class_names)
    out.update({f"test_{k}": v for k, v in test.items()})
    return out


def _better(a: dict, b: dict) -> bool:
    """Is ``a`` at least as good as ``b`` on the validation samples (accuracy, then loss)?"""
    if "val_loss" not in a or "val_loss" not in b:
        return True  # nothing to judge by: keep the distilled student
    if a.get("val_accuracy") != b.get("val_accuracy"):
        return a["val_accuracy"] > b["val_accuracy"]
    return a["val_loss"] <= b["val_loss"]


def distill_student(p: dict, cfg: dict, ds, zoo, spec, device, fine_tune_data, ctx, test_idx, y_test):
    """Train the student (and, to compare, the same student alone). Returns ``(model, frontend, record,
    epochs, trainer)``, or None when Stop was pressed."""
    from edgeling.core.compress import passes
    from edgeling.core.data.dataset import TRAIN
    from edgeling.core.training.device import seed_everything

    hyper = cfg.get("hyper") or {}
    task, class_names = ds.task, list(ds.class_names)
    teacher_run = runs.load_run(p["distill_from"])
    teacher, frontend, _ = runs.load_model(teacher_run)
    arch, knobs, why = choose_student(zoo, spec, device, ds.x[ds.indices(TRAIN)], passes.count_params(teacher),
                                      p, cfg)
    seed = int(cfg.get("seed") or 0)
    epochs = int(p.get("epochs") or hyper.get("epochs", 10))
    lr = float(hyper.get("lr", 1e-3))
    temperature = float(p.get("temperature") or DEFAULT_TEMPERATURE)
    alpha = float(p["alpha"]) if p.get("alpha") is not None else DEFAULT_ALPHA
    x_test = zoo.apply_frontend(frontend, ds.x[test_idx])

    seed_everything(seed)
    model = zoo.build_model(arch, spec, knobs, frontend)
    ft = fine_tune_data(frontend, epochs, lr, arch)
    model, record, trainer = passes.distill(model, teacher, ft, temperature, alpha)
    if trainer.stop_reason == "stop":
        return None
    record.update(teacher=str(teacher_run.path), teacher_arch=teacher_run.config.get("arch"),
                  teacher_params=passes.count_params(teacher), student_params=passes.count_params(model),
                  student_arch=arch, student_knobs=knobs, why=why,
                  frontend="the teacher's (the student sees exactly what the teacher saw)")
    if p.get("compare_alone", True) and alpha > 0:
        ctx.emit(Progress("distill", 0.5, "Training the same student alone, to compare"))
        distilled = _scores(model, ft, x_test, y_test, task, class_names)
        seed_everything(seed)  # the same initial weights as the distilled student
        alone_model = zoo.build_model(arch, spec, knobs, frontend)
        alone_trainer = passes.fine_tune(alone_model, ft, "alone")  # same tensors, a fresh generator
        if alone_trainer.stop_reason == "stop":
            return None
        alone = _scores(alone_model, ft, x_test, y_test, task, class_names)
        keep_distilled = _better(distilled, alone)  # distillation needs classifiers (check_teacher)
        record["compared"] = {
            "distilled": distilled, "alone": alone, "kept": "distilled" if keep_distilled else "alone",
            "test_gain_points": round(100 * (distilled["test_accuracy"] - alone["test_accuracy"]), 2)}
        if not keep_distilled:   # the run, the CLI, the app and the model card must not just say "distill"
            model, trainer = alone_model, alone_trainer
            record["label"] = KEPT_ALONE
    return model, frontend, record, epochs, trainer


def comparison_sentence(record: dict) -> str | None:
    """Which student was trained and why, and what distillation gave, for the CLI and the app; None for
    other passes."""
    if record.get("pass") != "distill":
        return None
    student = ""
    if record.get("student_arch") and record.get("student_params") and record.get("teacher_params"):
        student = (f"The student is {record['student_arch']} with {record['student_params']:,} parameters (the "
                   f"teacher has {record['teacher_params']:,}): {record.get('why') or 'chosen by you'}. ")
    c = record.get("compared")
    if not c:
        return student.strip() or None
    d, a = c["distilled"], c["alone"]
    said = student + (f"Distillation vs the same student trained alone: test accuracy {d['test_accuracy']:.1%} vs "
            f"{a['test_accuracy']:.1%} ({c['test_gain_points']:+.1f} points)")
    if c["kept"] == "distilled":
        return said + "; kept the distilled student."
    return said + "; kept the student trained alone, as it did better on the validation samples."
