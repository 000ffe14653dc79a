"""The findings a sensor recording's reading gives (``timeseries.import_dataset``): a file that is empty or
cannot be read (left out), blank values filled in, readings re-sent with a timestamp already seen, and columns
that are not sensor values."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from edgeling.core.data import report as R
from edgeling.core.data.csvread import read_csv
from edgeling.core.data.dataset import DataError
from edgeling.core.data.ordering import natural_order, report_labels_differing_in_case
from edgeling.core.sentences import counted, verb


def report_filled(signal, rel: str, report: R.Report) -> None:
    if signal.missing and signal.channels:
        n = signal.missing     # the pump walk: cells holding ERR or NaN were called "blank"
        report.add(R.MISSING_VALUES, f"{counted(n, 'sensor value')} in {rel} {verb(n, 'was', 'were')} blank or not "
                   f"a number (such as ERR or NaN) and {verb(n, 'was', 'were')} filled in from the values before and "
                   f"after {verb(n, 'it', 'them')}.", "Nothing to do, unless many are: then check the recording.",
                   files=[rel], severity="info")


def report_repeated(signal, rel: str, report: R.Report) -> None:
    """Readings re-sent with a timestamp already seen: only the first of each is kept (``read_signal``)."""
    n = signal.repeated
    if n:
        report.add(R.REPEATED_TIMESTAMPS,
                   f"{rel} has {n:,} reading{'s' * (n > 1)} with a timestamp already seen; the first "
                   + ("with that timestamp" if n == 1 else "of each") + " was kept.",
                   "Nothing to do if the logger sent some readings twice. If they are different readings taken "
                   "closer together than the timestamps tell apart (whole milliseconds at a high rate), write "
                   "the timestamps with more digits.", files=[rel], severity="info")


def read_recording(f: Path, rel: str, report: R.Report, raise_errors: bool = False):
    try:
        return read_csv(f, report, shown=rel)
    except DataError as e:
        if raise_errors:
            raise
        size = f.stat().st_size
        if size == 0 or (size < 4096 and not f.read_bytes().strip()):   # never saved, or a copy cut at the start
            report.add(R.EMPTY_FILE, f"{rel} is empty (no readings in it) and was left out.",
                       "Copy it again from the logger if it should hold a recording; otherwise delete it.",
                       files=[rel], severity="warning")
        else:
            report.add(R.CORRUPT_FILE, f"{rel} could not be read and was left out: {e}",
                       "Delete the file or export it again.", files=[rel], severity="warning")
        return None


def report_ignored(ignored: dict[str, list[str]], report: R.Report) -> None:
    if ignored:
        files = sorted({f for fs in ignored.values() for f in fs})
        report.add(R.DROPPED_COLUMN,
                   f"{verb(len(ignored), 'Column', 'Columns')} {', '.join(map(repr, ignored))} {verb(len(ignored), 'holds', 'hold')} text or only "
                   f"{verb(len(ignored), 'counts', 'count')} the rows, not sensor values, and {verb(len(ignored), 'was', 'were')} ignored.", "Nothing to do, unless they are sensor channels: then check their values.",
                   files=files, severity="info")


def report_labels_in_case(recs: list, report: R.Report) -> None:
    """Labels of long CSVs that differ only in capitals ('Walk' in some rows, 'walk' in others): a warning."""
    rows: Counter[str] = Counter()
    for r in recs:
        rows[r.label] += len(r.signal.data)
    columns = sorted({r.label_column for r in recs if r.label_column}, key=natural_order)
    where = f"in the label column {' / '.join(map(repr, columns))}" if columns else "in the label column"
    report_labels_differing_in_case(rows, where, ("row", "rows"), report)
