"""What the Evaluate page's cross-validation panel says: its title and sentences for everyone (the vineyard
technician read "numbers for a paper" as "not for me", though she wanted a number she can trust), and how long
it will take: the number of parts times one training, timed from the project's last finished training run
(its run.json's ``train_seconds`` per epoch, or for a run from before ``created`` to ``updated``, times the
Train page's epochs)."""

from __future__ import annotations

import datetime

from edgeling.core.project import ProjectError
from edgeling.core.runs import read_config

TITLE = "Check every sample (cross-validation)"
ABOUT = ("A firmer number than one test split: the data is cut into parts and one model is trained per part, each "
         "tested on the part it did not learn from, so every sample is tested once. It takes as long as that many "
         "trainings.")
DETAILS = ("One test split tests only the few samples set aside for it, so its accuracy can be luck. Here the data "
           "is cut into parts; for each part a model is trained without it (with the Train page's settings) and "
           "tested on it, so every sample is tested once by a model that never saw it. All the files of one "
           "speaker or machine (read from the file names, or a label sheet) stay in one part. The results pool all "
           "the samples. "
           "Stop keeps the finished parts; Carry on goes on from there.")


def _stamp(text) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(str(text))
    except ValueError:
        return None


def seconds_per_epoch(project) -> tuple[str, float] | None:
    """(run id, seconds one epoch took) of the project's newest finished training run (not a compression),
    from its run.json; None when no run says it."""
    for entry in reversed(list(project.runs) if project is not None else []):
        if entry.get("status") != "finished" or entry.get("compressed_from"):
            continue
        try:
            config = read_config(project.run_folder(entry))
        except (ProjectError, KeyError, TypeError):
            continue
        if config is None:
            continue
        epochs = config.get("epochs_done")
        if not isinstance(epochs, int) or epochs <= 0:
            continue
        spent = config.get("train_seconds")     # time spent training, over resumes (core, run.json)
        if isinstance(spent, (int, float)) and spent > 0:
            return str(entry.get("id") or "the last run"), float(spent) / epochs
        start, end = _stamp(config.get("created")), _stamp(config.get("updated"))   # runs from before
        if start is None or end is None or end <= start:
            continue
        return str(entry.get("id") or "the last run"), (end - start).total_seconds() / epochs
    return None


def duration_words(seconds: float) -> str:
    """'under a minute' (it said '1 minute' for 5 trainings of 10 s each, and 'about 1 minute' for all of them),
    'a minute and a half'... then minutes, then hours."""
    if seconds < 50:
        return "under a minute"
    if seconds < 75:
        return "a minute"
    minutes = max(2, round(seconds / 60))
    if minutes < 90:
        return f"{minutes} minute{'s' * (minutes != 1)}"
    hours = seconds / 3600
    return f"{hours:.1f} hours" if hours < 10 else f"{round(hours)} hours"


def time_sentence(project, parts: int, epochs: int | None) -> str:
    """'About 36 minutes: 5 trainings of 60 epochs, each timed from run-001 (about 7 minutes).'; without a
    timed run, how many trainings it takes."""
    timed = seconds_per_epoch(project)
    if timed is None or not epochs:
        return (f"It trains {parts} models one after another, so it takes {parts} times as long as one training "
                "on the Train page.")
    run, per_epoch = timed
    one = per_epoch * epochs
    whole, each = duration_words(one * parts), duration_words(one)
    if whole == "under a minute":      # "each under a minute" said it twice (the second GUI walk)
        return (f"Under a minute: {parts} trainings of {epochs} epochs, as timed from {run} (training often stops "
                "earlier, when it stops getting better).")
    each = each if each == "under a minute" else f"about {each}"
    return (f"About {whole}: {parts} trainings of {epochs} epochs, each {each} as timed from {run} (training often "
            "stops earlier, when it stops getting better).")


def start_tip(project, parts: int, epochs: int | None) -> str:
    return (f"Train {parts} models, each without one part of the data and tested on it, with the Train page's "
            f"settings. {time_sentence(project, parts, epochs)} You can stop at any time: the finished parts are "
            "kept, and Carry on goes on from there.")


def machines_of(ds) -> list[str]:
    """The few machines (speakers) the file names name, which cross-validation holds out whole
    (core's ``meta["few_subjects"]``, used by ``data/load.with_fold`` when the data has no subject split of its
    own); [] for other data."""
    meta = (ds.meta or {}) if ds is not None else {}
    few = meta.get("few_subjects")
    return [str(n) for n in few] if isinstance(few, list) and few and not meta.get("subjects") else []


def machines_sentence(machines: list[str], parts: int, kind: str = "", said_by: str = "", meta: dict | None = None) -> str:
    """'The file names name 5 machines (pump0, ..., pump4): each part holds whole ones out, so each is tested
    by a model that never met it; with 5 parts, one each.' Machines for sensor data, speakers for sound clips,
    hives, machines or places for long recordings cut into clips, as core's findings say them
    (``subject_findings.who_words`` of the data's ``meta``; the GUI walk read "5 machines or speakers (pump1, ...)",
    the beekeeper walk "7 speakers (hive01, ...)"). ``said_by``: the label sheet's column that named them (core's
    ``meta["subjects_from"]``), said instead of the file names."""
    from edgeling.core.data.subject_findings import who_words

    n = len(machines)
    names = f" ({', '.join(machines)})" if n <= 8 else ""
    named_in = f"{said_by[:1].upper()}{said_by[1:]}" if said_by else "The file names"
    said = (f"{named_in} name{'s' if said_by else ''} {n} {who_words(kind, meta)}{names}: each part holds whole "
            "ones out, so each is tested by a model that never met it")
    if parts == n:
        return said + f"; with {parts} parts, one each."
    if parts < n:
        return said + f"; with {parts} parts, {n // parts} or {-(-n // parts)} in each." if n % parts else \
            said + f"; with {parts} parts, {n // parts} in each."
    return said + f". Choose at most {n} parts: there are only {n} to hold out."
