"""The Data page's words: its intro (the layouts of files it reads), and about the imported data: what one sample
is, and who the test samples come from when the import kept each speaker's (machine's) files together."""

from __future__ import annotations

from edgeling.core.data.report import GROUPED_BY_NAME
from edgeling.core.sentences import counted, window_words
from edgeling.core.sentences import first_sentence as core_first_sentence

DATA_HINT = ("Choose the files to learn from: photos, sound clips or sensor recordings in a folder with one subfolder "
             "per class (or all in one folder, with a CSV list giving each file's class), or a CSV table. Nothing "
             "leaves this computer.")
"""The Data page's intro, two lines at 1024 x 700. Core reads three layouts: a subfolder per class, a folder of
files with a CSV naming each file's label (``file,label[,speaker or pump]``: pictures, clips, recordings), and a
CSV table (or one long CSV of sensor readings with a label column)."""

WHO = {"audio": "speakers", "timeseries": "machines or people", "images": "people or things"}
"""Who or what the start of a file name (or a sheet's column) names, for each kind of data: sound clips are of
speakers, as core's findings and the Evaluate page say them (the GUI walk: the children of a speech study, named
by a column 'Enfant', were "3 of the 32 speakers or machines")."""
SAMPLES = {"audio": "clips", "timeseries": "recordings", "images": "pictures"}
NEVER = {"audio": "never hears", "images": "never sees"}


def what_samples_are(ds) -> str:
    """What one sample is, in words: "windows of sensor data (2 s = 400 readings of x, y, z at 200 per
    second, a new window every 1 s)", "clips of 1 s at 16000 Hz", "pictures (32 × 32 pixels, colour)", "rows (each row
    becomes 46 numbers for the model)"."""
    meta = ds.meta or {}
    shape = " × ".join(map(str, ds.sample_shape))
    if ds.kind == "timeseries" and window_words(meta, ds.sample_shape[0]):
        return f"windows of sensor data ({window_words(meta, ds.sample_shape[0])})"
    if ds.kind == "audio" and meta.get("sample_rate"):
        return f"clips of {ds.sample_shape[0] / float(meta['sample_rate']):g} s at {float(meta['sample_rate']):g} Hz"
    if ds.kind == "images":
        return f"pictures ({picture_size_words(ds.sample_shape)})"
    if ds.kind == "table":
        return f"rows (each row becomes {ds.sample_shape[0]} numbers for the model)"
    return f"samples of {ds.kind} ({shape})"


def recordings_of(ds) -> dict[str, int] | None:
    """For sound recordings cut into clips (core's ``meta["cut"]``), how many recordings the clips came from:
    ``{"all": 60, "train": 48, "validation": 6, "test": 6}``; None for other data."""
    from edgeling.core.data.audio_windows import CUT
    from edgeling.core.data.dataset import TEST, TRAIN, VAL
    from edgeling.core.data.subjects import file_of

    if ds.kind != "audio" or (ds.meta or {}).get("cut") != CUT:
        return None
    files = [file_of(str(s)) for s in ds.sources]
    splits = [int(s) for s in ds.splits] if ds.splits is not None and len(ds.splits) == len(files) else []
    said = {"all": len(set(files))}
    for name, code in (("train", TRAIN), ("validation", VAL), ("test", TEST)):
        said[name] = len({f for f, s in zip(files, splits) if s == code})
    return said


def counts_words(ds) -> str:
    """The Data page's status line after the folder's name: "6,710 clips of 1 s at 16000 Hz from 60 recordings, 2
    classes. Training 5,576 clips from 48 recordings, validation 622 from 6, test 512 from 6" for sound recordings
    cut into clips (the beekeeper walk: "6710 clips ... Training 5576, validation 622, test 512" said neither the
    recordings nor what was counted); "20 pictures (…), 2 classes. Training 16, validation 2, test 2" otherwise."""
    splits, recordings = ds.split_counts(), recordings_of(ds)
    kind = f"{ds.num_classes} classes. " if ds.task == "classification" else "predicting a number. "
    if recordings is None:
        return (f"{ds.num_samples} {what_samples_are(ds)}, {kind}Training {splits['train']}, validation "
                f"{splits['validation']}, test {splits['test']}")
    return (f"{ds.num_samples:,} {what_samples_are(ds)} from {counted(recordings['all'], 'recording')}, {kind}"
            f"Training {splits['train']:,} clips from {counted(recordings['train'], 'recording')}, validation "
            f"{splits['validation']:,} from {recordings['validation']}, test {splits['test']:,} from {recordings['test']}")


def picture_size_words(shape) -> str:
    """A picture's size in words: "224 × 224 pixels, colour" or "… grey" (it said "224 × 224 × 3", the array's
    shape: height, width and colour channels)."""
    dims = [int(d) for d in shape]
    if len(dims) == 3 and dims[2] in (1, 3):
        return f"{dims[1]} × {dims[0]} pixels, {'grey' if dims[2] == 1 else 'colour'}"
    if len(dims) == 2:
        return f"{dims[1]} × {dims[0]} pixels, grey"
    return " × ".join(map(str, dims))


def held_out_words(ds) -> str:
    """For the status line after "test 72": " (clips of 4 of the 40 speakers named in the file
    names: child16, child26, child38, child40; the model never hears them in training)" when the import kept
    each one's files together (the report's GROUPED_BY_NAME finding, ``meta["subjects"]``), else ""."""
    subjects = (ds.meta or {}).get("subjects") or {}
    held_out = [str(s) for s in subjects.get("test") or []]
    problems = getattr(getattr(ds, "report", None), "problems", None) or []
    if not held_out or not any(p.code == GROUPED_BY_NAME for p in problems):
        return ""
    count = subjects.get("count")
    of_all = f" of the {count}" if isinstance(count, int) and count > len(held_out) else ""
    names = ", ".join(held_out[:4]) + (", …" if len(held_out) > 4 else "")
    return (f" ({SAMPLES.get(ds.kind, 'files')} of {len(held_out)}{of_all} {WHO.get(ds.kind, 'people or things')} "
            f"named in {subjects.get('from') or 'the file names'}: {names}; the model {NEVER.get(ds.kind, 'never meets')} "
            "them in training)")


FILES_HEADING = "Files:\n"     # how the import's details list the files an error is about (data_import.py)
SENTENCE_CHARS = 240


def first_sentence(message: str) -> str:
    """The first sentence of an error's message, at most SENTENCE_CHARS long (core's rule, as the Train page's
    findings use it)."""
    return core_first_sentence(" ".join(str(message).split()), SENTENCE_CHARS)


def import_error_problem(message: str, details: str) -> dict:
    """A failed import as a finding for the Data page's list of problems: its message, and the files its
    details list (the import's "Files:" lines), folded under it."""
    files = details[len(FILES_HEADING):].splitlines() if details.startswith(FILES_HEADING) else []
    return {"severity": "error", "message": str(message), "files": [f for f in files if f.strip()]}
