"""The Compress page's "Distil ... on the answers of:" run. It listed the runs newest first like "Start from",
so it showed the same run, and the run would have been taught by itself (the vineyard re-walk). It now offers
another run: the biggest other finished run of the same data (the size of its saved checkpoints; the data by
the fingerprint in its run.json), and with no such run, none, with a plain hint. Compress refuses a run as its
own teacher."""

from __future__ import annotations

from edgeling.core.fileio import read_json
from edgeling.core.project import ProjectError
from edgeling.core.runs import RUN_FILE
from edgeling.gui.qt import QLabel, QSize

NO_OTHER_RUN = ("To distil, a second finished run of the same data is needed for the smaller network to learn "
                "from, ideally a bigger one: choose a bigger network on the Model page and train it on the Train "
                "page first.")
SAME_RUN = ("A run cannot learn from its own answers: under Distil, choose another run of the same data (a bigger "
            "one), or untick Distil.")


class WrappedHint(QLabel):
    """A word-wrapped label that asks for the height its text takes at the width it has: a plain one asked for
    the height it takes at about 230 pixels (84 pixels for two lines), and the form centred its two lines in that,
    an empty band above them (the GUI walk)."""

    def sizeHint(self) -> QSize:           # noqa: N802 - Qt's name
        hint = super().sizeHint()
        width = self.width() if self.width() > hint.width() else hint.width()
        return QSize(hint.width(), self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:    # noqa: N802 - Qt's name
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.height() != self.heightForWidth(self.width()):
            self.updateGeometry()            # the form asks again, at the new width


def hint_label() -> QLabel:
    label = WrappedHint(NO_OTHER_RUN)
    label.setObjectName("teacherHint")
    label.setWordWrap(True)
    label.hide()
    return label


def _folder(project, rel):
    try:
        return project.path_in(rel)
    except (ProjectError, TypeError):
        return None


def fingerprint(folder) -> str | None:
    try:
        return (read_json(folder / RUN_FILE).get("dataset") or {}).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        return None


def run_size(folder) -> int:
    """The bytes of the run's saved checkpoints: a bigger network saves more."""
    try:
        return max((p.stat().st_size for p in (folder / "checkpoints").iterdir() if p.is_file()), default=0)
    except OSError:
        return 0


def pick_teacher(picker, source_rel, project) -> bool:
    """Pick in ``picker`` the biggest run other than ``source_rel`` trained on the same data; False (and nothing
    picked anew) when there is none."""
    source = _folder(project, source_rel) if source_rel else None
    data = fingerprint(source) if source is not None else None
    best, best_size = -1, -1
    for i in range(picker.count()):
        rel = picker.itemData(i)
        folder = _folder(project, rel) if rel else None
        if folder is None or rel == source_rel:
            continue
        other = fingerprint(folder)
        if data and other and other != data:
            continue
        size = run_size(folder)
        if size > best_size:
            best, best_size = i, size
    if best >= 0:
        picker.setCurrentIndex(best)
    return best >= 0


def offer_teacher(page) -> None:
    """When the teacher shown is the run to start from (or none), show another one, or say why there is none
    (and untick Distil)."""
    source, project = page.runs.currentData(), page.state.project
    if project is None:
        return
    teacher = page.teacher.currentData()
    found = teacher is not None and teacher != source or pick_teacher(page.teacher, source, project)
    if not found:
        page.distill.setChecked(False)
    page.distill.setEnabled(found)
    page.teacher.setEnabled(found)
    page.teacher_hint.setVisible(not found)
