"""Runs that learnt other class names than the data has now (a class folder renamed, added or removed after
training). Only the Export page said so (core's note when an export's check falls back to the samples kept
with the run: "<data> holds the classes ..., not the ones this run learnt"); the Train and Evaluate pages
showed those runs as if they answered with today's names.

The comparison is core's (``core.runs.other_class_names``, which evaluate uses too), made here on the data the
window has read, without a child process."""

from __future__ import annotations

from edgeling.gui.qt import QLabel


def learnt_other_names(folder, ds) -> list[str] | None:
    """The names the run in ``folder`` learnt when they are not the classes of ``ds`` (the data as read now),
    else None (core's ``runs.other_class_names``, on the run's run.json)."""
    from edgeling.core.runs import other_class_names, read_config

    if ds is None or folder is None:
        return None
    config = read_config(folder)
    if config is None:
        return None
    try:
        return other_class_names(config, ds)
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def _listed(names: list[str]) -> str:
    return ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")


def other_names_words(runs: list[str], learnt: list[str], ds) -> str:
    """'run-001 learnt the classes healthy, mildew, rot; the data now has healthy, mildew, black_rot (...)'."""
    who = runs[0] if len(runs) == 1 else f"{', '.join(runs[:-1])} and {runs[-1]}"
    return (f"{who} learnt the classes {_listed(learnt)}; the data now has {_listed(list(ds.class_names))} (a "
            "class folder was renamed, added or removed since). "
            + ("Its" if len(runs) == 1 else "Their") + " results and exported files answer with the names "
            + ("it" if len(runs) == 1 else "they") + " learnt; train a new run to learn the new ones.")


def run_note(folder, ds) -> str:
    """The Evaluate page's words for the run in ``folder``, '' when it learnt the data's classes."""
    learnt = learnt_other_names(folder, ds)
    return other_names_words([folder.name], learnt, ds) if learnt is not None else ""


def project_note(project, ds) -> str:
    """The Train page's words: the finished runs (trained or compressed) that learnt other class names than
    the data has now, with the names the newest of them learnt; '' when there are none."""
    from edgeling.gui.widgets.run_picker import newest_first, run_missing

    if project is None or ds is None:
        return ""
    found: list[tuple[str, list[str]]] = []
    for entry in newest_first([r for r in project.runs if r.get("status") == "finished"]):
        if run_missing(project, entry):
            continue
        learnt = learnt_other_names(project.run_folder(entry), ds)
        if learnt is not None:
            found.append((str(entry.get("id")), learnt))
    if not found:
        return ""
    names = found[0][1]
    return other_names_words([run for run, learnt in reversed(found) if learnt == names], names, ds)


def note_label(name: str) -> QLabel:
    label = QLabel("")
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
    return label


def say(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))
