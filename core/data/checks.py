"""Checks every importer shares, and the one place a Dataset is finished: class balance, too-few
samples, duplicates (above all the same content under two labels; for photos also the same picture saved
again, ``near_duplicates.py``), and the split assignment."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from edgeling.core.data import near_duplicates
from edgeling.core.data import report as R
from edgeling.core.data.dataset import TEST, TRAIN, VAL, DataError, Dataset
from edgeling.core.data.splits import PER_FILE, assign_splits, check_scheme, class_split_counts, current_split
from edgeling.core.data.subject_findings import group_by_subject
from edgeling.core.sentences import counted, verb

MIN_SAMPLES_PER_CLASS = 10
IMBALANCE_RATIO_WARN = 3.0


def finish_dataset(*, kind: str, task: str, x: np.ndarray, y: np.ndarray, class_names: list[str],
                   sources: list[str], groups: list[str], root: str, meta: dict, report: R.Report,
                   content_groups: bool = True, seed: int = 0, split: str | None = None,
                   similar=None, sheet: tuple[dict[str, str], str, str] | None = None) -> Dataset:
    """Run the shared checks, assign splits and build the Dataset.

    ``content_groups`` says that ``groups`` are content hashes, so equal groups are exact duplicates.
    ``similar``: pairs (i, j) of samples that look like the same photo saved again (``near_duplicates.find``),
    from an importer that compares pictures (None: one that does not). They are reported like duplicates
    and kept in one split, and such an importer records in ``meta["cross_label_duplicates"]`` the sources
    of every sample that is a copy (exact or saved again) of one under another label, when there are any:
    the test score counts such a sample in the test split as a photo of the wrong class.
    ``split`` is the scheme ("per-class" / "per-file", ``splits.py``); None: the one of the import in
    progress (``splits.import_split``, set by ``load.open_dataset``), else "per-class".
    ``sheet``: who each file was recorded from, the column that says it and its table
    (``subject_findings.group_by_subject``), for files labelled by a sheet with such a column.
    Raises DataError when the data cannot be trained on."""
    scheme = check_scheme(split) if split is not None else current_split()
    n = len(x)
    if n == 0:
        raise DataError(
            f"No usable samples were found in {root}. "
            + ("Every file was skipped: " + " ".join(p.message for p in report.problems[:3]) + " "
               if report.problems else "")
            + "Check that you chose the right folder or file.",
            files=[f for p in report.problems for f in p.files])
    if task == "classification":
        _check_classes(y, class_names, root, report, kind)
    meta = dict(meta)
    across = []
    if content_groups:
        across = _check_duplicates(y if task == "classification" else None, class_names, sources, groups,
                                   report, "row" if kind == "table" else "file")
    if similar is not None and len(similar):
        across += _check_near_duplicates(y if task == "classification" else None, class_names, sources,
                                         similar, report)
        groups = near_duplicates.merge_groups(groups, similar)
    if similar is not None and across:
        # Only for importers that compare pictures: meta travels with a model into its exported files, and a
        # table's rows with the same values under two labels can be many.
        shown = set().union(*across)
        meta["cross_label_duplicates"] = [s for i, s in enumerate(sources) if i in shown]
    splits = None
    if kind != "table" and task == "classification":
        groups, splits = group_by_subject(sources, groups, y, seed, report, meta, kind, sheet)
    by_subject = splits is not None
    if splits is None:
        splits = assign_splits(groups, y if task == "classification" else None, seed=seed, scheme=scheme)
    _check_training_split(y if task == "classification" else None, class_names, splits, root, report)
    if task == "classification":
        _check_held_out_classes(y, class_names, splits, groups, kind, by_subject, report, scheme == PER_FILE)
    meta["split_seed"] = seed
    return Dataset(kind=kind, task=task, x=x, y=y, class_names=class_names, sources=sources, groups=groups,
                   splits=splits, root=root, meta=meta, report=report)


TWO_CLASSES_HOW = {
    "images": "put the pictures of each class in its own subfolder (for example healthy/ and mildew/), or add a "
              "CSV file with a file-name column and a label column with at least two different labels",
    "audio": "put the clips of each class in its own subfolder (for example yes/ and no/), or add a CSV file "
             "with a file-name column and a label column with at least two different labels",
    "timeseries": "put the recordings of each class in its own subfolder (for example normal/ and cavitation/), "
                  "add a CSV file with a file-name column and a label column with at least two different labels, "
                  "or give the recordings a label column with at least two different values",
    "table": "choose a column to predict with at least two different values",
}


def _check_classes(y: np.ndarray, class_names: list[str], root: str, report: R.Report, kind: str = "") -> None:
    counts = np.bincount(np.asarray(y, dtype=np.int64), minlength=len(class_names))
    present = [(name, int(c)) for name, c in zip(class_names, counts) if c > 0]
    if len(present) < 2:
        only = present[0][0] if present else "none"
        unusable = [name for name, c in zip(class_names, counts) if c == 0]
        why = ""
        if unusable:
            # Their folders were there, but every file in them was skipped: say so, or the message
            # contradicts what the user sees on disk.
            why = (f" {'The class' if len(unusable) == 1 else 'The classes'} {', '.join(map(repr, unusable))} "
                   f"{'has' if len(unusable) == 1 else 'have'} no usable examples: every file in "
                   "them was skipped as unreadable or empty (see the files listed).")
        raise DataError(
            f"{root} has only one class ({only!r}) with usable examples.{why} A model learns to tell "
            "classes apart, so it needs at least two: " + TWO_CLASSES_HOW.get(kind, (
                "put the examples of each class in its own subfolder (for example healthy/ and mildew/), or "
                "choose a label column with at least two different values")) + ".",
            files=[f for p in report.problems for f in p.files])
    too_few = [(name, c) for name, c in present if c < MIN_SAMPLES_PER_CLASS]
    if too_few:
        listed = ", ".join(f"{name!r} ({c})" for name, c in too_few)
        report.add(R.TOO_FEW_SAMPLES,
                   f"Some classes have very few examples: {listed}. The model cannot learn a class from "
                   "a handful of examples, and the test score for it will be unreliable.",
                   f"Add examples until each class has at least {MIN_SAMPLES_PER_CLASS} (50 or more is "
                   "better), or remove the class.",
                   severity="warning")
    empty = [name for name, c in zip(class_names, counts) if c == 0]
    if empty:
        report.add(R.TOO_FEW_SAMPLES,
                   f"These classes have no usable examples at all: {', '.join(map(repr, empty))}.",
                   "Add examples to them or remove the empty folders.", severity="warning")
    sizes = [c for _, c in present]
    ratio = max(sizes) / max(1, min(sizes))
    if ratio >= IMBALANCE_RATIO_WARN:
        big = max(present, key=lambda t: t[1])
        small = min(present, key=lambda t: t[1])
        report.add(R.CLASS_IMBALANCE,
                   f"The classes are unbalanced: {big[0]!r} has {big[1]} examples but {small[0]!r} only "
                   f"{small[1]} ({ratio:.1f} to 1). A model may learn to favour the big class, and plain "
                   "accuracy can look good while the small class is mostly missed.",
                   "Add examples of the small classes if you can. Edgeling weights the classes during "
                   "training and reports per-class scores so you can see the effect.",
                   severity="warning")


def _check_training_split(y: np.ndarray | None, class_names: list[str], splits: np.ndarray, root: str,
                          report: R.Report) -> None:
    """Nothing (or no example of a class) left to learn from: the plain hash of a regression can set every
    sample of a tiny dataset aside, and holding whole speakers out can take a class with them."""
    train = np.asarray(splits) == TRAIN
    if not train.any():
        raise DataError(
            f"{root} has too few examples to train on: {verb(len(splits), 'its only example was', f'the {len(splits)} examples were all')} set aside "
            "to check the model (validation and test), so none is left to learn from. Add more examples, at "
            f"least {MIN_SAMPLES_PER_CLASS} per class.")
    if y is None:
        return
    y = np.asarray(y, dtype=np.int64)
    in_train = np.bincount(y[train], minlength=len(class_names))
    overall = np.bincount(y, minlength=len(class_names))
    untrained = [name for name, t, n in zip(class_names, in_train, overall) if n > 0 and t == 0]
    if untrained:
        report.add(R.TOO_FEW_SAMPLES,
                   f"No example of {', '.join(map(repr, untrained))} is in the training set: its few examples "
                   "were set aside to check the model, so the model cannot learn that class.",
                   f"Add examples until each class has at least {MIN_SAMPLES_PER_CLASS}.", severity="warning")


UNIT_WORDS = {"timeseries": ("recording", "recordings"), "table": ("row", "rows")}  # others: files


def _check_held_out_classes(y: np.ndarray, class_names: list[str], splits: np.ndarray, groups: list[str],
                            kind: str, by_subject: bool, report: R.Report, per_file: bool = False) -> None:
    """A class the model learns but validation or the test never shows (validation chooses the best epoch,
    the test gives the score), and validation resting on very few files (recordings, rows). ``per_file``:
    the data of a run trained before splits were drawn within each class, split as it was then."""
    y, splits = np.asarray(y, dtype=np.int64), np.asarray(splits)
    one, many = UNIT_WORDS.get(kind, ("file", "files"))
    units = [{c: set() for c in range(len(class_names))} for _ in range(3)]  # per split: class -> groups
    every: dict[int, set] = {c: set() for c in range(len(class_names))}
    for g, label, part in zip(groups, y.tolist(), splits.tolist()):
        units[part][label].add(g)
        every[label].add(g)
    trained = [c for c in range(len(class_names)) if units[TRAIN][c]]

    def few(classes: list[int], needed: int) -> str:
        """Why, in the stratified split: 'normal' (1 recording), ..., for the classes below ``needed``."""
        small = [f"{class_names[c]!r} ({len(every[c])} {one if len(every[c]) == 1 else many})"
                 for c in classes if len(every[c]) < needed]
        if not small:
            return ""
        return (f" Each {one} goes whole to one split, and {', '.join(small)} "
                f"{'has' if len(small) == 1 else 'have'} too few: a class needs {needed} or more.")

    for part, needed in ((VAL, 3), (TEST, 2)):
        missing = [c for c in trained if not units[part][c]]
        if not missing:
            continue
        names = ", ".join(repr(class_names[c]) for c in missing)
        that = "that class" if len(missing) == 1 else "those classes"
        if part == VAL:
            message = (f"No example of {names} is in the validation samples, so the best epoch is chosen "
                       "without it.")
        else:
            message = (f"No example of {names} is in the test set, so the test score says nothing about how "
                       "well the model recognises it.")
        if by_subject:
            message += (" Each speaker's or machine's files are kept together in one split, and none of those "
                        f"set aside for {'validation' if part == VAL else 'the test'} has an example of {that}.")
            advice = (f"Add examples of {that} from more speakers or machines. If the start of the file names "
                      "is not who or what was recorded, rename the files so they do not share it.")
        elif per_file:
            message += (" This run was trained before Edgeling split each class on its own, and keeps the split "
                        f"it had: each {one} was sent to a split on its own, so a small class can get none.")
            advice = (f"Train a new run: it splits each class on its own, so a class with 2 or more {many} "
                      "has one in the test, and with 3 or more one in validation too.")
        else:
            message += few(missing, needed)
            advice = (f"Add {many} of {that}: with 2 or more, one goes to the test; with 3 or more, one "
                      "also goes to validation.")
        report.add(R.TOO_FEW_SAMPLES, message, advice, severity="warning")
    if by_subject or per_file or not trained or any(not units[VAL][c] for c in trained):
        return  # whole speakers are held out (or a class is missing, said above): not counted per file
    in_val = {c: len(units[VAL][c]) for c in trained}
    if sum(in_val.values()) >= 2 * len(trained):
        return
    enough = next(n for n in range(3, 1000) if class_split_counts(n)[VAL] >= 2)  # counts never go down
    listed = ", ".join(f"{k} of {class_names[c]!r}" for c, k in list(in_val.items())[:6]) + (
        ", ..." if len(in_val) > 6 else "")
    report.add(R.TOO_FEW_SAMPLES,
               f"The validation samples come from only {sum(in_val.values())} {many} ({listed}), so the epoch "
               "Edgeling keeps (the one with the lowest validation loss) is chosen on very little and may be picked by luck rather than "
               "by how well the model does.",
               f"Add {many}: with {enough} or more per class, each class gets at least 2 in validation. Until then, "
               "take the validation score as a rough guide.",
               severity="warning")


def _check_duplicates(y: np.ndarray | None, class_names: list[str], sources: list[str], groups: list[str],
                      report: R.Report, unit: str = "file") -> list[list[int]]:
    """Report exact copies (equal ``groups``). Returns the sets of samples copied under different labels. The
    clips cut from one recording (``file.wav#t=...``, ``audio_windows``) share its group: a copy is another file."""
    from edgeling.core.data.subjects import file_of

    by_group: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        by_group[g].append(i)
    same_label, across = [], []
    cut = unit == "file" and any("#t=" in s for s in sources)
    if cut:
        sources = [file_of(s) for s in sources]
    for idx in by_group.values():
        if cut:
            first: dict[str, int] = {}
            for i in idx:
                first.setdefault(sources[i], i)      # the first clip of each file
            idx = list(first.values())
        if len(idx) < 2:
            continue
        labels = {int(y[i]) for i in idx} if y is not None else {0}
        (across if len(labels) > 1 else same_label).append(idx)
    if across:
        files = []
        for idx in across:
            files.append(" = ".join(f"{sources[i]} ({class_names[int(y[i])]})" for i in idx))
        report.add(R.DUPLICATE_ACROSS_LABELS,
                   f"{counted(len(across), 'example')} {verb(len(across), 'appears', 'appear')} under two or more "
                   "different labels with exactly the "
                   "same content. The model is told the same thing is two different classes, which "
                   "confuses training and makes the score wrong. Until you delete one, both copies are kept, each "
                   "under its label, and in the same split.",
                   "Look at each pair below and delete the copy that is in the wrong class.",
                   files=files, severity="warning")
    if same_label:
        files = [" = ".join(sources[i] for i in idx) for idx in same_label]
        extra = sum(len(i) - 1 for i in same_label)
        report.add(R.DUPLICATE,
                   f"{counted(extra, unit)} {verb(extra, 'is an exact copy', 'are exact copies')} of another "
                   f"{unit} in the same class. Copies make the "
                   "model over-value those examples. Edgeling keeps all copies of one example in the same "
                   "split, so the test score is not inflated by them.",
                   "Delete the extra copies if they were made by mistake.", files=files, severity="info")
    return across


def _check_near_duplicates(y: np.ndarray | None, class_names: list[str], sources: list[str], similar,
                           report: R.Report) -> list[list[int]]:
    """Report the photos that look like another one saved again, as ``_check_duplicates`` reports exact
    copies. Returns the sets of such photos under different labels."""
    same_label, across = [], []
    for idx in near_duplicates.sets_of(similar):
        labels = {int(y[i]) for i in idx} if y is not None else {0}
        (across if len(labels) > 1 else same_label).append(idx)

    def looks_like(idx: list[int], named) -> str:
        first, *rest = [named(i) for i in idx]
        return f"{first} looks like " + (", ".join(rest[:-1]) + " and " if len(rest) > 1 else "") + rest[-1]

    if across:
        report.add(R.NEAR_DUPLICATE_ACROSS_LABELS,
                   f"{counted(len(across), 'photo')} {verb(len(across), 'appears', 'appear')} under two or more "
                   "different labels as copies saved again: "
                   "resized or recompressed (as phones and messaging apps do when a photo is sent or "
                   "exported), so the files differ but the picture is the same. The model is told the same "
                   "photo is two different classes, which confuses training and makes the score wrong. "
                   "Until you delete one, both copies are kept, each under its label, and in the same split.",
                   "Open each pair below side by side. If they are the same photo, delete the copy that is in "
                   "the wrong class. If they are two different photos of the same thing, check which label "
                   "is right.",
                   files=[looks_like(idx, lambda i: f"{sources[i]} ({class_names[int(y[i])]})") for idx in across],
                   severity="warning")
    if same_label:
        extra = sum(len(idx) - 1 for idx in same_label)
        report.add(R.NEAR_DUPLICATE,
                   f"{counted(extra, 'photo')} {verb(extra, 'looks', 'look')} like another photo of the same "
                   "class saved again (resized or "
                   "recompressed). Copies make the model over-value those photos. Edgeling keeps each photo "
                   "and its copies in the same split, so the test score is not inflated by them.",
                   "Delete the extra copies if they were made by mistake.",
                   files=[looks_like(idx, lambda i: sources[i]) for idx in same_label], severity="info")
    return across
