"""Which sound clips a dataset folder holds and which class each belongs to: one subfolder per class
(``yes/child07_1.wav``), or clips plus a CSV/TSV in the folder that names each clip's label
(``label_table.py``; the first one that does, in name order)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from edgeling.core.data import report as R
from edgeling.core.data.dataset import DataError
from edgeling.core.data.formats import AUDIO_EXTS
from edgeling.core.data.label_table import LABEL_TABLE_EXTS, Listing, Media, from_label_table
from edgeling.core.data.ordering import classes_of_folders, natural_order, order_by_class
from edgeling.core.sentences import counted, verb

CLIPS = Media("clip", "clips", frozenset(AUDIO_EXTS), "clips/child07_yes_1.wav")


def list_audio_files(root: Path, report: R.Report, label_column: str | None = None) -> Listing:
    """The clips and their classes: from their class subfolders when there are two or more; else (or when a
    label column is named) from a CSV in the folder that gives clips there a label. The regression walk: a
    labels.csv beside class folders (its paths written from the folder above), or Edgeling's own answers.csv
    saved there, had made a folder that imported before fail."""
    files, loose, other = [], [], []
    clips, tables = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX")
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for name in filenames:
            if name.startswith(".") or name.lower() in ("thumbs.db", "desktop.ini"):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            ext = os.path.splitext(name)[1].lower()
            if ext in LABEL_TABLE_EXTS and rel_dir == ".":
                tables.append(rel)
            elif ext not in AUDIO_EXTS:
                other.append(rel)
            elif rel_dir == ".":
                loose.append(rel)
            else:
                files.append((rel, rel.split("/", 1)[0]))
            if ext in AUDIO_EXTS:
                clips.append(rel)
    tried, refused = None, None
    if len({c for _, c in files}) < 2 or label_column:
        for table in sorted(tables, key=natural_order):
            said = R.Report()
            try:
                listing = from_label_table(root, table, clips, said, label_column, CLIPS)
            except DataError as e:     # the column asked for is not in this sheet: perhaps in the next
                refused = refused or e
                continue
            if listing is not None and listing.files:
                report.problems.extend(said.problems)
                _report_not_audio(sorted(other + [t for t in tables if t != table], key=natural_order), report)
                return listing
            tried = tried or (said if listing is not None else None)
        if refused is not None:
            raise refused
        if tried is not None and len({c for _, c in files}) < 2:   # why the sheet gave no clip a label
            report.problems.extend(tried.problems)
    other += tables
    classes = classes_of_folders(Counter(c for _, c in files), report, ("recording", "recordings"))
    class_names, files = order_by_class([(rel, classes[c]) for rel, c in files])
    if loose:
        report.add(R.UNLABELLED_FILE,
                   f"{counted(len(loose), 'recording')} {verb(len(loose), 'sits', 'sit')} directly in the chosen folder, not in a class "
                   f"subfolder, so Edgeling does not know {verb(len(loose), 'its class. It was', 'their class. They were')} not used.",
                   "Move each file into the subfolder named after its class (for example yes/), or add a CSV "
                   "file with a file-name column and a label column.",
                   files=sorted(loose, key=natural_order), severity="warning")
    _report_not_audio(other, report)
    return Listing(files=files, class_names=class_names, labels_from="folders")


def _report_not_audio(other: list[str], report: R.Report) -> None:
    if other:
        report.add(R.IGNORED_FILE,
                   f"{counted(len(other), 'file')} {verb(len(other), 'is not an audio file', 'are not audio files')}"
                   f" by {verb(len(other), 'its', 'their')} name and {verb(len(other), 'was', 'were')} not read.",
                   "Nothing to do if they are notes or other files. If they are recordings, save them as WAV.",
                   files=sorted(other, key=natural_order), severity="info")


CUT_OFF_SLACK_S = 0.01            # a WAV missing less than this at its end is not called cut off


def cut_off_wav(data: bytes) -> tuple[float, float] | None:
    """(seconds the header promises, seconds really there) for a WAV whose data chunk is cut off (a copy or
    download that did not finish), else None. soundfile reports only the frames that are there, so the
    header itself is read. A size of 0, 0x7FFFF000 (SoX) or 0xFFFFFFFF is a placeholder a program writes
    when it does not know the length yet (a recording streamed to a pipe), not a promise."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    pos, fmt = 12, None
    while pos + 8 <= len(data):
        chunk, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        body = pos + 8
        if chunk == b"fmt " and size >= 16 and body + 16 <= len(data):
            fmt = (int.from_bytes(data[body + 4:body + 8], "little"),    # frames per second
                   int.from_bytes(data[body + 12:body + 14], "little"))  # bytes per frame
        elif chunk == b"data":
            if fmt is None or fmt[0] <= 0 or fmt[1] <= 0 or size == 0 or size >= 0x7FFFF000:
                return None
            rate, frame = fmt
            promised, there = size // frame / rate, min(size, len(data) - body) // frame / rate
            return (promised, there) if promised - there > CUT_OFF_SLACK_S else None
        pos = body + size + (size & 1)
    return None


def describe_unreadable(data: bytes) -> str:
    head = data[:12]
    if head.startswith(b"RIFF") and len(data) < 12:
        return (f"it is a damaged or incomplete WAV file (its RIFF header stops after {len(data)} bytes, "
                "before any sound)")
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        if len(data) <= 44:
            return "the file has a header but no sound in it"
        return "the WAV data is damaged or uses an encoding Edgeling cannot read"
    if head[:4] in (b"\x89PNG", b"%PDF") or head[:2] == b"\xff\xd8":
        return "it is a picture or document, not a recording"
    try:
        data[:512].decode("utf-8")
        return "the file holds text, not sound"
    except UnicodeDecodeError:
        pass
    return "its content is not a WAV (or FLAC, OGG, AIFF, MP3) recording"
