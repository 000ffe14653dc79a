"""The before/after table of a compression run: accuracy, macro-F1, parameters, MACs, flash, peak RAM and
estimated latency on the run's device, for the source model and the compressed one.

Quality numbers are measured on the test split (the int8 model's in LiteRT, on the file itself); size
and speed numbers are the device estimates (``models.estimate``) of the model as it will run: float32
before, int8 after a quantization pass; on a device that runs int8 only (a microcontroller), a float model's
sizes are its int8 file's too, as its export quantizes it (``sized_as``). Plain dicts only, so the GUI can show the table without torch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

ROWS = (  # key, label, how to show it, True when higher is better
    ("accuracy", "accuracy", "pct", True),
    ("macro_f1", "balanced over classes (macro F1)", "pct", True),   # as the Evaluate page says it: 95.0%
    ("mae", "mean abs. error", "g4", False),
    ("params", "parameters", "int", False),
    ("nonzero_params", "parameters not zero", "int", False),
    ("macs", "multiply-adds per answer (MACs)", "int", False),
    ("flash_bytes", "flash", "bytes", False),
    ("needs_ram_bytes", "RAM needed at most", "bytes", False),   # arena + input buffer, as the plan judges
    ("latency_ms", "latency (estimate)", "ms", False),
)


def quality_from_outputs(task: str, y_true, outputs: np.ndarray, class_names: list[str]) -> dict:
    """accuracy and macro-F1 (classification) or MAE (regression) of model outputs on labelled samples."""
    from edgeling.core.training import metrics as M

    outputs = np.asarray(outputs, np.float32).reshape(len(y_true), -1)
    if task == "classification":
        m = M.classification_metrics(y_true, outputs, class_names, [""] * len(y_true), worst=0)
        return {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"]}
    m = M.regression_metrics(y_true, outputs.reshape(-1), [""] * len(y_true), worst=0)
    return {"mae": m["mae"], "rmse": m["rmse"]}


def sized_precision(device, precision: str) -> str:
    """The precision ``precision``'s model runs in on ``device``: a float model goes on a microcontroller as
    int8 (its export quantizes it). The vineyard walk: a structurally pruned float model was "RAM 357 KB",
    more than the ESP32-S3's 320 KB, where its int8 export needed 93 KB."""
    return precision if precision in device.precisions() else device.default_precision


def model_column(model, input_shape, device, precision: str, quality: dict, arch: str | None,
                 measured_on: str, metadata_bytes: int | None = None, input_ram: int = 0) -> dict:
    """One column of the table: the quality numbers plus the device estimates of ``model``; flash counts
    ``metadata_bytes`` (what the export stores besides the model: class names, front end), as the plan does;
    RAM counts ``input_ram`` (on a microcontroller, what the firmware needs to prepare one input:
    ``autosize.input_buffer``) besides the tensor arena, as the plan and the export's RAM sentence do."""
    from edgeling.core.models.estimate import estimate_model

    sized = sized_precision(device, precision)
    est = estimate_model(model, tuple(input_shape), device, sized, metadata_bytes)
    nonzero = sum(int((p.detach() != 0).sum()) for p in model.parameters())
    return {**quality, **({"sized_as": sized} if sized != precision else {}), "params": int(est["params"]), "nonzero_params": nonzero, "macs": int(est["macs"]),
            "flash_bytes": int(est["flash_bytes"]), "ram_bytes": int(est["ram_bytes"]),
            "input_ram_bytes": int(input_ram), "needs_ram_bytes": int(est["ram_bytes"]) + int(input_ram),
            "latency_ms": float(est["latency_ms"]), "precision": precision, "arch": arch,
            "device": est["device"], "device_name": est["device_name"], "quality_measured_on": measured_on}


def value(column: dict, key: str):
    """A number of a table column; a column written before ``needs_ram_bytes`` existed gives its ``ram_bytes``
    (the arena alone: no input buffer was counted then)."""
    got = column.get(key)
    return column.get("ram_bytes") if got is None and key == "needs_ram_bytes" else got


def comparison(before: dict, after: dict) -> dict:
    """``{"before", "after", "change"}``; ``change[key]`` is after / before - 1 for sizes and the
    difference for accuracy and macro-F1."""
    change: dict[str, Any] = {}
    for key, _, fmt, _ in ROWS:
        a, b = value(before, key), value(after, key)
        if a is None or b is None:
            continue
        if fmt in ("pct", "f3"):
            change[key] = float(b) - float(a)
        elif a:
            change[key] = float(b) / float(a) - 1.0
    return {"before": before, "after": after, "change": change}


def show_value(value: Any, fmt: str) -> str:
    """One number of the table as people read it (the CLI and the app show the same)."""
    if not isinstance(value, (int, float)):
        return "-"
    if fmt == "pct":
        return f"{100 * value:.1f}%"
    if fmt == "f3":
        return f"{value:.3f}"
    if fmt == "g4":
        return f"{value:.4g}"
    if fmt == "int":
        return f"{int(value):,}"
    if fmt == "bytes":
        from edgeling.core.models.autosize import format_bytes

        return format_bytes(value)
    if fmt == "ms":
        from edgeling.core.models.autosize import format_ms

        return format_ms(value)
    return str(value)


def show_change(value: float | None, fmt: str) -> str:
    if not isinstance(value, (int, float)):
        return ""
    if fmt == "pct":
        return f"{100 * value:+.1f} points"
    if fmt == "f3":
        return f"{value:+.3f}"
    return f"{100 * value:+.0f}%"


def table_rows(table: dict) -> list[tuple[str, str, str, str]]:
    """``(what, before, after, change)`` as text, rows with no numbers left out (CLI and app alike)."""
    before, after, change = table.get("before") or {}, table.get("after") or {}, table.get("change") or {}
    rows = []
    kept_in = _storage_word(after.get("device") or before.get("device"))
    for key, label, fmt, _ in ROWS:
        label = kept_in if key == "flash_bytes" else label     # a Raspberry Pi keeps its model on an SD card
        b, a = value(before, key), value(after, key)
        if b is None and a is None:
            continue
        if key == "nonzero_params" and b == before.get("params") and a == after.get("params"):
            continue  # no zeros anywhere: the row would repeat the parameters
        rows.append((label, show_value(b, fmt), show_value(a, fmt), show_change(change.get(key), fmt)))
    return rows


def _storage_word(device_id) -> str:
    """ "flash" for a microcontroller (or a device no longer known), "storage" for a Pi, a phone or a PC (the
    speech GUI walk: the compress table said "flash" for a Raspberry Pi, as plan had)."""
    from edgeling.core.devices.catalogue import find_device
    from edgeling.core.models.autosize import storage_word

    device = find_device(device_id)
    return storage_word(device) if device is not None else "flash"


def format_table(table: dict) -> str:
    """The table as aligned text for a terminal."""
    before, after = table["before"], table["after"]
    head_b = f"before ({before.get('arch') or 'model'}, {before.get('precision')})"
    head_a = f"after ({after.get('arch') or 'model'}, {after.get('precision')})"
    lines = [("", head_b, head_a, "change"), *table_rows(table)]
    widths = [max(len(row[i]) for row in lines) for i in range(4)]
    text = ["  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                      for i, cell in enumerate(row)).rstrip() for row in lines]
    text.append(sizes_said(table) + f"; quality is measured on the test split (after: "
                f"{after.get('quality_measured_on')}).")
    return "\n".join(text)


def sizes_said(table: dict) -> str:
    """What the size and latency rows are: "Sizes and latency are estimates for ESP32-S3 (...)", and for a
    float model on an int8-only device, that they are its int8 file's (the CLI and the app say the same)."""
    before, after = table.get("before") or {}, table.get("after") or {}
    device = after.get("device_name") or after.get("device")
    from edgeling.core.devices.catalogue import find_device

    known = find_device(after.get("device"))
    if known is not None and device == known.name:
        device = known.in_sentence           # "this computer (AMD EPYC)" mid-sentence (the GUI walk)
    said = f"Sizes and latency are estimates for {device}"
    if after.get("flash_measured"):      # "storage" on a PC, as the table's row says (the GUI walk)
        said += f" (after: {_storage_word(after.get('device'))} is the int8 file's real size)"
    if before.get("sized_as") or after.get("sized_as"):
        said += (f", for the float model too as int8: {device} runs int8 only, and exporting a float model for it "
                 "makes an int8 file")
    return said
