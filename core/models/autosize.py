"""Auto-sizing: which architecture and size fits a device, and the largest one that does.

``plan(spec, x_train, device, latency_ms=None)`` builds every candidate of ``zoo.architectures_for(kind)``
x ``zoo.size_grid`` untrained, at batch 1, lowers it and estimates it on the device. A candidate fits when
its RAM and flash stay within the device's limits minus headroom for the application (``ram_headroom`` /
``flash_headroom``, 25% by default; RAM also within the largest contiguous block) and, if given, its
latency is within the budget. The pick is the fitting candidate of largest capacity (the geometric mean of
parameters and MACs; with no latency budget, among those answering within ``PREFER_UNDER_MS``), explained
in one sentence; when nothing fits the explanation says which limit, by how much, and what to change.

Building and tracing a candidate takes a tenth of a second or more, so each candidate's layer graph
(shapes only, no weights) is cached in the cache folder, keyed by architecture, knobs, input shape and the
family's source; estimates from a cached graph take milliseconds.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import math
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from edgeling.core.devices.catalogue import Device
from edgeling.core.models.estimate import RUNTIME_RAM_BYTES, estimate
from edgeling.core.models.graph import Graph, Op, Tensor
from edgeling.core.models.plan_words import (  # noqa: F401 - also read from here
    describe_knobs,
    format_bytes,
    format_ms,
    size_labels,
)

SKELETON_FORMAT = 2
PREFER_UNDER_MS = 1000.0
PARAMS_PER_EXAMPLE = 100
MIN_PARAMS_CEILING = 20_000
"""With no latency budget, prefer models that answer within a second (a 5-second keyword spotter fits
the memory of a Cortex-M4 board, but nobody wants it)."""
FRONTEND_SAMPLES = 64


def skeleton(graph: Graph, params_torch: int) -> dict:
    return {"format": SKELETON_FORMAT, "params_torch": int(params_torch), "inputs": graph.inputs,
            "outputs": graph.outputs,
            "tensors": [[t.name, list(t.shape), t.is_constant] for t in graph.tensors.values()],
            "ops": [[op.kind, op.inputs, op.outputs, _jsonable(op.attrs), op.name] for op in graph.ops]}


def _jsonable(attrs: dict) -> dict:
    return json.loads(json.dumps(attrs))


def from_skeleton(d: dict) -> Graph:
    """A Graph with the right shapes whose constants are zero-memory placeholders."""
    zero = np.float32(0)
    tensors = {name: Tensor(name, tuple(shape), "float32", np.broadcast_to(zero, tuple(shape)) if const else None)
               for name, shape, const in d["tensors"]}
    ops = [Op(kind, list(ins), list(outs), {k: tuple(map(_tup, v)) if isinstance(v, list) else v
                                            for k, v in attrs.items()}, name)
           for kind, ins, outs, attrs, name in d["ops"]]
    return Graph(tensors, ops, list(d["inputs"]), list(d["outputs"]))


def _tup(v):
    return tuple(v) if isinstance(v, list) else v


@lru_cache(maxsize=64)
def _source_digest(arch: str) -> str:
    """Changes whenever the family or the lowering code changes, so stale cached graphs are not used."""
    from edgeling.core import __version__
    from edgeling.core.models import frontends, lowering, lowering_layers, zoo

    try:
        family_dir = Path(inspect.getfile(zoo.family(arch))).parent
        texts = [p.read_text(encoding="utf-8") for p in sorted(family_dir.glob("*.py"))]
        texts += [inspect.getsource(m) for m in (zoo, frontends, lowering, lowering_layers)]
    except (OSError, TypeError):  # no source (a frozen app without .py files): the version stands for it
        texts = [f"edgeling {__version__}"]
    return hashlib.sha256("".join(texts).encode("utf-8")).hexdigest()


def _cache_key(arch: str, knobs: dict, input_shape: tuple, num_outputs: int) -> str:
    raw = json.dumps([arch, knobs, list(input_shape), num_outputs, SKELETON_FORMAT], sort_keys=True, default=str)
    return hashlib.sha256((raw + _source_digest(arch)).encode("utf-8")).hexdigest()[:32]


def candidate_graph(arch: str, spec, knobs: dict, frontend: dict, use_cache: bool = True) -> tuple[Graph, int]:
    """(layer graph, torch parameter count) of an untrained ``arch`` at ``knobs``; cached by shape."""
    from edgeling.core.data.cache import cache_root
    from edgeling.core.fileio import atomic_write_json, read_json
    from edgeling.core.models import zoo

    shape = zoo.network_input_shape(frontend, spec)
    path = cache_root() / "candidates" / f"{_cache_key(arch, knobs, shape, spec.num_outputs)}.json"
    if use_cache:
        try:
            d = read_json(path)
            if d.get("format") == SKELETON_FORMAT:
                return from_skeleton(d), int(d["params_torch"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    import torch

    from edgeling.core.models.lowering import count_torch_params, lower

    with torch.no_grad():
        model = zoo.build_model(arch, spec, knobs, frontend)
        graph = lower(model, shape, append_softmax=spec.task == "classification")  # as the export does
    params = count_torch_params(model)
    if use_cache:
        try:
            atomic_write_json(path, skeleton(graph, params))
        except OSError:
            pass
    return graph, params


# ---- candidates and the pick --------------------------------------------------------------------------
def budgets(device: Device, ram_headroom: float, flash_headroom: float,
            precision: str | None = None) -> dict[str, int]:
    """RAM and flash left for the model. On a phone, board or computer the runtime's own memory (assumed:
    ``estimate.RUNTIME_RAM_BYTES``) is not in a candidate's RAM figure, so it comes off the budget here;
    on a microcontroller the figure is TFLite Micro's arena and the headroom covers the rest."""
    ram = min(int(device.ram_bytes * (1 - ram_headroom)), device.arena_limit_bytes)
    if not device.is_microcontroller:
        runtime = device.runtime(precision or device.default_precision)
        ram -= RUNTIME_RAM_BYTES.get(runtime, RUNTIME_RAM_BYTES["TensorFlow Lite"])
    return {"ram_bytes": max(0, int(ram)), "flash_bytes": int(device.flash_bytes * (1 - flash_headroom))}


def export_metadata_bytes(spec, frontend: dict, input_shape, precision: str) -> int:
    """Bytes of the metadata the TFLite export stores (class names, front end...; see
    ``export.exporter.export_model``) plus the 16-byte ``min_runtime_version``."""
    from edgeling.core.fileio import _json_default

    meta = {"class_names": list(spec.class_names), "task": spec.task, "kind": spec.kind,
            "input_shape": list(input_shape), "frontend": frontend, "data_meta": dict(spec.meta),
            "format": "tflite-int8", "precision": precision, "input_layout": "NHWC"}
    return 16 + len(json.dumps(meta, default=_json_default).encode("utf-8"))


def input_buffer(device: Device, frontend: dict, spec) -> tuple[int, str] | None:
    """(bytes, what they hold) of the RAM a microcontroller's firmware needs besides the arena to prepare one
    input (one window of readings, one clip and its FFT, a picture resize's rows), as the export's RAM
    sentence counts it (``input_recipe.input_ram``); None elsewhere (a phone or computer has room for it)."""
    if not device.is_microcontroller:
        return None
    from edgeling.core.export.input_recipe import input_ram

    return input_ram(frontend or {}, dict(getattr(spec, "meta", None) or {}))


def ram_words(row: dict) -> str:
    """'44 KB of RAM' or, with an input buffer, '80 KB of RAM (44 KB for the model's tensor arena, 36 KB to
    hold one clip and work out its features)'."""
    extra = row.get("input_ram_bytes") or 0
    if not extra:
        return f"{format_bytes(row['ram_bytes'])} of RAM"
    return (f"{format_bytes(row['ram_bytes'] + extra)} of RAM ({format_bytes(row['ram_bytes'])} for the model's "
            f"tensor arena, {format_bytes(extra)} {row.get('input_ram_words') or 'to prepare an input'})")


def needs_ram(row: dict) -> int:
    """The RAM a candidate is judged on: its arena plus, on a microcontroller, the input buffer."""
    return int(row["ram_bytes"]) + int(row.get("input_ram_bytes") or 0)


def sensor_stride(spec) -> float | None:
    """Seconds between two sensor windows (``stride_s``), for a sensor model; None for other data."""
    stride = (spec.meta or {}).get("stride_s") if spec.kind == "timeseries" else None
    return float(stride) if isinstance(stride, (int, float)) and stride > 0 else None


def evaluate_candidate(arch: str, knobs: dict, graph: Graph, params_torch: int, device: Device,
                       precision: str, budget: dict, latency_budget: float | None,
                       metadata_bytes: int | None = None,
                       input_ram: tuple[int, str] | None = None, stride_s: float | None = None) -> dict[str, Any]:
    """One candidate's estimates and whether it fits. ``input_ram``: ``input_buffer``'s figure, judged
    together with the arena against the RAM budget, as the export's RAM sentence judges the file.
    ``stride_s``: for sensor windows, how often a new one comes; with no latency budget, a network slower
    than that cannot keep up with the sensor and does not fit (the GUI walk: 1,144 ms per window, a new window
    every second, "fits: yes")."""
    est = estimate(graph, device, precision, metadata_bytes)
    est["latency_ms"] = round(est["latency_ms"], 3)  # judged on the figure shown
    extra = {"input_ram_bytes": int(input_ram[0]), "input_ram_words": input_ram[1]} if input_ram else {}
    why_not, short = [], []     # short: each reason in a few words, for the app's table ("too much RAM")
    if needs_ram({**est, **extra}) > budget["ram_bytes"]:
        short.append("too much RAM")
        why_not.append(f"needs {ram_words({**est, **extra})}, {format_bytes(budget['ram_bytes'])} "
                       "is available for the model")
    if est["flash_bytes"] > budget["flash_bytes"]:
        short.append(f"too much {storage_word(device)}")
        why_not.append(f"needs {format_bytes(est['flash_bytes'])} of {storage_word(device)}, "
                       f"{format_bytes(budget['flash_bytes'])} is available for the model")
    if latency_budget is not None and est["latency_ms"] > latency_budget:
        short.append("too slow")
        why_not.append(f"takes about {format_ms(est['latency_ms'])} per prediction, the budget is "
                       f"{format_ms(latency_budget)}")
    elif latency_budget is None and stride_s and est["latency_ms"] > 1000 * stride_s:
        short.append("slower than the sensor")
        why_not.append(f"takes about {format_ms(est['latency_ms'])} per window, but a new window comes every "
                       f"{stride_s:g} s, so it cannot keep up with the sensor")
    return {"arch": arch, "knobs": knobs, "params": int(params_torch), "params_graph": est["params_graph"],
            "macs": est["macs"], "flash_bytes": est["flash_bytes"], "ram_bytes": est["ram_bytes"],
            "latency_ms": est["latency_ms"], **extra, "needs_ram_bytes": needs_ram({**est, **extra}),
            "fits": not why_not, "why_not": why_not, "why_not_short": short,
            "capacity": math.sqrt(max(params_torch, 1) * max(est["macs"], 1))}


def plan(spec, x_train: np.ndarray, device: Device, *, latency_ms: float | None = None,
         precision: str | None = None, ram_headroom: float = 0.25, flash_headroom: float = 0.25,
         archs: list[str] | None = None, use_cache: bool = True,
         prefer_under_ms: float | None = PREFER_UNDER_MS, num_train: int | None = None,
         check: Callable[[], None] | None = None) -> dict[str, Any]:
    """Rank every candidate for ``spec`` on ``device``; see the module docstring. Plain JSON-able dict.

    ``prefer_under_ms``: with no latency budget, every candidate that fits memory "fits", but the pick is
    the largest one answering within this many ms (the fastest fitting one if none does); None picks the
    largest fitting candidate however slow.

    ``num_train`` (default ``len(x_train)``): the pick has at most ``max_params_for(num_train)`` parameters
    when a fitting candidate that small exists, since a network much larger than its data overfits and
    trains slowly for nothing (1,437 digit scans got a 3.2M-parameter MobileNet without this rule).

    ``check``: called before each candidate; it raises to stop the plan (a training job asked to stop)."""
    from edgeling.core.models import zoo

    precision = precision or device.default_precision
    budget = budgets(device, ram_headroom, flash_headroom, precision)
    x_fit = np.asarray(x_train)[:FRONTEND_SAMPLES]
    rows = []
    for arch in archs or zoo.architectures_for(spec.kind):
        for knobs in zoo.size_grid(arch, spec):
            if check is not None:
                check()
            frontend = zoo.fit_frontend(arch, spec, x_fit, knobs)
            graph, params = candidate_graph(arch, spec, knobs, frontend, use_cache)
            meta = export_metadata_bytes(spec, frontend, zoo.network_input_shape(frontend, spec), precision)
            rows.append(evaluate_candidate(arch, knobs, graph, params, device, precision, budget, latency_ms,
                                           meta, input_buffer(device, frontend, spec), sensor_stride(spec)))
    rows.sort(key=lambda r: r["capacity"])
    fitting = [r for r in rows if r["fits"]]
    pick = max(fitting, key=lambda r: r["capacity"]) if fitting else None
    if pick is not None and latency_ms is None and prefer_under_ms is not None:
        quick = [r for r in fitting if r["latency_ms"] <= prefer_under_ms]
        pick = max(quick, key=lambda r: r["capacity"]) if quick else min(fitting, key=lambda r: r["latency_ms"])
    num_train = len(x_train) if num_train is None else num_train
    max_params = max_params_for(num_train)
    capped = False
    if pick is not None and pick["params"] > max_params:
        # More capacity than the data can fill only overfits and trains slower: take the largest
        # candidate within the data's budget (still fitting and quick), else the smallest that fits.
        pool = [r for r in fitting if r["params"] <= max_params
                and (latency_ms is not None or prefer_under_ms is None or r["latency_ms"] <= prefer_under_ms)]
        pick = max(pool, key=lambda r: r["capacity"]) if pool else min(fitting, key=lambda r: r["params"])
        capped = True
    result = {"device": device.id, "device_name": device.name, "precision": precision,
              "assumes": f"{precision}, {device.runtime(precision)}",
              "budget": {**budget, "latency_ms": latency_ms, "ram_headroom": ram_headroom,
                         "flash_headroom": flash_headroom,
                         "prefer_under_ms": prefer_under_ms if latency_ms is None else None},
              "candidates": rows, "pick": pick,
              "data_limit": {"num_train": num_train, "max_params": max_params, "applied": capped}}
    result["explanation"] = explain_pick(pick, device, precision, result["data_limit"], spec.kind, budget) if pick \
        else explain_nothing_fits(rows, device, budget, latency_ms, spec.kind, ram_headroom, flash_headroom,
                                  sensor_stride(spec))
    if pick is not None and not capped:
        result["explanation"] += explain_choice(pick, fitting, latency_ms, prefer_under_ms)
    return result


def max_params_for(num_train: int) -> int:
    """A generous ceiling on useful capacity: about 100 parameters per training example, at least 20k."""
    return max(MIN_PARAMS_CEILING, PARAMS_PER_EXAMPLE * int(num_train))


EXAMPLES = {"images": "pictures", "audio": "clips", "timeseries": "windows", "table": "rows"}
"""What one training example of each kind is called, for "194 training clips"."""


def storage_word(device: Device) -> str:
    """Where the model is kept: "flash" on a microcontroller, "storage" (an SD card, a disk) elsewhere."""
    return "flash" if device.is_microcontroller else "storage"


def explain_pick(pick: dict, device: Device, precision: str, data_limit: dict | None = None,
                 kind: str | None = None, budget: dict | None = None) -> str:
    """One sentence: the pick against what the device has for a model (``budget``: the plan's, what the
    candidates were judged against), the device's totals in brackets."""
    from edgeling.core.devices.catalogue import ram_available

    available = ram_available(device)   # a microcontroller: what the arena may use, not the RAM in all
    # the budget the candidates were judged against: less than that with a larger --ram-headroom (the vineyard
    # walk: "model budget 256 KB RAM" above "of the 320 KB of RAM available")
    free_ram = (budget or {}).get("ram_bytes") or (available["bytes"] if available else None)
    free_flash = (budget or {}).get("flash_bytes")
    ram = (f"the {format_bytes(free_ram)} of RAM available for the model ({format_bytes(device.ram_bytes)} in all)"
           if free_ram else f"{format_bytes(device.ram_bytes)} RAM")
    space = storage_word(device)
    flash = (f"the {format_bytes(free_flash)} of {space} available for the model "
             f"({format_bytes(device.flash_bytes)} in all)" if free_flash else
             f"{format_bytes(device.flash_bytes)} {space}")
    text = (f"{pick['arch']} ({describe_knobs(pick['knobs'])}) uses {ram_words(pick).replace(' of RAM', '', 1)} of "
            f"{ram} and {format_bytes(pick['flash_bytes'])} of {flash}, about {format_ms(pick['latency_ms'])} "
            f"per prediction ({precision}, {device.runtime(precision)}).")
    if data_limit and data_limit.get("applied"):
        text += " " + explain_data_limit(pick, data_limit, kind)
    return text


def explain_choice(pick: dict, fitting: list[dict], latency_ms: float | None, prefer_under_ms: float | None) -> str:
    """Why this one of the networks that fit: the largest within the time limit (larger networks usually learn
    more), and the fastest one as the other choice when it is far quicker (a battery-powered board may prefer
    it). '' when the pick is the fastest already."""
    limit = latency_ms if latency_ms is not None else prefer_under_ms
    fastest = min(fitting, key=lambda r: r["latency_ms"])
    if fastest is pick or limit is None or pick["latency_ms"] > limit:
        return ""
    said = (f" It is the largest network that fits and answers within {format_ms(limit)} "
            f"{'(your limit)' if latency_ms is not None else ''}".rstrip() + ": larger networks usually learn more.")
    if fastest["latency_ms"] * 10 <= pick["latency_ms"]:
        said += (f" If a quick answer or battery life matters more, {fastest['arch']} ({describe_knobs(fastest['knobs'])}) "
                 f"answers in about {format_ms(fastest['latency_ms'])}; train both and compare.")
    return said


def explain_data_limit(pick: dict, data_limit: dict, kind: str | None) -> str:
    """Why a model smaller than the device allows was picked: the training data is too small to fill one."""
    n, most = int(data_limit["num_train"]), int(data_limit["max_params"])
    examples = f"{n:,} training {EXAMPLES.get(kind or '', 'examples')}"
    if pick["params"] <= most:
        return (f"The data decided the size, not the device: bigger models fit, but {examples} are enough for "
                f"about {most:,} parameters at most (a bigger model would learn them by heart rather than what "
                f"they have in common); this one has {pick['params']:,}. More data would allow a bigger one.")
    return (f"{examples[0].upper()}{examples[1:]} are enough for about {most:,} parameters at most, but no model "
            f"that fits is that small, so this is the smallest one that fits ({pick['params']:,} parameters).")


SMALLER_INPUT = {"images": "smaller pictures (a lower image size)", "audio": "shorter audio clips",
                 "timeseries": "shorter windows or a lower sample rate", "table": "fewer columns"}


def bigger_devices(need_ram: int, need_flash: int, ram_headroom: float, flash_headroom: float,
                   exclude: str) -> list[str]:
    """Names of catalogue microcontrollers (then others) whose budgets would hold these sizes."""
    from edgeling.core.devices.catalogue import bundled_devices

    names = []
    for d in sorted(bundled_devices(), key=lambda d: (d.kind != "microcontroller", d.ram_bytes)):
        b = budgets(d, ram_headroom, flash_headroom)
        if d.id != exclude and b["ram_bytes"] >= need_ram and b["flash_bytes"] >= need_flash:
            names.append(d.name)
    return names[:2]


def explain_nothing_fits(rows: list[dict], device: Device, budget: dict, latency_ms: float | None,
                         kind: str, ram_headroom: float = 0.25, flash_headroom: float = 0.25,
                         stride_s: float | None = None) -> str:
    if not rows:
        return f"There is no model for {kind} data to try."
    smallest = min(rows, key=lambda r: (needs_ram(r) / max(budget["ram_bytes"], 1)
                                        + r["flash_bytes"] / max(budget["flash_bytes"], 1)))
    parts = []
    if needs_ram(smallest) > budget["ram_bytes"]:
        over = needs_ram(smallest) - budget["ram_bytes"]
        parts.append(f"{ram_words(smallest)} where {format_bytes(budget['ram_bytes'])} "
                     f"is available ({format_bytes(over)} too much)")
    if smallest["flash_bytes"] > budget["flash_bytes"]:
        over = smallest["flash_bytes"] - budget["flash_bytes"]
        parts.append(f"{format_bytes(smallest['flash_bytes'])} of {storage_word(device)} where "
                     f"{format_bytes(budget['flash_bytes'])} is available ({format_bytes(over)} too much)")
    if latency_ms is not None:
        fastest = min(rows, key=lambda r: r["latency_ms"])
        if fastest["latency_ms"] > latency_ms:
            parts.append(f"at least {format_ms(fastest['latency_ms'])} per prediction where the budget is "
                         f"{format_ms(latency_ms)}")
    elif not parts and stride_s and min(r["latency_ms"] for r in rows) > 1000 * stride_s:
        from edgeling.core.terminal_hint import in_terminal

        return (f"No model keeps up with the sensor on {device.in_sentence}: the fastest candidate needs at least "
                f"{format_ms(min(r['latency_ms'] for r in rows))} per window, and a new window comes every "
                f"{stride_s:g} s. Choose a longer step between windows (Sensor windows on the Data page"
                f"{in_terminal('--stride')}), or a faster device.")
    need = " and ".join(parts) if parts else "more than the device offers"
    bigger = bigger_devices(needs_ram(smallest), smallest["flash_bytes"], ram_headroom, flash_headroom,
                            device.id)
    device_hint = f"a bigger device (such as {' or '.join(bigger)})" if bigger else "a bigger device"
    return (f"No model fits {device.in_sentence}: the smallest candidate, {smallest['arch']} "
            f"({describe_knobs(smallest['knobs'])}), needs {need}. Try {SMALLER_INPUT.get(kind, 'smaller inputs')}"
            f"{', a larger latency budget' if latency_ms is not None else ''}, or {device_hint}.")
