"""``edgeling plan DATA --device ID``: which model sizes fit the device, and the largest one that does.

Candidates are built untrained at batch 1 and estimated (parameters, MACs, flash, RAM, latency); see
``edgeling.core.models.autosize``. Unknown device, or nothing fits: a plain message and exit 2.
"""

from __future__ import annotations

from edgeling.core.commands.common import (
    CommandError,
    add_import_options,
    add_json_flag,
    device_id,
    emit_json,
    say,
)


def register(sub) -> None:
    p = sub.add_parser("plan", help="pick a model size that fits a target device")
    p.add_argument("path", help="the data: a folder (one subfolder per class) or a CSV file")
    p.add_argument("--device", required=True, type=device_id, help="device id (see 'edgeling devices')")
    p.add_argument("--latency-ms", type=float, help="longest acceptable time per prediction")
    p.add_argument("--precision", choices=["int8", "float32"], help="default: what the device runs best")
    p.add_argument("--ram-headroom", type=float, default=0.25,
                   help="share of RAM kept for the rest of the application (default 0.25)")
    p.add_argument("--flash-headroom", type=float, default=0.25,
                   help="share of flash kept for the rest of the application (default 0.25)")
    add_import_options(p)
    p.add_argument("--no-cache", action="store_true", help="import and build candidates again")
    add_json_flag(p)
    p.set_defaults(run=run)


def run(args) -> int:
    import numpy as np

    from edgeling.core.commands.inspect import options_from_args
    from edgeling.core.data.dataset import TRAIN, DataError
    from edgeling.core.data.load import open_dataset
    from edgeling.core.devices.catalogue import get_device
    from edgeling.core.models import autosize, zoo

    for name in ("ram_headroom", "flash_headroom"):
        if not 0 <= getattr(args, name) < 1:
            raise CommandError(f"--{name.replace('_', '-')} is a share between 0 and 1, e.g. 0.25.")
    if args.latency_ms is not None and args.latency_ms <= 0:
        raise CommandError("--latency-ms must be a positive number of milliseconds.")
    device = get_device(args.device)  # DeviceError (exit 2) for an unknown id, before importing data
    try:
        ds = open_dataset(args.path, kind=args.kind, options=options_from_args(args), use_cache=not args.no_cache)
        spec = zoo.InputSpec.from_dataset(ds)
        train = ds.indices(TRAIN)
        train = train if len(train) else np.arange(ds.num_samples)
        x = ds.x[train[:autosize.FRONTEND_SAMPLES]]      # a few samples, not a copy of all of them
        result = autosize.plan(spec, x, device, latency_ms=args.latency_ms, precision=args.precision,
                               ram_headroom=args.ram_headroom, flash_headroom=args.flash_headroom,
                               use_cache=not args.no_cache, num_train=len(train))
    except DataError as e:
        raise CommandError(str(e), 2, {"files": e.files[:50]}) from None
    result = {"data": str(ds.root), "kind": ds.kind, **result}
    say(f"{device.name}: {result['assumes']}; model budget {autosize.format_bytes(result['budget']['ram_bytes'])}"
        f" RAM, {autosize.format_bytes(result['budget']['flash_bytes'])} {autosize.storage_word(device)}"
        + (f", {args.latency_ms:g} ms" if args.latency_ms else ""))
    if ds.kind == "timeseries":     # the pump walk: only inspect said what one input is
        from edgeling.core.sentences import window_words

        shown = window_words(ds.meta or {}, int(ds.sample_shape[0]))
        if shown:
            say(f"  (one input: a window of {shown})")
    if any(r.get("input_ram_bytes") for r in result["candidates"]):
        say("  (RAM: the model's tensor arena plus what the firmware needs to prepare one input)")
    # One aligned table: the network with only the settings that change its size (every knob, 120 characters
    # for a ds_cnn, pushed the numbers out of line: the vineyard walk), the full settings in --json.
    labels = autosize.size_labels(result["candidates"])
    width = max((len(label) for label in labels), default=0)
    kept_in = autosize.storage_word(device)     # a Raspberry Pi keeps its model on an SD card, not in flash
    for r, label in zip(result["candidates"], labels):
        say(f"  {'fits ' if r['fits'] else 'no   '} {label:{width}s}  "
            f"params {r['params']:>9,d}  MACs {r['macs']:>12,d}  {kept_in} {autosize.format_bytes(r['flash_bytes']):>7s}"
            f"  RAM {autosize.format_bytes(autosize.needs_ram(r)):>7s}  {autosize.format_ms(r['latency_ms']):>8s}"
            + (f"  ({', '.join(r['why_not_short'])})" if not r["fits"] and r.get("why_not_short") else ""))   # the pump walk
    if result["pick"] is None:
        raise CommandError(result["explanation"], 2, {"plan": result})
    say("Pick: " + result["explanation"])
    warnings = [p for p in ds.report.problems if p.severity == "warning"]
    if warnings:   # the pump walk sized a model on 40% of the recordings, the rest left out unsaid
        from edgeling.core.sentences import counted, first_sentence

        shown = "; ".join(first_sentence(p.message, 110).rstrip(".") for p in warnings[:2])
        shown += f"; and {len(warnings) - 2} more" if len(warnings) > 2 else ""
        say(f"Your data has {counted(len(warnings), 'warning')}: {shown}{'' if shown.endswith('…') else '.'} "
            f"The plan is for the data as imported; edgeling inspect {args.path} says each warning and what to do.")
    result["data_warnings"] = [{"code": p.code, "message": p.message} for p in warnings]
    if args.json:
        emit_json(result)
    return 0
