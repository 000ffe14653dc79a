"""Making sensor recordings comparable before they are cut into windows: the same channels in the same
order, one sample rate (others resampled, differences reported), irregular timestamps reported, a window
length and stride, recordings too short for a window reported, duplicates marked. Used by
``timeseries.py``; numpy only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.data.channel_match import match_channels, renamed_axes
from edgeling.core.data.clock_restarts import Restart, restart_words
from edgeling.core.data.dataset import NO_SAMPLE_RATE, DataError
from edgeling.core.data.rate_findings import report_all_raised, report_untimed
from edgeling.core.data.recording import channel_key
from edgeling.core.sentences import counted, verb
from edgeling.core.terminal_hint import in_terminal

if TYPE_CHECKING:
    from edgeling.core.data.timeseries import _Rec

DEFAULT_WINDOW_S = 2.0
RATE_TOLERANCE = 0.02
IRREGULAR_TIMESTAMPS = R.IRREGULAR_TIMESTAMPS


def same_channels(recs: list[_Rec], report: R.Report) -> list[_Rec]:
    """The channels most recordings have, by name and in the order of the first such recording. A recording
    with extra columns is kept (those columns are not used, and reported); one that lacks some is left
    out."""
    if not recs:
        return recs
    keys = Counter(channel_key(r.signal.channels) for r in recs)
    best = keys.most_common(1)[0][0]
    ref = next(r.signal.channels for r in recs if channel_key(r.signal.channels) == best)
    kept, skipped, extra, renamed = [], [], [], []
    for r in recs:
        found = match_channels(list(ref), r.signal.channels)
        lacking = [c for c, j in zip(ref, found) if j is None]
        if lacking:
            skipped.append(f"{r.source} (no {', '.join(lacking)}; its columns: {', '.join(r.signal.channels)})")
            continue
        if found != list(range(len(r.signal.channels))) or r.signal.channels != list(ref):
            unused = [c for j, c in enumerate(r.signal.channels) if j not in found]
            if unused:
                extra.append((r.source, unused))
            if as_axes := renamed_axes(list(ref), r.signal.channels, found):
                renamed.append(f"{r.source} ({', '.join(as_axes)})")
            r.signal.data = r.signal.data[:, found]
            r.signal.channels = list(ref)
        kept.append(r)
    if renamed:
        report.add(R.CHANNELS_MATCHED,
                   f"{counted(len(renamed), 'recording names', 'recordings name')} the sensor's axes differently from the "
                   f"others ({', '.join(ref)}); each axis was matched by its letter, and the model calls them "
                   f"{', '.join(ref)}.", "Nothing to do, if those columns hold the same sensor's axes.",
                   files=renamed, severity="info")
    if skipped:
        report.add(R.CHANNEL_MISMATCH,
                   f"{counted(len(skipped), 'recording')} {verb(len(skipped), 'does', 'do')} not have the same channels as the "
                   f"others ({', '.join(ref)}) and {verb(len(skipped), 'was', 'were')} left out; each is listed with the channels it lacks.",
                   f"Give those recordings the columns {', '.join(ref)}, named as in the others: rename a column "
                   "whose name differs, or export the recording again with the same columns as the rest.",
                   files=skipped, severity="warning")
    if extra:
        if len(extra) == 1:
            source, unused = extra[0]
            message = (f"{source} has {_extra_columns(unused)}, not used: the other recordings do not have "
                       f"{'it' if len(unused) == 1 else 'them'}.")
        else:
            message = (f"{len(extra)} recordings have extra columns, not used: the other recordings do not "
                       "have them.")
        report.add(R.DROPPED_COLUMN, message,
                   f"Nothing to do. To use such a column, every recording needs it (besides {', '.join(ref)}).",
                   files=[f"{source} ({', '.join(map(repr, unused))})" for source, unused in extra],
                   severity="info")
    return kept


def _extra_columns(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    if len(quoted) == 1:
        return f"an extra column {quoted[0]}"
    return f"extra columns {', '.join(quoted[:-1])} and {quoted[-1]}"


def common_rate(recs: list[_Rec], options, report: R.Report, root: Path) -> float:
    """The one rate every recording is read at: the rate given (``options.sample_rate``, the rate the device
    will read at; recordings without timestamps are taken to be at it), else the rate most recordings were
    made at. Recordings made at another rate are resampled to it, and said (the pump walk: a rate given was
    silently ignored for recordings with timestamps, so no model could be trained at the board's 119 Hz)."""
    given = options.sample_rate
    recorded = getattr(options, "recorded_rate", None)
    for value in (given, recorded):
        if value is not None and not (value > 0 and np.isfinite(value)):
            raise DataError(f"The sample rate must be a positive number of samples per second, not {value}.")
    timed = [r for r in recs if r.rate is not None and np.isfinite(r.rate) and r.rate > 0]
    untimed = [r for r in recs if not (r.rate is not None and np.isfinite(r.rate) and r.rate > 0)]
    if untimed and given is None and recorded is None and not timed:
        raise DataError(
            f"The recordings in {root} have no timestamp column, so Edgeling cannot tell how many samples "
            "the sensor took per second. Give the sample rate the sensor read at, such as 100 samples per second"
            f"{in_terminal('--sample-rate 100')}, or add a timestamp column named 'timestamp' or 'time'.",
            files=[r.source for r in untimed[:20]], code=NO_SAMPLE_RATE)
    untimed_rate = recorded if recorded is not None else given     # the sensor's own rate, as the user said it
    for r in untimed:
        r.rate = float(untimed_rate) if untimed_rate is not None else None
    rates = [r.rate for r in recs if r.rate is not None]
    if not rates:
        return float(given or 1.0)
    if given is not None:
        rate, common = float(given), "the rate you chose"
    else:
        rate, common = _most_common_rate(rates)
        if untimed and recorded is None:
            report_untimed(untimed, rate, report)
            for r in untimed:
                r.rate = rate
    off = [r for r in recs if abs(r.rate - rate) > RATE_TOLERANCE * rate]
    faster = [r for r in off if r.rate > rate]
    if faster:
        filtered = (f"What vibrates faster than {rate / 2:.4g} Hz was filtered out of "
                    f"{verb(len(faster), 'it', 'them')} first: at {rate:.4g} readings per second it cannot be seen, "
                    "and would otherwise show up as slower vibrations that were never there.")
        if given is not None:
            by = "" if any(r in untimed for r in faster) else f", by {verb(len(faster), 'its', 'their')} timestamps"
            message = (f"You chose {rate:.4g} samples per second, so {counted(len(faster), 'recording')} made at a "
                       f"higher rate (up to {max(r.rate for r in faster):.4g} per second{by}) "
                       f"{verb(len(faster), 'was', 'were')} resampled to it. {filtered}")
            advice = (f"Nothing to do, if the device reads at {rate:.4g} per second. To train at the recordings' own "
                      f"rate instead, set 'read at' on the Data page back to as recorded{in_terminal('leave --sample-rate out')}.")
        else:
            message = (f"{counted(len(faster), 'recording')} {verb(len(faster), 'was', 'were')} made at a higher "
                       f"sample rate; {verb(len(faster), 'it was', 'they were')} resampled to {rate:.4g} samples per "
                       f"second, {common}. {filtered}")
            advice = ("Nothing to do, but a model works best when it is used at the rate it was trained at: to train "
                      f"at the rate the device reads at, give it in 'read at' on the Data page{in_terminal('--sample-rate')}.")
        report.add(R.SAMPLE_RATE_MISMATCH, message, advice,
                   files=[f"{r.source} ({r.rate:.4g} per second)" for r in faster], severity="info")
    slower = [r for r in off if r.rate < rate]
    if slower and given is not None and len(slower) == len(recs):     # the GUI walk: "the others" were none
        report_all_raised(slower, rate, report)
    elif slower:     # the pump walk: a pump logged at 100 Hz, stretched to 200 Hz, scored 70% ("Nothing to do")
        lowest = min(r.rate for r in slower)
        report.add(R.SAMPLE_RATE_MISMATCH,
                   f"{counted(len(slower), 'recording')} {verb(len(slower), 'was', 'were')} made at a lower sample "
                   f"rate (from {lowest:.4g} per second) and stretched to {rate:.4g} per second, {common}. "
                   f"Stretching cannot add what was never recorded: {verb(len(slower), 'it lacks', 'they lack')} "
                   f"the vibrations faster than {lowest / 2:.4g} Hz that the others have, so the model may do worse "
                   f"on {verb(len(slower), 'it', 'them')} and on the device they came from.",
                   "Record every recording at the same rate if you can (the rate the device will read at), or leave "
                   "the slower ones out" + (", or choose a lower rate." if given is not None else "."),
                   files=[f"{r.source} ({r.rate:.4g} per second)" for r in slower], severity="warning")
    return rate


def _most_common_rate(rates: list[float]) -> tuple[float, str]:
    """The rate most recordings were made at (within RATE_TOLERANCE), and how to say it."""
    clusters: list[list[float]] = []
    for v in sorted(rates):
        if clusters and v <= clusters[-1][0] * (1 + RATE_TOLERANCE):
            clusters[-1].append(v)
        else:
            clusters.append([v])
    best = max(clusters, key=len)
    rate = float(np.median(best))
    common = ("the rate of most recordings" if 2 * len(best) > len(rates) else
              f"the most common rate ({len(best)} of {len(rates)} recordings)")   # the GUI walk: 48 of 120
    if abs(rate - round(rate)) < 0.01 * rate:
        rate = float(round(rate))
    return rate, common


def report_irregular(recs: list[_Rec], report: R.Report, gap_s: float | None = None) -> None:
    """Uneven timestamps: jitter, and pauses too short to cut the recording at (``gap_s``, see
    ``recording.gap_limit``; longer ones are reported by ``report_gaps``)."""
    found = []
    for r in recs:
        gaps, jitter = r.signal.irregularity(gap_s)
        if gaps or jitter > 0.1:
            what = counted(gaps, "gap") if gaps else f"intervals vary by {jitter:.0%}"
            found.append(f"{r.source} ({what})")
    if found:
        report.add(IRREGULAR_TIMESTAMPS,
                   f"The timestamps of {counted(len(found), 'recording')} are uneven (the sensor skipped samples or "
                   "its clock wobbles); the values were placed on an even time grid by interpolation.",
                   "Nothing to do if this is rare. Many long gaps mean the recording lost data.",
                   files=found, severity="info")


@dataclass
class Gap:
    """Where a recording was cut: no reading for ``seconds`` after ``at`` seconds from its start."""

    rec: _Rec
    at: float
    seconds: float
    before: _Rec
    after: _Rec
    restart: Restart | None = None
    """Not a pause: the timestamps jumped back there (``clock_restarts``)."""


def cut_at_gaps(recs: list[_Rec], gap_s: float) -> tuple[list[_Rec], list[Gap]]:
    """Each recording cut where no reading came for longer than ``recording.gap_limit``, so that no window
    spans readings that were never taken: the pieces share the recording's group (one split), and the
    gaps, for ``report_gaps``."""
    out, gaps = [], []
    for r in recs:
        cuts = r.signal.gaps(gap_s)
        if not cuts:
            out.append(r)
            continue
        bounds = [0, *(i + 1 for i in cuts), len(r.signal.data)]
        pieces = [r.piece(a, b) for a, b in zip(bounds, bounds[1:])]
        times = r.signal.times
        for i, before, after in zip(cuts, pieces, pieces[1:]):
            gaps.append(Gap(r, r.t0 + float(times[i] - times[0]), float(times[i + 1] - times[i]), before, after,
                            r.signal.restarts.get(i)))
        out += pieces
    return out, gaps


def report_gaps(gaps: list[Gap], window_len: int, stride_len: int, rate: float, report: R.Report) -> None:
    """One warning for the gaps recordings were cut at: where, how long, and how many windows the cut cost
    (the windows the readings on either side would give without the gap, less those they give apart)."""
    restarts = [g for g in gaps if g.restart is not None]
    gaps = [g for g in gaps if g.restart is None]
    if restarts:
        _report_restarts(restarts, window_len, stride_len, rate, report)
    if not gaps:
        return
    lost, costs = _cost(gaps, window_len, stride_len)
    said = [f"no readings for {seconds_said(g.seconds)} at t = {seconds_said(g.at)}; {windows_said(cost)} lost"
            for g, cost in zip(gaps, costs)]
    window = f"{window_len / rate:.2g} s"
    files = [f"{g.rec.source} ({what})" for g, what in zip(gaps, said)]
    cut = ("It was cut there, so that no window spans the missing stretch: filling it in would put readings that "
           "were never taken into the model's examples.")
    cost_words = (f"This cost {windows_said(lost)} of {window}." if lost else
                  f"No window of {window} was lost: the readings on either side still fill whole windows.")
    if len(gaps) == 1:
        message = (f"{gaps[0].rec.source} has no readings for {seconds_said(gaps[0].seconds)} at t = "
                   f"{seconds_said(gaps[0].at)} (the logger stopped or lost data). {cut} {cost_words}")
    else:
        recordings = len({id(g.rec) for g in gaps})
        message = (f"{counted(recordings, 'recording')} {verb(recordings, 'has', 'have')} stretches with no readings ({len(gaps)} in all; the logger "
                   "stopped or lost data). Each was cut there, so that no window spans a missing stretch: "
                   "filling it in would put readings that were never taken into the model's examples. "
                   f"{cost_words}")
    report.add(R.TIMESTAMP_GAP, message,
               "Nothing to do if the logger was paused. If it happens often, check the logger's connection, "
               "power or memory card.", files=files, severity="warning")


def _cost(gaps: list[Gap], window_len: int, stride_len: int) -> tuple[int, list[int]]:
    """The windows each cut cost (those the readings on either side would give together, less those they give
    apart), and their sum."""
    def windows(n: int) -> int:
        return 0 if n < window_len else (n - window_len) // stride_len + 1

    def length(r: _Rec) -> int:
        return 0 if r.data is None else len(r.data)

    costs = [windows(length(g.before) + length(g.after)) - windows(length(g.before)) - windows(length(g.after))
             for g in gaps]
    return sum(costs), costs


def _report_restarts(gaps: list[Gap], window_len: int, stride_len: int, rate: float, report: R.Report) -> None:
    """One warning for the recordings whose timestamps jump back (the second pump walk: said as a pause of
    657 s, with the second part sorted in front of the first)."""
    lost, costs = _cost(gaps, window_len, stride_len)
    files = [f"{g.rec.source} (line {g.restart.line}: from {g.restart.before} to {g.restart.after}; "
             f"{windows_said(cost)} lost)" for g, cost in zip(gaps, costs)]
    kept = ("Each part was kept in the order of the file (sorted by time, the part after the jump would have come "
            "first), and the recording was cut at the jump, so that no window spans it.")
    window = f"{window_len / rate:.2g} s"
    cost_words = (f"This cost {windows_said(lost)} of {window}." if lost else
                  f"No window of {window} was lost: the readings on either side still fill whole windows.")
    if len(gaps) == 1:
        message = f"In {gaps[0].rec.source} {restart_words(gaps[0].restart)}. {kept} {cost_words}"
    else:
        recordings = len({id(g.rec) for g in gaps})
        message = (f"In {counted(recordings, 'recording')} the timestamps jump back ({len(gaps)} times in all: the "
                   f"logger's clock restarted, or recordings were joined). {kept} {cost_words}")
    report.add(R.CLOCK_RESTART, message,
               "Nothing to do if the logger restarted. If the parts are separate recordings, save each as a file of "
               "its own.", files=files, severity="warning")


def seconds_said(s: float) -> str:
    return f"{s:.1f} s" if s >= 1 or s == 0 else f"{s:.2f} s"


def windows_said(n: int) -> str:
    return f"{n} window{'s' * (n != 1)}"


SHORT_WINDOW_READINGS = 16
"""A window chosen with fewer readings than this is said: it holds too little of any movement to learn from."""


def window(recs: list[_Rec], rate: float, options, root: Path, report: R.Report | None = None) -> tuple[int, int]:
    for name, v in (("window", options.window_s), ("stride", options.stride_s)):
        if v is not None and not (v > 0 and np.isfinite(v)):
            raise DataError(f"The {name} length must be a positive number of seconds, not {v}.")
    if options.window_s is not None:
        window_len = max(1, int(round(options.window_s * rate)))
    else:  # a recording cut at gaps counts as long as its pieces together
        lengths = Counter()
        for r in recs:
            lengths[id(r.whole)] += len(r.data)
        durations = [n / rate for n in lengths.values()] or [DEFAULT_WINDOW_S]
        auto = min(DEFAULT_WINDOW_S, float(np.percentile(durations, 25)))
        window_len = max(2, int(np.floor(auto * rate + 1e-6)))
    stride_s = options.stride_s if options.stride_s is not None else window_len / rate / 2
    stride_len = max(1, int(round(stride_s * rate)))
    if recs and all(len(r.data) < window_len for r in recs):
        longest = max(len(r.data) for r in recs) / rate
        between = " (or stretch of one between gaps in its readings)" if any(r.cut for r in recs) else ""
        raise DataError(
            f"Every recording in {root}{between} is shorter than one window ({window_len / rate:.2f} s; the "
            f"longest is {longest:.2f} s). Choose a window of at most {longest:.2f} seconds.")
    if report is not None and options.window_s is not None and window_len < SHORT_WINDOW_READINGS:
        report.add(R.LENGTH_MISMATCH,       # the pump walk's --window 0.05: 10 readings, taken without a word
                   f"A window of {options.window_s:g} s holds only {window_len} readings at {rate:.4g} per second: "
                   f"a movement or vibration slower than {window_len / rate:.2g} s does not fit in one, so the model "
                   "sees very little of what tells the classes apart.",
                   f"Choose a longer window (1 to 2 s is usual; {DEFAULT_WINDOW_S:g} s when none is chosen).",
                   severity="warning")
    return window_len, stride_len


def long_enough(recs: list[_Rec], window_len: int, rate: float, report: R.Report, root: Path) -> list[_Rec]:
    """The recordings at least one window long; the others are reported (pieces of a recording cut at a
    gap are not: ``report_gaps`` counts the windows the cut cost)."""
    short = [r for r in recs if len(r.data) < window_len and not r.cut]
    if short:
        report.add(R.LENGTH_MISMATCH,
                   f"{counted(len(short), 'recording')} {verb(len(short), 'is', 'are')} shorter than one window ({window_len / rate:.2f} s) "
                   f"and {verb(len(short), 'was', 'were')} left out.", "Record for longer, or choose a shorter window.",
                   files=[f"{r.source}#t={r.t0:.2f}-{r.t0 + len(r.data) / rate:.2f}" for r in short],
                   severity="warning")
    return [r for r in recs if len(r.data) >= window_len]


def mark_duplicates(recs: list[_Rec], report: R.Report) -> None:
    first: dict[str, _Rec] = {}
    same, across, seen = [], [], set()
    for r in recs:
        orig = first.setdefault(r.content, r)
        if orig is r:
            continue
        r.group = orig.group  # copies share a split, so a copy never sits in the test set
        if (orig.source, r.source, r.t0 - orig.t0) not in seen:  # a recording cut at a gap: once, not per piece
            seen.add((orig.source, r.source, r.t0 - orig.t0))
            (same if orig.label == r.label else across).append((orig, r))
    if across:
        report.add(R.DUPLICATE_ACROSS_LABELS,
                   f"{counted(len(across), 'recording appears', 'recordings appear')} under two different labels with exactly the "
                   "same content. The model is told the same thing is two different classes.",
                   "Look at each pair below and delete the copy that is in the wrong class.",
                   files=[f"{a.source} ({a.label}) = {b.source} ({b.label})" for a, b in across],
                   severity="warning")
    if same:
        report.add(R.DUPLICATE,
                   f"{counted(len(same), 'recording is an exact copy', 'recordings are exact copies')} of another in the same class. Copies make "
                   "the model over-value them; they are kept in the same split as the original.",
                   "Delete the extra copies if they were made by mistake.",
                   files=[f"{a.source} = {b.source}" for a, b in same], severity="info")
