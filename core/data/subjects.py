"""Who or what a file was recorded from, read from its name, so that one speaker's files share a split.

A speech researcher names clips ``child07_2.wav``; Speech Commands names them ``0a7c2a8d_nohash_2.wav``;
a maintenance engineer names recordings ``pump3-01.csv``, ``pump3_rec01.csv`` or ``pump3_2026-03-01_rec02.csv``
(a date after the name is not part of who). When the same name start (the *subject*) appears
in several classes, the subject is a person or machine, not a class, and a test score on clips of speakers
the model also trained on says too little about new speakers. So, when the names clearly follow such a
pattern, every subject's files are kept together in one split, as Speech Commands does with its speaker
hashes. The pattern has to be clear: most files named ``<start><separator><number>`` (or ``..._take2``),
many different starts, none holding more than a quarter of the files (``IMG_0001.jpg`` from one camera is not a subject),
and most starts found in two or more classes (``yes_001.wav`` in ``yes/`` is a class, not a speaker).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import PurePosixPath

import numpy as np

from edgeling.core.data.dataset import TEST, TRAIN, VAL
from edgeling.core.data.splits import DEFAULT_FRACTIONS, assign_splits, group_position

TAKE_WORDS = ("take|rec|recording|run|trial|try|attempt|clip|sample|nr|no|t|r"
              "|aufnahme|versuch|prise|essai|enregistrement|toma|intento|grabacion")
NAME_WITH_TAKE = re.compile(r"^(?P<subject>.+?)(?:_nohash)?[_\-. ]+(?:(?:" + TAKE_WORDS + r")[_\-. ]?)?\d+$",
                            re.IGNORECASE)
"""``<subject><separator><number>``, the number maybe after a word for a take (``child07_take2``,
``pump3_rec01``, ``anna-trial 3``, ``Kind07_Aufnahme2``, ``enfant07_prise2``)."""
MIN_FILES = 40
MIN_SUBJECTS = 20       # fewer, and a whole split (test or validation) can easily get none
FEW_MIN_FILES = 12      # below MIN_SUBJECTS the split stays per file; the report still says whose files they are
FEW_MIN_SUBJECTS = 4
MIN_NAMED_SHARE = 0.9
MAX_SUBJECT_SHARE = 0.25
FEW_MAX_SUBJECT_SHARE = 0.5   # four pumps are rarely recorded equally often
NOT_SUBJECTS = frozenset({  # name starts that cameras, phones and recorders write: not who was recorded
    "img", "dsc", "dscn", "dscf", "pxl", "p", "mvimg", "vid", "pict", "image", "photo", "picture", "screenshot",
    "scan", "rec", "recording", "audio", "voice", "sample", "clip", "take", "file", "new", "copy", "untitled"})
SEPARATORS = re.compile(r"[_\-. ]+")
MIN_SHARE_IN_SEVERAL_CLASSES = 0.5


WHERE_IN_FILE = re.compile(r"#(?:t|row|segment|column)=")
"""How a sample's source says where in its file it is (``file.csv#t=2.00-4.00``, ``orders.csv#row=7``)."""


def file_of(source: str) -> str:
    """The file a sample came from (a window's source is ``file.csv#t=...``), with ``/`` separators; a '#' in
    the file's own name stays (``pump#3.csv``: the review)."""
    return WHERE_IN_FILE.split(source, 1)[0].replace("\\", "/")


def subject_of(source: str) -> str | None:
    """Who or what the file's name starts with (``pump3`` for ``normal/pump3_normal_01.csv``: the class
    folder's name is not part of it), or None: no number at the end, only digits (a date), or what a
    camera or recorder writes (``IMG``, ``DSC``)."""
    path = PurePosixPath(file_of(source))
    match = NAME_WITH_TAKE.match(path.stem)
    if not match:
        return None
    words = [w for w in SEPARATORS.split(match.group("subject").lower()) if w]
    whole = [w for w in SEPARATORS.split(path.stem.lower()) if w]
    if _without_trailing_date(words) == words and len(_without_trailing_date(whole)) < len(whole):
        words = _without_trailing_date(whole)   # ends in a date, the day read as the take: 'hive05_2026-06-20' is
                                                # hive05 (it was 'hive05_2026_06': the beekeeper walk)
    folder = [w for w in SEPARATORS.split(path.parent.name.lower()) if w]
    for i in range(len(words) - len(folder) + 1 if folder else 0):
        if words[i:i + len(folder)] == folder:
            words = words[:i] + words[i + len(folder):]
            break
    words = _without_trailing_date(words)
    subject = "_".join(words)
    if not subject or subject in NOT_SUBJECTS or _date_like(words):
        return None
    return subject


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and 1900 <= int(word) <= 2099


def _without_trailing_date(words: list[str]) -> list[str]:
    """``pump3 2026 03 01`` -> ``pump3``: the day (and time) a logger or a person writes after the machine's
    name is when, not who; left in, every file of a machine looked like its own machine. The shortest end of
    the name that is a date, maybe with a time, is taken off (``pump_3 2026 03 01`` keeps ``pump_3``;
    ``spk_19_01 2024 01 05`` keeps ``spk_19_01``), never a lone number (``child07 2`` keeps its 2: it could be
    the child's second session folder), and never the whole name."""
    for start in range(len(words) - 1, 0, -1):
        if _is_date_and_time(words[start:]):
            return words[:start]
    return words


def _is_date_and_time(tail: list[str]) -> bool:
    """A date, maybe followed by a time: ``20260301 [093000]``, ``2026 03 01`` or ``01 03 2026`` [``09 30``
    [``15``] or ``0930``]."""
    if not tail or not all(w.isdigit() for w in tail):
        return False
    if len(tail[0]) == 8 and _is_year(tail[0][:4]):
        rest = tail[1:]
    elif len(tail) >= 3 and all(len(w) <= 2 for w in tail[1:3]) and _is_year(tail[0]):
        rest = tail[3:]
    elif len(tail) >= 3 and all(len(w) <= 2 for w in tail[:2]) and _is_year(tail[2]):
        rest = tail[3:]
    else:
        return False
    return (not rest or (len(rest) == 1 and len(rest[0]) in (4, 6))
                         or (len(rest) in (2, 3) and all(len(w) <= 2 for w in rest)))


def _date_like(words: list[str]) -> bool:
    """``2024-01-01`` (two or more groups of digits) or ``20240101``: a day, not a speaker or a machine.
    One group of digits can be a speaker's hash (Speech Commands' ``12345678_nohash_0``)."""
    if any(c.isalpha() for w in words for c in w):
        return False
    return len(words) > 1 or (len(words[0]) == 8 and words[0][:2] in ("19", "20"))


def detect_subjects(sources: list[str], y: np.ndarray, min_files: int = MIN_FILES,
                    min_subjects: int = MIN_SUBJECTS, max_share: float = MAX_SUBJECT_SHARE) -> list[str | None] | None:
    """Per sample, the subject its file name starts with; None when the names follow no clear pattern.
    Names in one folder labelled by a sheet carry their class word (``clips/child01_aide_1.wav``): when the
    names' starts make no pattern, their first words are tried (the regression walk: 33 children, each seen as
    one per word, and 29 of them in two splits)."""
    files: dict[str, tuple[str | None, int]] = {}
    for source, label in zip(sources, np.asarray(y).tolist()):
        files.setdefault(file_of(source), (subject_of(source), int(label)))
    # 'hive01_2026-06-14_1230_phone' (no number at its end) is hive01's, as its start says: the beekeeper walk's 7
    # phone files of 61 left the names with no pattern
    claimed = claimed_by_start([s for s, _ in files.values()], list(files))
    files = {f: (s, label) for (f, (_, label)), s in zip(files.items(), claimed)}
    for per_file in (list(files.values()), [(_first_word(s), label) for s, label in files.values()]):
        names = _clear_pattern(per_file, min_files, min_subjects, max_share)
        if names is not None:
            return [subject_among(s, names) for s in sources]
    return None


def _first_word(subject: str | None) -> str | None:
    return subject.split("_", 1)[0] if subject else None


def _clear_pattern(per_file: list[tuple[str | None, int]], min_files: int, min_subjects: int,
                   max_share: float) -> set[str] | None:
    """The subjects, when the files' (subject, label) follow the module text's clear pattern; else None."""
    if len(per_file) < min_files:
        return None
    named = [(s, label) for s, label in per_file if s is not None]
    if len(named) < MIN_NAMED_SHARE * len(per_file):
        return None
    counts = Counter(s for s, _ in named)
    if len(counts) < min_subjects or max(counts.values()) > max_share * len(per_file):
        return None
    classes: dict[str, set[int]] = defaultdict(set)
    for s, label in named:
        classes[s].add(label)
    repeated = [s for s, c in counts.items() if c >= 2]
    across = sum(len(classes[s]) >= 2 for s in repeated)
    if not repeated or across < MIN_SHARE_IN_SEVERAL_CLASSES * len(repeated):
        return None
    return set(counts)


def subject_among(source: str, names, by_file: dict[str, str] | None = None) -> str | None:
    """Which of the subjects ``names`` the file of ``source`` belongs to: its subject (``subject_of``), else the
    longest of them its name starts with (``child05_oui_8k.wav``, no take number, beside child05's other
    clips; ``clips/child01_aide_1.wav`` in a folder labelled by a sheet); None for none. ``by_file``: who each
    file is, as a label sheet's column said (``meta["subject_by_file"]``), read instead of the name."""
    if by_file:
        who = by_file.get(file_of(source))
        return who if who in names else None
    subject = subject_of(source)
    if subject in names:
        return subject
    words = _name_words(source)
    hits = [n for n in names if words[:len(n.split("_"))] == n.split("_")]
    return max(hits, key=lambda n: len(n.split("_"))) if hits else None


def _name_words(source: str) -> list[str]:
    """The words of a file's name, without its class folder's name (as ``subject_of`` reads them)."""
    path = PurePosixPath(file_of(source))
    words = [w for w in SEPARATORS.split(path.stem.lower()) if w]
    folder = [w for w in SEPARATORS.split(path.parent.name.lower()) if w]
    return [w for w in words if w not in folder] if folder else words


def claimed_by_start(subjects: list[str | None], sources: list[str]) -> list[str | None]:
    """Files whose names end in no number but start with a subject found elsewhere get that subject
    (``child05_oui_8k.wav`` beside ``child05_oui_1.wav``): left without one, their split was drawn per file, and
    cross-validation tested child05's converted clip with a model trained on child05's other clips while
    saying every child was held out (the speech walk). The longest subject a name starts with wins."""
    known = sorted({s for s in subjects if s is not None}, key=lambda s: -len(s.split("_")))
    if not known:
        return subjects
    out = list(subjects)
    for i, (subject, source) in enumerate(zip(subjects, sources)):
        if subject is None:
            words = _name_words(source)
            out[i] = next((s for s in known if words[:len(s.split("_"))] == s.split("_")), None)
    return out


def merge_groups(groups: list[str], subjects: list[str | None]) -> list[str]:
    """Groups that keep together both what was together before (copies of one file, the windows of one
    recording) and each subject's files. A merged group is named after its alphabetically first subject,
    so its split does not depend on which other files exist."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for g, s in zip(groups, subjects):
        if s is not None:
            ra, rb = find("group:" + g), find("subject:" + s)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)  # "group:" < "subject:"; see below for the name
    names: dict[str, str] = {}
    for s in subjects:
        if s is not None:
            root = find("subject:" + s)
            names[root] = min(names.get(root, "subject:" + s), "subject:" + s)
    return [names.get(find("group:" + g), g) for g in groups]


def assign_subject_splits(groups: list[str], seed: int = 0,
                          fractions: tuple[float, float, float] = DEFAULT_FRACTIONS) -> np.ndarray:
    """Splits for groups merged by subject: the subjects, ordered by the same stable hash as files, are cut
    at exactly 80% / 90%, so 40 speakers give 4 test speakers (drawing each subject's split on its own, as
    for files, gave only 0 or 1 test speaker in 8% of cases). Adding a subject moves at most the subjects at
    the two cuts. Files without a subject keep their per-file split."""
    named = sorted({g for g in groups if g.startswith("subject:")}, key=lambda g: group_position(g, seed))
    n = len(named)
    n_test = max(1, round(fractions[2] * n))
    n_val = max(1, round(fractions[1] * n))
    part = {g: (TRAIN if i < n - n_val - n_test else VAL if i < n - n_test else TEST) for i, g in enumerate(named)}
    per_file = assign_splits(groups, seed=seed)
    return np.array([part.get(g, s) for g, s in zip(groups, per_file)], dtype=np.uint8)


@dataclass
class SubjectSplit:
    groups: list[str]      # the merged groups (see ``merge_groups``)
    splits: np.ndarray     # TRAIN / VAL / TEST per sample
    subjects: list[str | None]
    names: list[str]       # every subject, sorted
    held_out: list[str]    # the subjects in the test split, sorted


def few_subjects(sources: list[str], y) -> list[str]:
    """The subjects, when the names clearly name them but there are too few to hold whole ones out
    (``FEW_MIN_SUBJECTS`` to ``MIN_SUBJECTS - 1``); else []."""
    subjects = detect_subjects(sources, y, FEW_MIN_FILES, FEW_MIN_SUBJECTS, FEW_MAX_SUBJECT_SHARE)
    names = sorted({s for s in subjects or [] if s is not None})
    return names if len(names) < MIN_SUBJECTS else []


def split_by_subject(sources: list[str], groups: list[str], y, seed: int = 0,
                     given: list[str | None] | None = None) -> SubjectSplit | None:
    """Splits that hold whole subjects out, or None when the names name no subjects (or copies of one
    file filed under many subjects join so many of them that too few separate groups are left).
    ``given``: each sample's subject as a label sheet says it, read instead of the names."""
    subjects = detect_subjects(sources, y) if given is None else list(given)
    if subjects is None:
        return None
    merged = merge_groups(groups, subjects)
    if len({g for g in merged if g.startswith("subject:")}) < MIN_SUBJECTS:
        return None
    splits = assign_subject_splits(merged, seed=seed)
    held_out = sorted({s for s, part in zip(subjects, splits) if s is not None and part == TEST})
    return SubjectSplit(merged, splits, subjects, sorted({s for s in subjects if s is not None}), held_out)


def subjects_of_samples(sources: list[str], y, meta: dict | None) -> list[str | None] | None:
    """Per sample, who it was recorded from: as the label sheet said (``meta["subject_by_file"]``), else as the
    names say (``detect_subjects``); None when neither says."""
    by_file = (meta or {}).get("subject_by_file")
    if by_file:
        return [by_file.get(file_of(s)) for s in sources]
    return detect_subjects(sources, y)
