"""``edgeling inspect PATH``: detect the kind of data, import it, print the data-quality report."""

from __future__ import annotations

from edgeling.core.commands.common import (
    CommandError,
    add_import_options,
    add_json_flag,
    emit_json,
    import_options_from_args,
    say,
)
from edgeling.core.sentences import window_words


def register(sub) -> None:
    p = sub.add_parser("inspect", help="import a folder or CSV and report what is in it")
    p.add_argument("path", help="a folder (one subfolder per class) or a CSV file")
    add_import_options(p)
    p.add_argument("--no-cache", action="store_true", help="import again even if nothing changed")
    p.add_argument("--samples", action="store_true",
                   help="with --json: also list every sample's source, class and split (long for big data)")
    add_json_flag(p)
    p.set_defaults(run=run)


def options_from_args(args):
    from edgeling.core.data.load import ImportOptions

    return ImportOptions(**import_options_from_args(args))


KIND_WORDS = {"images": "pictures", "table": "a table", "timeseries": "sensor recordings", "audio": "sound clips"}
TASK_WORDS = {"classification": "telling classes apart", "regression": "predicting a number"}


def shape_words(ds) -> str:
    """What one sample is, in words: '96 x 96 pixels, colour'; 'each row becomes 46 numbers for the model'."""
    shape = list(ds.sample_shape)
    if ds.kind == "images" and len(shape) == 3:
        return f"each {shape[0]} x {shape[1]} pixels, {'grey' if shape[2] == 1 else 'colour'}"
    if ds.kind == "table":
        return f"each row becomes {shape[0]} numbers for the model"
    if ds.kind == "timeseries" and len(shape) == 2:
        return f"each {window_words(ds.meta or {}, shape[0]) or f'a window of {shape[0]} readings of {shape[1]} channels'}"
    if ds.kind == "audio" and ds.meta.get("sample_rate") and ds.meta.get("clip_s"):
        return f"each a clip of {float(ds.meta['clip_s']):g} s at {int(ds.meta['sample_rate']):,} values per second"
    return f"each of shape {shape}"


def run(args) -> int:
    from edgeling.core.commands.common import ImportProgressLine
    from edgeling.core.data.dataset import DataError
    from edgeling.core.data.import_progress import reporting
    from edgeling.core.data.load import open_dataset

    line = ImportProgressLine()
    try:
        with reporting(line):
            ds = open_dataset(args.path, kind=args.kind, options=options_from_args(args),
                              use_cache=not args.no_cache)
    except DataError as e:
        raise CommandError(str(e), 2, {"files": e.files[:50]}) from None
    finally:
        line.close()
    summary = ds.summary()
    say(f"{ds.root}: {KIND_WORDS.get(ds.kind, ds.kind)}, {TASK_WORDS.get(ds.task, ds.task)}; {ds.num_samples} "
        f"{'windows' if ds.kind == 'timeseries' else 'samples'}, {shape_words(ds)}")
    if ds.task == "classification":
        say("Classes: " + ", ".join(f"{k} ({v})" for k, v in summary["classes"].items()))
    say("Splits: " + ", ".join(f"{k} {v}" for k, v in summary["splits"].items()))
    say(ds.report.text())
    if args.json:
        if args.samples:
            summary["samples"] = sample_listing(ds)
        emit_json(summary)
    return 0


def sample_listing(ds) -> list[dict]:
    """One ``{source, label, split}`` per sample: where it came from, its class (or target number) and the
    split it was given, so a user or a test can see which files landed in the test set."""
    import numpy as np

    from edgeling.core.data.dataset import SPLIT_NAMES

    splits = np.asarray(ds.splits)
    y = np.asarray(ds.y)
    labels = ([ds.class_names[int(v)] for v in y] if ds.task == "classification"
              else [float(v) for v in y])
    return [{"source": s, "label": lab, "split": SPLIT_NAMES[int(sp)]}
            for s, lab, sp in zip(ds.sources, labels, splits)]
