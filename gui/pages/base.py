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
        self.hint_label: QLabel | None = None
        if self.hint:
            hint = self.hint_label = QLabel(self.hint)
            hint.setWordWrap(True)
            hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.layout_.addWidget(hint)

    def on_shown(self) -> None:
        """Called each time the page becomes the current one."""

    def recheck_files(self) -> None:
        """The window is active again (the user may have moved or deleted files meanwhile, in a file
        manager): show runs and exports whose files went as missing, keeping what the page shows and what
        the user picked. The run lists do; pages with other lists of files add theirs."""
        from edgeling.gui.widgets.run_picker import RunPicker

        for picker in self.findChildren(RunPicker):
            picker.refresh()

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
