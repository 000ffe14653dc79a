"""Import sensor recordings as a Dataset of raw windows, float32 ``(N, T, C)``.

Three layouts:
- a folder with one subfolder per class, one CSV per recording (an optional timestamp column and numeric
  channels, e.g. ``timestamp,x,y,z``);
- a folder of such recordings with a label sheet that names each one's label (``recording_files.py``);
- one long CSV (or a folder of them) with a label column (``options.target``; else a column called label,
  class, activity, target...; else the last text column). Consecutive rows with the same label form one
  segment, treated like a recording. Labels are read in one Unicode form (NFC), as folder names are (an
  accented label typed on a Mac is the same class); labels differing only in capitals ('Walk', 'walk') stay
  two classes, with a warning.

Each recording's sample rate comes from its timestamps (seconds, milliseconds, microseconds, ISO or day-first
date-times, times of day; the number of intervals over the time they span, pauses left out, so that
whole-millisecond stamps average out), else ``options.sample_rate``. Every recording is read at
``options.sample_rate`` when it is given (the rate the device reads at), else at the most common rate:
recordings at other rates are resampled (linear interpolation, after a low-pass filter when the rate is
lower) and reported; irregular timestamps are reported too. A recording is cut where no reading
came for longer than 1 s (half a shorter window; see ``recording.gap_limit``), so that no window spans
readings that were never taken; each such gap is reported. Timestamps coarser than the readings (whole
seconds, 50 readings each) have each run spread over its step (``coarse_times``); other readings re-sent with
a timestamp already seen are left out (the first of each kept) and reported, as is a last line cut off mid-way
(``csvread``). A recording with more columns than the others is read by the others' channel names.
Recordings are cut into windows of ``options.window_s`` (default 2 s, shorter when recordings are short) every
``options.stride_s`` (default: half a window; a step longer than the window is reported, as it leaves the
readings between windows unused). Feature extraction belongs to the model, not here.

Every window of one recording shares its group, so a recording never straddles train and test. Exact
duplicate recordings (same bytes) share the first copy's group and are reported.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.data.checks import finish_dataset
from edgeling.core.data.coarse_times import report_coarse
from edgeling.core.data.csvread import is_missing, normalize_name, numeric_column, same_name
from edgeling.core.data.dataset import TRAIN, DataError, Dataset
from edgeling.core.data.ordering import (
    classes_of_folders,
    label_text,
    natural_order,
)
from edgeling.core.data.recording import (
    Signal,
    cut_windows,
    describe_path,
    find_time_column,
    gap_seconds,
    is_time_name,
    read_signal,
    resample,
)
from edgeling.core.data.recording_files import csv_files, layout, sheet_listing
from edgeling.core.data.recording_findings import (
    read_recording,
    report_filled,
    report_ignored,
    report_labels_in_case,
    report_repeated,
)
from edgeling.core.data.sensor_units import same_units
from edgeling.core.data.stuck_sensor import flat_mask, report_stuck, report_stuck_windows
from edgeling.core.data.timeseries_align import (
    Gap,
    common_rate,
    cut_at_gaps,
    long_enough,
    mark_duplicates,
    report_gaps,
    report_irregular,
    same_channels,
    window,
)
from edgeling.core.sentences import counted, verb

VERSION = 35  # 2: classes in natural order, as images and audio; 3: meta names a long CSV's label column;
# 4: the rate from the span of the timestamps (whole-millisecond stamps said 500 for 400 per second), a
# recording with extra columns read by the others' channel names, recordings cut at gaps (meta gap_s);
# 5: a step longer than the window is reported (UNUSED_READINGS); 6: readings with a timestamp already seen
# are reported (REPEATED_TIMESTAMPS), a last line cut off mid-way is left out and reported (CUT_OFF_ROW);
# 7: class folders whose names differ only in capitals ('Shake', 'shake') are reported; 8: a long CSV's
# labels in one Unicode form (NFC), labels differing only in capitals reported (LABELS_DIFFER_IN_CASE)
# 9: a logger's notes above the table ('# firmware 2.4.1', 'Rate: 100 Hz') are skipped (NOTES_SKIPPED)
# 10: a stray quote mark neither changes the delimiter nor swallows the rest of the file (csvread);
# 11: axes named "acc_x", "AccX" or "X [g]" in some recordings are the others' x, y, z (CHANNELS_MATCHED), and
# an accelerometer logged in m/s^2 by some recordings and in g by most is converted to g (UNITS_MIXED);
# a sensor stuck for a second or more is reported (STUCK_SENSOR); a "#" note as wide as the table is a note;
# a timestamp column of ISO dates is never taken as the label column
# 12: axes paired by letter only within one sensor; units only from an accelerometer; a class mostly still
#     (meta still_classes); a window of fewer than 16 readings is said; a stuck sensor's unchanging windows
#     are left out (in classes that are not mostly still)
# 13: only the stuck recording's unchanging windows are left out; a class a third of whose recordings are still
#     is a still class
# 14: a recording with no take number joins the machine its name starts with (subjects.claimed_by_start)
# 15: recordings named in a label sheet in the folder (file,state,pump) take their labels from it, and its
#     column that says which machine keeps each one's recordings in one split (recording_files.py)
# 16: an accelerometer reading about 0 at rest where the others read gravity is said (GRAVITY_MISSING)
# 17: timestamps written as times of day ("08:00:00.005"), alone or beside a Date column, and day-first
#     date-times ("10.05.2024 08:00:00") are read
# 18: a rate given (options.sample_rate) is the rate every recording is read at, timestamps or not; a
#     recording read at a lower rate than its own is filtered first (no aliasing)
# 19: timestamps that jump back (a logger's clock restarted) keep the order of the file and cut it (CLOCK_RESTART)
# 20: timestamps coarser than the readings (whole seconds, 50 each) spread over their step (COARSE_TIMESTAMPS)
# 21: a rate's advice names 'read at' (--sample-rate); 22: ERR / NaN not 'blank'; 23, 24: a file name as a pump: no one
# 25: numbered recordings are no sheet; a sheet's 'label' wins; a long untimed CSV's times at --recorded-rate
# 26: lines sent again after a jump back are repeats, not a clock restart; 27: a coarse sensor's equal readings kept
# 28: meta sheet_label_column (a test on other files reads the same column); 29: 'as a new machine would be'
# 30: a clock restart in a recording of under 100 readings is found (one step back is always allowed)
# 31: a sheet's label column by more names, a guess said (LABEL_COLUMN_GUESSED); meta sheet_columns; 32: 'line 1'; 33: sheets
# 34: whole numbers read as seconds may be ms: said; 35: a name ending in a date is its subject's
UNUSED_READINGS = "unused_readings"
"""Report code: windows start further apart than they are long, so the readings between them are unused."""
LABEL_NAMES = ("label", "labels", "class", "classe", "activity", "activite", "target", "category",
               "categorie", "etiquette", "state", "etat", "condition")


class _Rec:
    """One recording (a file, or a labelled segment of a long CSV) on its way to windows."""

    def __init__(self, source: str, label: str, signal: Signal, group: str, content: str, t0: float = 0.0):
        self.source, self.label, self.signal, self.group, self.content, self.t0 = (
            source, label, signal, group, content, t0)
        self.rate: float | None = signal.rate
        self.data: np.ndarray | None = None
        self.label_column: str | None = None
        self.cut = False
        """A piece of a recording cut at a gap (``timeseries_align.cut_at_gaps``)."""
        self.whole = self
        """The recording a piece was cut from (itself when it was not cut)."""

    def piece(self, start: int, stop: int) -> _Rec:
        """Samples ``start:stop`` (of a recording with timestamps) as a recording of its own, in the same
        group: its windows stay in the split of the rest of the recording."""
        signal = self.signal.part(start, stop)
        t0 = self.t0 + float(signal.times[0] - self.signal.times[0])
        rec = _Rec(self.source, self.label, signal, self.group,
                   self.content if start == 0 else f"{self.content}#{start}", t0)
        rec.rate, rec.label_column, rec.cut, rec.whole = self.rate, self.label_column, True, self.whole
        return rec


def import_dataset(path: Path, options) -> Dataset:
    path = Path(path)
    report = R.Report()
    sheet = None
    if path.is_file():
        recs = _long_csv(path, path, options, report)
        mode = "long_csv"
    else:
        class_dirs, loose = layout(path)
        listing = sheet_listing(path, class_dirs, loose, report, options.target)
        if listing is not None:     # recordings named in a label sheet (file,state,pump)
            recs = _recordings(path, [(path / rel, label) for rel, label in listing.files], report)
            mode, sheet = "sheet", listing
        elif class_dirs:
            recs, mode = _folders(path, class_dirs, report), "folders"
            if loose:
                report.add(R.UNLABELLED_FILE,
                           f"{counted(len(loose), 'CSV file')} {verb(len(loose), 'sits', 'sit')} directly in {path.name}, outside "
                           f"the class folders, so {verb(len(loose), 'its class is unknown; it was', 'their class is unknown; they were')} left out.",
                           "Move each into the folder of its class.",
                           files=[describe_path(p, path) for p in loose], severity="warning")
        elif loose:
            recs, mode = [], "long_csv"
            for f in loose:
                recs += _long_csv(f, path, options, report)
        else:
            raise DataError(f"{path} has no CSV recordings in it. Choose a folder with one subfolder per "
                            "class holding CSV recordings, a folder of recordings with a CSV naming each one's "
                            "label, or one CSV with a label column.", files=[str(path)])
    if mode == "long_csv":
        report_labels_in_case(recs, report)
    if not recs:
        raise DataError(nothing_usable_words(path, report), files=[f for p in report.problems for f in p.files])
    report_coarse({r.source: r.signal.coarse for r in recs if r.signal.coarse}, report)
    recs = same_channels(recs, report)
    axis_units = same_units(recs, report)   # g and m/s^2 mixed: one unit
    rate = common_rate(recs, options, report, path)
    gap_s = gap_seconds(options.window_s)
    pieces, gaps, unusable = _on_grid(recs, gap_s, rate, path)
    window_len, stride_len = window(pieces, rate, options, path, report)
    if window_len / rate / 2 < gap_s:  # a window shortened for short recordings: no pause of half of it
        gap_s = gap_seconds(window_len / rate)
        pieces, gaps, unusable = _on_grid(recs, gap_s, rate, path)
    if unusable:
        report.add(R.CORRUPT_FILE, f"{counted(len(unusable), 'recording')} {verb(len(unusable), 'has', 'have')} unusable timestamps and "
                   f"{verb(len(unusable), 'was', 'were')} left out.",
                   "Check their timestamp column.", files=unusable, severity="warning")
    report_gaps(gaps, window_len, stride_len, rate, report)
    report_unused_readings(window_len, stride_len, rate, report)
    report_irregular(recs, report, gap_s)
    still, stuck = report_stuck(recs, rate, report)
    recs = long_enough(pieces, window_len, rate, report, path)  # not empty: ``window`` made sure
    mark_duplicates(recs, report)
    xs, labels, sources, groups, dead = [], [], [], [], 0
    for r in recs:
        w = cut_windows(r.data, window_len, stride_len)
        srcs = _window_sources(r, len(w), window_len, stride_len, rate)
        if (r.source, r.label) in stuck:     # a dead sensor's windows are no example of its class
            keep = ~flat_mask(w)
            dead += int(len(w) - keep.sum())
            w, srcs = w[keep], [s for s, k in zip(srcs, keep) if k]
        xs.append(w)
        labels += [r.label] * len(w)
        groups += [r.group] * len(w)
        sources += srcs
    report_stuck_windows(stuck, dead, report)
    class_names = sorted({r.label for r in recs}, key=natural_order)  # as images and audio order them
    index = {c: i for i, c in enumerate(class_names)}
    channels = recs[0].signal.channels
    x = np.concatenate(xs) if xs else np.zeros((0, window_len, len(channels)), np.float32)
    meta = {"sample_rate": rate, "window_s": window_len / rate, "stride_s": stride_len / rate,
            "window_len": window_len, "stride_len": stride_len, "channels": channels, "mode": mode,
            "recordings": len({(r.source, r.group) for r in recs}), "gap_s": gap_s,
            "timestamp_unit": Counter(r.signal.time_unit for r in recs).most_common(1)[0][0]}
    if axis_units:
        meta["axis_units"] = axis_units
    if options.recorded_rate:       # recordings with no timestamps were made at it (predict reads new ones so)
        meta["untimed_rate"] = float(options.recorded_rate)
    if still:
        meta["still_classes"] = still
    if mode == "long_csv":  # so a long CSV kept apart is read with the same column (``labelled_windows``)
        meta["label_column"] = Counter(r.label_column for r in recs).most_common(1)[0][0]
    if sheet is not None:
        meta.update(labels_from=sheet.labels_from, **sheet.label_meta())
    ds = finish_dataset(kind="timeseries", task="classification", x=x,
                        y=np.array([index[c] for c in labels], dtype=np.int64), class_names=class_names,
                        sources=sources, groups=groups, root=str(path), meta=meta, report=report,
                        content_groups=False, seed=options.seed,
                        sheet=sheet.sheet_subjects() if sheet is not None else None)
    train = ds.x[ds.splits == TRAIN] if np.any(ds.splits == TRAIN) else ds.x
    ds.meta["channel_mean"] = [float(v) for v in train.mean(axis=(0, 1), dtype=np.float64)]
    ds.meta["channel_std"] = [float(v) for v in train.std(axis=(0, 1), dtype=np.float64)]
    return ds


def nothing_usable_words(path: Path, report: R.Report) -> str:
    """Why no file could be used, said in the message itself: the list of problems is not shown when the import
    fails (the small-screen walk: "see the list of problems", in the app and the terminal, with no list)."""
    problems = [p for p in report.problems if p.severity != "info"]
    why = "."
    if problems:
        first = problems[0]
        others = list(dict.fromkeys(f for p in problems for f in p.files if f not in first.files))
        why = ": " + first.message.rstrip(".") + "."
        if others:
            listed = ", ".join(others[:4]) + (", ..." if len(others) > 4 else "")
            why += f" The other {len(others)} file{'s' if len(others) > 1 else ''} ({listed}) could not be used either."
    return (f"No file in {path.name} could be read as a sensor recording (a CSV table of readings){why} "
            "If this is not the data you meant, choose a folder with one subfolder per class holding CSV "
            "recordings, or one CSV file.")


def report_unused_readings(window_len: int, stride_len: int, rate: float, report: R.Report) -> None:
    """A warning when windows start further apart than they are long (1.5 s windows every 5 s): the
    readings between one window's end and the next one's start are never used (70% of each recording)."""
    if stride_len <= window_len:
        return
    window_s, stride_s = f"{round(window_len / rate, 3):g} s", f"{round(stride_len / rate, 3):g} s"
    unused = 1 - window_len / stride_len
    report.add(UNUSED_READINGS,
               f"Windows of {window_s} every {stride_s} leave {unused:.0%} of each recording unused; a step no "
               "longer than the window uses all of it.",
               f"Start a new window at most every {window_s} ('a new one every' in the app, --stride on the "
               "command line); by default a new one starts every half window.", severity="warning")


def _on_grid(recs: list[_Rec], gap_s: float, rate: float, path: Path) -> tuple[list[_Rec], list[Gap], list[str]]:
    """(the recordings cut at their gaps (``cut_at_gaps``), each piece resampled to ``rate`` in ``r.data``;
    the gaps; the pieces left out for unusable timestamps, with the reason). DataError when none is left."""
    pieces, gaps = cut_at_gaps(recs, gap_s)
    unusable = []
    for r in pieces:
        r.data = None
        try:
            r.data = resample(r.signal, rate, r.rate)
        except DataError as e:
            unusable.append(f"{r.source}: {e}")
    pieces = [r for r in pieces if r.data is not None]
    if not pieces:
        raise DataError(f"No recording in {path} has usable timestamps: " + "; ".join(unusable[:3])
                        + ". Check the timestamp column, or remove it and give the sample rate.", files=unusable)
    return pieces, gaps, unusable


def _window_sources(r: _Rec, n: int, window_len: int, stride_len: int, rate: float) -> list[str]:
    return [f"{r.source}#t={r.t0 + k * stride_len / rate:.2f}-{r.t0 + (k * stride_len + window_len) / rate:.2f}"
            for k in range(n)]


def _folders(root: Path, class_dirs: list[Path], report: R.Report) -> list[_Rec]:
    files = {d: list(csv_files(d)) for d in class_dirs}
    classes = classes_of_folders({d.name: len(fs) for d, fs in files.items()}, report,
                                 ("recording", "recordings"))
    return _recordings(root, [(f, classes[d.name]) for d in class_dirs for f in files[d]], report)


def _recordings(root: Path, files: list[tuple[Path, str]], report: R.Report) -> list[_Rec]:
    """The recordings of ``files`` (each with its class), those that hold sensor values."""
    recs, ignored = [], defaultdict(list)
    for f, label in files:
        rel = describe_path(f, root)
        table = read_recording(f, rel, report)
        if table is None:
            continue
        signal, dropped = read_signal(table)
        report_filled(signal, rel, report)
        report_repeated(signal, rel, report)
        for name in dropped:
            ignored[name].append(rel)
        if not signal.channels:
            report.add(R.CORRUPT_FILE, f"{rel} has no columns of numbers, so it holds no sensor "
                       "values; it was left out.", "Check the file; export it again if needed.",
                       files=[rel], severity="warning")
            continue
        content = hashlib.sha1(f.read_bytes()).hexdigest()
        recs.append(_Rec(rel, label, signal, rel, content))
    report_ignored(ignored, report)
    return recs


def _long_csv(f: Path, root: Path, options, report: R.Report) -> list[_Rec]:
    rel = describe_path(f, root)
    table = read_recording(f, rel, report, raise_errors=root == f)
    if table is None:
        return []
    j = _label_column(table, options.target)
    if j is None:
        if options.target:
            raise DataError(f"{f} has no column named {options.target!r}. Its columns are: "
                            + ", ".join(map(repr, table.columns)) + ". Choose the column that holds the "
                            "labels.", files=[str(f)])
        message = (f"{rel} has no label column (a column of text such as 'label' or 'activity' saying "
                   "what happens in each row), so its rows cannot be given a class.")
        if root == f:
            raise DataError(message + " Add such a column, name the column with the labels, or put the "
                            "recordings in a folder with one subfolder per class.", files=[str(f)])
        report.add(R.UNLABELLED_FILE, message + " It was left out.", "Add a label column.", files=[rel])
        return []
    row_labels = [label_text(r[j]) for r in table.rows]   # in NFC: 'marché' typed on a Mac is 'marché'
    full, dropped = read_signal(table, exclude={j})
    report_filled(full, rel, report)
    report_repeated(full, rel, report)
    if dropped:
        report_ignored({name: [rel] for name in dropped}, report)
    if not full.channels:
        raise DataError(f"{f} has no columns of numbers besides the labels, so it holds no sensor values. "
                        "Choose a file with one column per sensor channel.", files=[str(f)])
    blank = sum(1 for v in row_labels if is_missing(v))
    recs = _segments(full, [row_labels[i] for i in full.rows], rel, options.recorded_rate or options.sample_rate or 1.0)
    for r in recs:
        r.label_column = table.columns[j]
    if blank:
        report.add(R.MISSING_VALUES, f"{counted(blank, 'row')} of {rel} {verb(blank, 'has no label and was', 'have no label and were')} left out.",
                   "Fill in the label for those rows if you know it.", files=[rel], severity="info")
    return recs


def _segments(full: Signal, labels: list[str], rel: str, untimed_rate: float) -> list[_Rec]:
    """Each stretch of consecutive samples with the same label as a recording of its own (stretches with
    no label are not); ``labels`` has one label per sample of ``full``."""
    recs, start = [], 0
    for k in range(1, len(labels) + 1):
        if k == len(labels) or labels[k] != labels[start]:
            if not is_missing(labels[start]):
                seg = full.part(start, k)
                t0 = float(seg.times[0] - full.times[0]) if full.times is not None else start / untimed_rate
                content = hashlib.sha1(np.ascontiguousarray(seg.data).tobytes()).hexdigest()
                rec = _Rec(rel, labels[start], seg, f"{rel}#segment={len(recs) + 1}", content, t0)
                rec.rate = full.rate
                recs.append(rec)
            start = k
    return recs


def _label_column(table, target: str | None) -> int | None:
    names = [normalize_name(c) for c in table.columns]
    if target:
        return next((j for j, c in enumerate(table.columns) if same_name(target, c)), None)
    for wanted in LABEL_NAMES:
        if wanted in names:
            return names.index(wanted)
    tcol = find_time_column(table, set())
    for j in reversed(range(len(table.columns))):
        if j == tcol or is_time_name(table.columns[j]):
            continue      # ISO dates are text, not labels (the pump walk: every window labelled by its time)
        col = numeric_column(table.column(j), table.decimal_comma)
        if col.numeric_fraction < 0.5:
            return j
    return None
