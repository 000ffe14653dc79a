"""The Export page lists the files of the run picked above it, and says so over the table (the vineyard walk:
run-001 picked, the table listed run-001-ptq's files, with nothing to tell which run each file was from). The
other runs' files are counted there; picking their run lists them. A file recorded without its run (a project of
an older Edgeling) is listed whichever run is picked: it cannot be told whose it is.

What a press of "Export and check" said (the status line, the numbers of a failed check, the notes under it) is of
the run it exported: shown while that run is picked, hidden while another is (walk 6: "Export finished." stayed
above "No file exported from run-001 yet" once run-001 was picked after exporting run-001-ptq)."""

from __future__ import annotations

from pathlib import Path

from edgeling.gui.qt import QLabel, QVBoxLayout, QWidget


def files_label(layout) -> QLabel:
    """The line over the table saying whose files it lists, added to ``layout``."""
    label = QLabel("")
    label.setObjectName("exportFilesOf")
    label.setWordWrap(True)
    layout.addWidget(label)
    return label


def said_box(layout) -> tuple[QWidget, QVBoxLayout]:
    """A box added to ``layout`` for what a press of Export said, and the layout its lines go in."""
    box = QWidget()
    box.setObjectName("exportSaid")
    inner = QVBoxLayout(box)
    inner.setContentsMargins(0, 0, 0, 0)
    inner.setSpacing(layout.spacing())
    layout.addWidget(box)
    return box, inner


def say_files_of(label: QLabel, run: str, shown: int, entries: list[dict]) -> None:
    label.setText(files_of_words(run, shown, entries))
    label.setVisible(bool(label.text()))


def picked_run(page) -> str:
    """The picked run's folder name (as an export's ``run`` says it), "" when none is picked."""
    rel = page.runs.currentData()
    return Path(str(rel)).name if rel else ""


def of_run(entries: list[dict], run: str) -> list[dict]:
    """The exports (or failed exports) of ``run``, and those that do not say their run."""
    return [e for e in entries if not e.get("run") or not run or e.get("run") == run]


def files_of_words(run: str, shown: int, entries: list[dict]) -> str:
    """'Files exported from run-001 (run-001-ptq's 2 files are listed when it is picked above):'."""
    if not run:
        return ""
    others: dict[str, int] = {}
    for e in entries:
        if e.get("run") and e.get("run") != run:
            others[str(e["run"])] = others.get(str(e["run"]), 0) + 1
    said = f"Files exported from {run}" if shown else f"No file exported from {run} yet"
    if others:
        names = [f"{name}'s {n} file{'s' if n > 1 else ''}" for name, n in others.items()]
        whose = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
        said += f" ({whose}: listed when {'its run is' if len(names) == 1 else 'their run is'} picked above)"
    return said + (":" if shown else ".")
