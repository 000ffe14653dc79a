"""What the CLI, the app and the new run's files say about a compression besides its table: the name of
each pass as it really happened, and why magnitude pruning leaves flash, RAM and latency as they were (or,
with int8 in the same compression, that their drop is int8's).

Plain dicts in, plain text out (no torch), so the GUI can use it. Records written before runs carried a
``label`` are named from what they kept (``compared.kept``), so older runs read truthfully too.
"""

from __future__ import annotations

KEPT_ALONE = "distill: the student trained alone was kept, as it did better on validation"
"""The pass name of a distillation whose student trained alone did better on validation and was kept."""

APP_STRUCTURED = 'tick "remove whole channels" next to Prune away'
"""How the app's Compress page says ``--structured``."""


def pass_label(record) -> str:
    """The name of one pass as people read it: ``"prune"``, ``"ptq"``, or for a distillation that kept the
    student trained alone, ``KEPT_ALONE`` (its record still has ``"pass": "distill"``)."""
    if not isinstance(record, dict):
        return str(record)
    if record.get("label"):
        return str(record["label"])
    if record.get("pass") == "distill" and (record.get("compared") or {}).get("kept") == "alone":
        return KEPT_ALONE
    return str(record.get("pass"))


def pass_labels(records) -> list[str]:
    return [pass_label(r) for r in records or []]


def zeros_note(records, how: str = "cli") -> str | None:
    """One plain paragraph when the passes zeroed weights (magnitude pruning) without removing whole
    channels: the zeros are stored, so only the non-zero parameters drop. When the same compression also
    made the model int8 (ptq or qat, from a float run), the table's drop in flash, RAM and latency is said to
    come from int8, with pruning adding none of it. ``how`` names the structured option: ``"cli"``
    (--structured), ``"app"`` (the checkbox) or ``"file"`` (both). None otherwise."""
    records = [r for r in records or [] if isinstance(r, dict)]
    prunes = [r for r in records if r.get("pass") == "prune"]
    magnitude = next((r for r in prunes if r.get("method") == "magnitude"), None)
    if magnitude is None or any(r.get("method") == "structured" for r in prunes):
        return None
    fraction = float(magnitude.get("fraction") or 0.5)
    cli = f"--prune {fraction:g} --structured"
    where = {"cli": cli, "app": APP_STRUCTURED,
             "file": f"{cli} on the command line; in the app, {APP_STRUCTURED}"}[how]
    said = (f"Pruning set {fraction:.0%} of the weights to zero, but TFLite, TFLite Micro and ONNX Runtime store "
            "and compute the zeros like any other weight")
    int8 = next((r for r in records if r.get("pass") in ("ptq", "qat") and not r.get("source_was_int8")
                 and not r.get("device_int8_only")     # the table sized the float model as int8 already
                 and not str(r.get("why") or "").startswith("kept int8")), None)   # older records: "why" only
    if int8 is not None:
        said += (f". The drop in flash, RAM and latency comes from int8 ({int8['pass']}); pruning added none of "
                 "it (only the non-zero parameters drop).")
    else:
        said += (": that pruning alone makes the model no smaller and no faster on the device (only the non-zero "
                 "parameters drop, not flash, RAM or latency).")
    return f"{said} To really shrink flash, RAM and the work per answer, remove whole channels: {where}."


def int8_only_note(records, how: str = "cli") -> str | None:
    """When the whole compression was post-training int8 of a float run: that an int8 export of the original
    run does the same steps (BatchNorm folded, weights per channel, activations calibrated on training
    samples), so this run is for its before/after numbers, and what would make the model smaller or keep
    more accuracy. None otherwise."""
    records = [r for r in records or [] if isinstance(r, dict)]
    if len(records) != 1 or records[0].get("pass") != "ptq" or records[0].get("source_was_int8"):
        return None
    more = {"cli": "--quantize qat (int8 that keeps more accuracy) or --prune 0.5 --structured (fewer channels)",
            "app": "quantization-aware training (int8 that keeps more accuracy) or pruning with whole channels "
                   "removed"}.get(how, "quantization-aware training or structured pruning")
    return ("Post-training int8 alone is what an int8 export of the original run does anyway (the same steps), so "
            "its file is about the same: this run shows the before and after. For a model that is smaller or keeps "
            f"more accuracy, try {more}.")


def float_is_source(passes, compressed_from) -> str | None:
    """The name of the run whose float model a float file of a compressed run would be, when that is another
    run's: a run that post-training int8 alone made (``passes`` all "ptq": no weight changes, its int8 is in its
    own int8 file); None for a run with float weights of its own (pruned, distilled, re-trained). The export
    command refuses such a float file and the app greys the float formats out."""
    names = [str(p.get("pass") if isinstance(p, dict) else p) for p in passes or []]
    if not compressed_from or not names or any(n != "ptq" for n in names):
        return None
    from pathlib import Path

    return Path(str(compressed_from)).name


ACCURACY_LOST = 0.03
"""A compression that costs this much test accuracy (3 points) or more says how to keep more."""


def accuracy_loss_note(table: dict | None, records, how: str = "cli") -> str | None:
    """When the compressed model is clearly less accurate than the one it came from: by how much, and what keeps
    more of it for the passes that ran (the regression walk: half the channels and int8 cost 11.1 points, said
    by the table's numbers only). None otherwise."""
    change = ((table or {}).get("change") or {}).get("accuracy")
    before = ((table or {}).get("before") or {}).get("accuracy")
    after = ((table or {}).get("after") or {}).get("accuracy")
    if not isinstance(change, (int, float)) or change > -ACCURACY_LOST or before is None or after is None:
        return None
    records = [r for r in records or [] if isinstance(r, dict)]
    kinds = {r.get("pass") for r in records}
    structured = any(r.get("pass") == "prune" and r.get("method") == "structured" for r in records)
    cli = how == "cli"
    tips = []
    if "prune" in kinds:
        fraction = next((float(r.get("fraction") or 0.5) for r in records if r.get("pass") == "prune"), 0.5)
        epochs = max((int(r.get("fine_tune_epochs") or 0) for r in records if r.get("pass") == "prune"), default=0)
        less = max(0.1, round(fraction - 0.2, 1))
        tips.append(f"prune less (--prune {less:g}{' --structured' if structured else ''})" if cli else
                    f"prune less (Prune away {less:.0%})")
        if epochs and cli:     # the app has no such setting (the vineyard walk): not offered there
            tips.append(f"fine-tune longer (--fine-tune-epochs {2 * epochs})")
    if "ptq" in kinds and "qat" not in kinds:
        tips.append("re-train with int8 (" + ("--quantize qat" if cli else "int8 with re-training") + ")")
    if "distill" in kinds:
        tips.append("train the student longer (" + ("--epochs" if cli else "more epochs") + ")")
    said = (f"The compressed model is {-100 * change:.1f} points less accurate on the test samples "
            f"({100 * before:.1f}% before, {100 * after:.1f}% after).")
    return said + (f" To keep more: {'; or '.join(tips)}." if tips else "")
