"""What every page shares: a title, a short plain-language hint, and access to the app state."""

from __future__ import annotations

from edgeling.gui.qt import QFont, QLabel, Qt, QVBoxLayout, QWidget
from edgeling.gui.state import AppState


class Page(QWidget):
    key = "page"
    title = "Page"
    hint = ""
    needs_project = True

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.setObjectName(f"page_{self.key}")
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(self.title)
        f = QFont(heading.font())
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        heading.setFont(f)
        self.layout_.addWidget(heading)
        if self.hint:
            hint = QLabel(self.hint)
            hint.setWordWrap(True)
            hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.layout_.addWidget(hint)

    def on_shown(self) -> None:
        """Called each time the page becomes the current one."""

    busy_label = ""
    """What this page's long job is called in the close question ("training"); empty: it has none."""

    def running_work(self) -> str | None:
        """``busy_label`` while this page's job runs, else None."""
        job = getattr(self, "job", None)
        return self.busy_label if self.busy_label and job is not None and job.running else None

    def leave_project(self) -> None:
        """The open project is about to close (another one opens, or the window closes): end this page's
        work at once, recording what it leaves behind in the project that is still open, and forget what
        the page showed of that project. Nothing a job finishes later may land in the next project."""

    def shutdown(self) -> None:
        """Called when the window closes: end the work (``leave_project``) and stop timers."""
        self.leave_project()


def missing_part_label(what: str) -> QLabel:
    label = QLabel(f"{what} is not part of this build of Edgeling yet. The other pages work; this one "
                   "will fill in when that part is installed.")
    label.setWordWrap(True)
    label.setObjectName("missingPart")
    return label
