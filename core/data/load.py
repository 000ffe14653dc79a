"""One entry point for every kind of data: detect the kind, import (or reopen from the cache), report."""

from __future__ import annotations

import importlib
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from edgeling.core.data import cache
from edgeling.core.data.dataset import LABEL_SHEET_CHOSEN, TEST, DataError, Dataset
from edgeling.core.data.formats import AUDIO_EXTS, IMAGE_EXTS, OTHER_IMAGE_EXTS, TABLE_EXTS
from edgeling.core.data.splits import check_scheme, import_split

# kind -> module under edgeling.core.data with ``VERSION`` and ``import_dataset(path, options)``
IMPORTERS = {
    "images": "edgeling.core.data.images",
    "table": "edgeling.core.data.table",
    "timeseries": "edgeling.core.data.timeseries",
    "audio": "edgeling.core.data.audio",
}


@dataclass
class ImportOptions:
    """Everything a user can choose about an import. ``None`` means "decide from the data"."""

    target: str | None = None          # table / long time-series CSV / a label CSV beside pictures or clips:
    #                                    the label or target column
    task: str | None = None            # "classification" / "regression" (tables): override the guess
    image_size: int | None = None      # images: side of the square the images are resized to
    grayscale: bool | None = None      # images: force grey (True) or colour (False)
    window_s: float | None = None      # time series: window length in seconds
    stride_s: float | None = None      # time series: step between windows in seconds
    sample_rate: float | None = None   # time series: the samples per second every recording is read at (the
    #                                    device's; else the most common one); those with no timestamps are taken at it
    recorded_rate: float | None = None  # time series: the rate recordings with no timestamps were made at, when it
    #                                    is not the rate to read them at (sample_rate: 100 recorded, read at 119)
    audio_rate: int | None = None      # audio: the one sample rate every clip is resampled to
    clip_s: float | None = None        # audio: the one clip length (pad or cut)
    seed: int = 0                      # split seed
    split: str | None = None           # how samples are split: "per-class" (None: the default) or "per-file",
    #                                    the older scheme a run without one in run.json was trained on (splits.py)
    fold: str | None = None            # cross-validation: "k/K" tests on the k-th of K parts instead (folds.py)
    leave_out: list[str] | None = None  # tables: columns the model must not read (names, any case or accents)

    def as_dict(self) -> dict:
        return asdict(self)


def existing_path(path: str | os.PathLike) -> Path:
    p = Path(path)
    if not p.exists():
        raise DataError(f"{p} does not exist. Check the path, or choose the folder or file again.", [str(p)])
    return p


WORKBOOK_EXTS = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")


def detect_kind(path: str | os.PathLike) -> str:
    """Guess which kind of data ``path`` holds, or raise DataError saying what was expected."""
    p = existing_path(path)
    if p.is_file():
        if p.suffix.lower() in TABLE_EXTS:
            return "table"
        if p.suffix.lower() in WORKBOOK_EXTS:     # the shop walk: the message said what is opened, not how
            raise DataError(
                f"{p.name} is a spreadsheet workbook ({p.suffix}), not a CSV file. Open it in your spreadsheet "
                "(Excel, LibreOffice or Numbers), use File > Save As (or Export) > CSV, then choose the .csv "
                "file.", [str(p)])
        raise DataError(
            f"{p} is a single {p.suffix or 'extension-less'} file. Edgeling opens a CSV table, or a folder "
            "with one subfolder per class (images, audio clips or sensor recordings in CSV).")
    counts = {"images": 0, "audio": 0, "csv": 0}
    for _dirpath, dirnames, filenames in os.walk(p):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            ext = os.path.splitext(name)[1].lower()
            if ext in IMAGE_EXTS or ext in OTHER_IMAGE_EXTS:
                counts["images"] += 1
            elif ext in AUDIO_EXTS:
                counts["audio"] += 1
            elif ext in TABLE_EXTS:
                counts["csv"] += 1
    if not any(counts.values()):
        raise DataError(
            f"{p} has no images, audio clips or CSV files in it"
            + (" (it is empty)" if not any(p.iterdir()) else "")
            + ". Choose a folder with one subfolder per class, for example healthy/ and mildew/ holding "
              "photos, or a CSV file.")
    if counts["images"] >= max(counts["audio"], 1) and counts["images"] >= counts["csv"]:
        return "images"
    if counts["audio"] >= counts["csv"]:
        return "audio"
    # CSV files in a folder: a single label/mapping CSV next to images was handled above, so these are
    # sensor recordings (one CSV per recording, in a folder per class, or one long CSV with labels).
    return "timeseries"


def open_dataset(path: str | os.PathLike, kind: str | None = None, options: ImportOptions | None = None,
                 use_cache: bool = True) -> Dataset:
    """Import ``path`` as a Dataset (from the cache when nothing changed since the last import)."""
    options = options or ImportOptions()
    if options.fold:   # the same import for every fold (one cache entry), then the fold's own splits
        ds = open_dataset(path, kind, replace(options, fold=None), use_cache)
        return with_fold(ds, options.fold, options.seed)
    p, kind, options, detected, lone_csv = _what_to_import(path, kind, options)
    module = importlib.import_module(IMPORTERS[kind])
    key = None
    if use_cache:
        key = cache.cache_key(p, kind, options.as_dict(), module.VERSION)
        hit = _cache_hit(key, p)
        if hit is not None:
            return hit
    try:
        with import_split(options.split):  # for an importer that does not pass options.split on itself
            ds = module.import_dataset(p, options)
    except DataError as e:
        if detected and kind == "timeseries" and lone_csv is not None:
            # A folder holding one CSV is read as a long sensor recording; it may well be a spreadsheet.
            raise DataError(f"{e} If {lone_csv.name} is a table (a spreadsheet export) rather than sensor "
                            "recordings, open the file itself instead of its folder, or choose the kind "
                            "table.", files=e.files) from None
        raise
    if key is not None:
        cache.store(key, ds, cache.import_config(p, kind, options.as_dict()))
    return ds


def cached_dataset(path: str | os.PathLike, kind: str | None = None,
                   options: ImportOptions | None = None) -> Dataset | None:
    """What ``open_dataset`` would return from the cache, or None when opening ``path`` would read its files
    (the app then reads them in a child process of its own: ``jobs/import_job.py``)."""
    options = options or ImportOptions()
    if options.fold:
        ds = cached_dataset(path, kind, replace(options, fold=None))
        return None if ds is None else with_fold(ds, options.fold, options.seed)
    p, kind, options, _, _ = _what_to_import(path, kind, options)
    module = importlib.import_module(IMPORTERS[kind])
    return _cache_hit(cache.cache_key(p, kind, options.as_dict(), module.VERSION), p)


def _what_to_import(path, kind: str | None, options: ImportOptions):
    """(the file or folder to read, its kind, the options as cached, whether the kind was detected, the lone CSV
    of a folder or None). Raises DataError for a path that is not there or an unknown kind."""
    p = existing_path(Path(path).expanduser())
    options = replace(options, split=check_scheme(options.split))  # None and "per-class" share a cache entry
    detected = kind is None
    kind = kind or detect_kind(p)
    if kind not in IMPORTERS:
        raise DataError(f"Unknown kind of data {kind!r}; choose one of {', '.join(IMPORTERS)}.")
    lone_csv = single_table_file(p) if p.is_dir() else None
    if kind == "table" and lone_csv is not None:
        p = lone_csv  # "open this folder as a table" can only mean the one CSV file in it
    if detected and kind == "table" and p.is_file():
        refuse_a_label_sheet(p)      # (its first 64 KB only: this runs before the cache is looked at)
    return p, kind, options, detected, lone_csv


def refuse_a_label_sheet(p: Path) -> None:
    """A CSV whose first column of file names names pictures, sound clips or sensor recordings (CSVs beside it)
    is the label sheet of a folder of them, not a table to learn from: said, with the folder to choose (the speech walk: labels.csv chosen on
    its own was told its 'file' column is an identifier, and to choose another target column)."""
    from edgeling.core.data.label_table import read_rows

    try:
        rows = read_rows(p, head=64 * 1024)[:200]   # its first lines tell: a big table is not read whole
    except (OSError, ValueError):
        return
    for exts, what in ((AUDIO_EXTS, "sound clips"), (IMAGE_EXTS | OTHER_IMAGE_EXTS, "pictures"),
                       ({".csv", ".tsv", ".txt"}, "sensor recordings")):
        for col in range(max((len(r) for r in rows), default=0)):
            values = [r[col] for r in rows[1:] if col < len(r) and r[col]]
            named = [v for v in values if os.path.splitext(v.lower())[1] in exts]
            there = what != "sensor recordings" or any((p.parent / v.replace("\\", "/")).is_file() for v in named[:50])
            if len(values) >= 2 and len(named) >= 0.8 * len(values) and there:     # a table of CSV names: not unless they are here
                raise DataError(
                    f"{p.name} names {what} ({', '.join(named[:2])}, ...) and their labels: it is the label sheet of "
                    f"a folder of {what}, not a table to learn from. Choose the folder that holds {p.name} and the "
                    f"{what} (here {p.resolve().parent}); Edgeling reads the labels from {p.name} there.", [str(p)],
                    code=LABEL_SHEET_CHOSEN)


def _cache_hit(key: str, p: Path) -> Dataset | None:
    hit = cache.load_cached(key)
    if hit is not None:
        hit.root = str(p)  # the key holds the absolute path; the entry may come from another folder's
    return hit             # relative path ("data" seen from elsewhere), so name it as asked now


def with_fold(ds: Dataset, fold: str, seed: int = 0) -> Dataset:
    """``ds`` split for cross-validation fold ``fold`` ("k/K", ``folds.py``); meta["fold"] says which."""
    from edgeling.core.data.folds import (
        check_folds,
        fold_splits,
        parse_fold,
        subject_fold_splits,
        subject_units,
    )
    from edgeling.core.data.subjects import subject_among, subjects_of_samples

    k, folds = parse_fold(fold)
    labels = ds.y if ds.task == "classification" else None
    meta = {**ds.meta, "fold": f"{k}/{folds}"}
    few = meta.get("few_subjects")
    if few and not meta.get("subjects"):    # a few machines: each fold holds whole ones out (folds.py)
        subjects = [subject_among(s, set(few), meta.get("subject_by_file")) for s in ds.sources]
        check_folds(subject_units(ds.groups, subjects), folds)
        splits = subject_fold_splits(ds.groups, subjects, labels, fold, seed)
        meta["subjects"] = {"count": len(few), **({"from": meta["subjects_from"]} if meta.get("subjects_from") else {})}
    else:
        check_folds(ds.groups, folds)
        splits = fold_splits(ds.groups, labels, fold, seed)
    if meta.get("subjects"):     # the speakers this fold tests on, not the default split's
        whose = subjects if few and not ds.meta.get("subjects") else subjects_of_samples(ds.sources, ds.y, ds.meta) or []
        held = sorted({s for s, part in zip(whose, splits.tolist()) if part == TEST} - {None})
        meta["subjects"] = {**meta["subjects"], "test": held}
    return replace(ds, splits=splits, meta=meta)


def single_table_file(folder: Path) -> Path | None:
    """The CSV file when ``folder`` holds exactly one (directly in it) and no other CSV files below it."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found += [Path(dirpath) / n for n in filenames
                  if not n.startswith(".") and os.path.splitext(n)[1].lower() in TABLE_EXTS]
        if len(found) > 1:
            return None
    return found[0] if found and found[0].parent == folder else None
