"""Which speakers (machines) a dataset's files come from, and what that means for its split: said in the
data report and kept in the dataset's meta. Who is read from the file names (``subjects.py``) or, for a
folder labelled by a sheet, from the sheet's column that says it (``label_table.WHO_NAMES``: file, word,
child)."""

from __future__ import annotations

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.data.subjects import (
    MIN_SUBJECTS,
    detect_subjects,
    few_subjects,
    file_of,
    split_by_subject,
)
from edgeling.core.sentences import counted, verb
from edgeling.core.terminal_hint import in_terminal


def group_by_subject(sources: list[str], groups: list[str], y, seed: int, report: R.Report,
                     meta: dict, kind: str = "", sheet: tuple[dict[str, str], str, str] | None = None
                     ) -> tuple[list[str], np.ndarray | None]:
    """Keep each speaker's (pump's, ...) files in one split when the file names clearly say who it is, or
    ``sheet`` does (``({file: who}, "child", "labels.csv")``: the column that says it, of which table): ``(groups, splits)`` and
    ``meta["subjects"]`` (how many, which are in the test split), or the groups unchanged and None. From a
    sheet, ``meta["subject_by_file"]`` keeps who each file is, for cross-validation and the results."""
    given, said_by = None, ""
    if sheet is not None and sheet[0]:
        said_by = f"the column '{sheet[1]}' of {sheet[2]}"
        meta["subjects_from"] = said_by
        given = [sheet[0].get(file_of(s)) for s in sources]
        meta["subject_by_file"] = {file_of(s): who for s, who in zip(sources, given) if who}
    found = split_by_subject(sources, groups, y, seed, given=given)
    if found is None:
        if not report_few_subjects(sources, y, report, meta, kind, given, said_by):
            if given is None:
                _report_no_subjects(sources, y, kind, report, meta)
        return groups, None
    names, held_out = found.names, found.held_out
    shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
    if given is None:
        said = (f"The file names start with who or what was recorded ({shown}: {len(names)} in all), and most "
                "of them appear in several classes.")
        advice = ("Nothing to do. If the start of the names is not a person, a machine or a recording session, "
                  "rename the files so they do not share it.")
    else:
        said = f"{_capital(said_by)} says who or what was recorded ({shown}: {len(names)} in all)."
        advice = f"Nothing to do. If that column is not who was recorded, rename its header in {sheet[2]}."
    report.add(R.GROUPED_BY_NAME,
               f"{said} Each one's files are kept together in one split, so the "
               f"test score is measured on {len(held_out)} of them ({', '.join(held_out[:6])}"
               f"{', ...' if len(held_out) > 6 else ''}) that the model never learnt from, as a new "
               f"{ {'audio': 'speaker', 'timeseries': 'machine'}.get(kind, 'person or machine')} would be.", advice,
               files=sorted({file_of(s) for s, sub in zip(sources, found.subjects) if sub in held_out}),
               severity="info")
    meta["subjects"] = {"count": len(names), "test": held_out, **({"from": said_by} if said_by else {})}
    unnamed = sorted({file_of(s) for s, sub in zip(sources, found.subjects) if sub is None})
    if unnamed:     # the speech walk: 'Léa 3 – oui.wav' was tested beside Léa's other clips in training, unsaid
        meta["subjects"]["unnamed"] = len(unnamed)
        who = 'speaker' if kind == 'audio' else 'machine' if kind == 'timeseries' else 'person or machine'
        listed = f"({', '.join(unnamed[:3])}{', ...' if len(unnamed) > 3 else ''})"
        n = len(unnamed)
        report.add(R.UNNAMED_SUBJECT,
                   (f"{counted(n, 'file')} {verb(n, 'does', 'do')} not start with any of those names {listed}"
                    if given is None else f"{counted(n, 'file')} {verb(n, 'has', 'have')} no one named in {said_by} "
                    f"(its cell is blank or holds a file name: {listed[1:-1]})") + f", so {verb(n, 'it was', 'they were')} split one by one: such a file can be "
                   f"tested while other files of the same {who} are in training.",
                   ("Rename each to start with who or what was recorded, as the others do ("
                    + {"audio": "child07_yes_3.wav", "timeseries": "pump3_rec04.csv"}.get(kind, "anna_03.jpg") + ")."
                    if given is None else f"Fill in {said_by} for each of them."),
                   files=unnamed[:50], severity="warning")
    return found.groups, found.splits


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _report_no_subjects(sources: list[str], y, kind: str, report: R.Report, meta: dict | None = None) -> None:
    """Sound clips whose names do not say who is speaking: said, with how to name them, since a person's clips
    in both training and test make the score look better than it will be for a new person. Pictures (a leaf
    is no speaker) and sensor recordings (their windows already stay together) are left alone."""
    files = {file_of(s) for s in sources}
    if kind != "audio" or len(files) < MIN_SUBJECTS or detect_subjects(sources, y) is not None:
        return      # names that do say who (copies of one file joined too many of them to hold any out)
    if who_key(kind, meta) == "source":      # long recordings (a recorder's ZOOM0001.WAV): not people speaking
        report.add(R.NO_SUBJECTS_IN_NAMES,
                   f"The file names do not say which of the {RECORDED_WHO} was recorded, so the recordings are split "
                   "one by one (each recording's clips stay together). If one of them was recorded several times, "
                   "the test may hold its recordings as training does, and the score looks better than it will be "
                   "for a new one.",
                   "To keep each one's recordings together (and test on ones the model never heard), start every file "
                   f"name with which it is and end it with a number or a date: hive07_2.wav or hive07_2026-06-14.wav. "
                   f"At least {MIN_SUBJECTS} of them are needed for that.", severity="info")
        return
    report.add(R.NO_SUBJECTS_IN_NAMES,
               "The file names do not say who is speaking, so the files are split one by one. If one person "
               f"recorded several of them, {SAME_SUBJECTS[R.NO_SUBJECTS_IN_NAMES]}.",
               "To keep each person's clips together (and test on people the model never heard), start every file "
               f"name with who it is and end it with a number: child07_2.wav or child07_take3.wav. At least "
               f"{MIN_SUBJECTS} people are needed.", severity="info")


FEW_WHO = {"audio": "speakers", "timeseries": "machines", "images": "plants, people or places"}
"""Who the file names name, by kind of data (the pump walk: a pump user read "speakers"; the vineyard walk read
"speakers or machines" of her grape leaves)."""
RECORDED_WHO = "hives, machines or places"
"""... for long recordings of an ongoing sound cut into clips (``audio_windows``; the beekeeper walk)."""


def who_key(kind: str, meta: dict | None = None) -> str:
    """The metrics' ``subjects["who"]`` (``results_words.SUBJECT_WORDS``) for ``kind``: "source" for sound
    recordings cut into clips (a hive, a machine, a place), "speaker" for clips, ..."""
    from edgeling.core.data.audio_windows import CUT

    if kind == "audio" and (meta or {}).get("cut") == CUT:
        return "source"
    return {"audio": "speaker", "timeseries": "machine", "images": "subject"}.get(kind, "")


def who_words(kind: str, meta: dict | None = None) -> str:
    """``FEW_WHO`` of ``kind``, or for sound recordings cut into clips (``meta["cut"]``) what their names call them
    ("hives" for hive01 ... hive07: the re-walk found "hives, machines or places" clumsy there), else
    ``RECORDED_WHO``."""
    import re

    from edgeling.core.data.audio_windows import CUT

    if kind == "audio" and (meta or {}).get("cut") == CUT:
        starts = {m.group(1) if m else None for m in (re.fullmatch(r"([a-z]{3,})[_\- ]?\d+", str(n))
                                                          for n in (meta or {}).get("few_subjects") or [])}
        return _plural(starts.pop()) if len(starts) == 1 and None not in starts else RECORDED_WHO
    return FEW_WHO.get(kind, "speakers or machines")



def _plural(word: str) -> str:
    """'hives', 'colonies', 'boxes', 'benches' (the review read 'colonys' and 'boxs')."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


SAME_SUBJECTS = {
    R.FEW_SUBJECTS: "the test score is measured on {who} the model also learnt from, and one it never met may "
                    "score lower",
    R.NO_SUBJECTS_IN_NAMES: "the test may hold clips of the same person as training, and the score looks better "
                            "than it will be for a new person",
}
"""What a finding about the split says of the test score, said in the finding and after a training's score."""


def test_caveat(problems: list[dict], kind: str = "", meta: dict | None = None) -> str:
    """The sentence a training's test score needs when the data report (``problems``: findings as dicts) found
    that the test holds the machines or speakers training learnt from; "" otherwise."""
    for p in problems or []:
        said = SAME_SUBJECTS.get(p.get("code")) if isinstance(p, dict) else None
        if said:
            said = said.format(who=who_words(kind, meta))
            return said[0].upper() + said[1:] + "."
    return ""


def report_few_subjects(sources: list[str], y, report: R.Report, meta: dict, kind: str = "",
                        given: list[str | None] | None = None, said_by: str = "") -> bool:
    """Said, and kept in ``meta["few_subjects"]``: cross-validation then holds whole ones out (folds.py).
    ``given``: who each sample is, from ``said_by`` (a sheet's column), instead of the file names."""
    if given is None:
        names = few_subjects(sources, y)
    else:
        names = sorted({s for s in given if s})      # a sheet's column says it outright: 2 are enough to say
        names = names if 2 <= len(names) < MIN_SUBJECTS else []    # (the regression walk: 3 parcels, unsaid)
    if not names:
        return False
    meta["few_subjects"] = names
    listed = f"({', '.join(names[:6])}{', ...' if len(names) > 6 else ''}: {len(names)} in all)"
    report.add(R.FEW_SUBJECTS,
               (f"The file names start with who or what was recorded {listed}, and most of them appear in several "
                "classes." if given is None else f"{_capital(said_by)} says who or what was recorded {listed}.")
               + f" With fewer than {MIN_SUBJECTS}, whole ones cannot be set aside for the test (it would "
               "hold one or none), so the files are split one by one: "
               + SAME_SUBJECTS[R.FEW_SUBJECTS].format(who=who_words(kind, meta)) + ".",
               f"To measure that, use \"Check every sample\" on the Evaluate page{in_terminal('edgeling crossval')}"
               f": its parts hold whole ones out, so each of the {len(names)} is tested by a model that never met "
               "it. Or keep all the files of one or two of them out of this folder, train, then test on those "
               f"files with 'Test on other files…' on the Evaluate page{in_terminal('edgeling evaluate RUN --on FOLDER')}.",
               severity="info")
    return True
