"""Home: start a new project, reopen a recent one (or any other project in the default projects folder), or
open a bundled sample."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.fileio import read_json
from edgeling.core.project import PROJECT_FILE, projects_root
from edgeling.core.recent_projects import forget_recent, recent_projects
from edgeling.gui.headless_demo import samples_root
from edgeling.gui.pages.base import Page
from edgeling.gui.qt import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
    Signal,
)

SAMPLE_NOTES = {
    "digits": "hand-written digits (images)",
    "words": "spoken command words (audio)",
    "pump": "pump vibration recordings (sensor data)",
    "orders": "shop orders and returns (a table)",
}


def sample_data_path(p: Path) -> Path:
    """What to import for a sample: a folder holding a single CSV table and nothing else is that table."""
    if p.is_dir():
        entries = [e for e in p.iterdir() if not e.name.startswith(".")]
        if len(entries) == 1 and entries[0].suffix.lower() == ".csv":
            return entries[0]
    return p


def bundled_samples() -> list[Path]:
    root = samples_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if not p.name.startswith(".") and (p.is_dir() or p.suffix == ".csv"))


def other_projects(known: list[str]) -> list[dict]:
    """Projects directly in the default projects folder (where Create puts them) that are not in ``known``
    (the recent list), newest first: ``{"path", "name", "modified"}``. Nothing made in the app is then
    out of reach, however long ago it was last opened."""
    root = projects_root()
    seen = set()
    for p in known:
        try:
            seen.add(Path(p).resolve())
        except OSError:
            pass
    found = []
    try:
        folders = [f for f in root.iterdir() if (f / PROJECT_FILE).is_file()]
    except OSError:
        return []
    for f in folders:
        if f.resolve() in seen:
            continue
        try:
            raw = read_json(f / PROJECT_FILE)
            name = raw.get("name") if isinstance(raw, dict) else None
            when = (f / PROJECT_FILE).stat().st_mtime
        except (OSError, ValueError):
            name, when = None, 0.0     # damaged: listed all the same; opening it says what is wrong
        found.append({"path": str(f), "name": name if isinstance(name, str) and name else f.name, "when": when})
    found.sort(key=lambda r: -r["when"])
    return found


def project_row(r: dict, names: list[str]) -> str:
    """A project in the Home page's list: its name (the full path needed a sideways scroll at 1024 px; it is in
    the row's tooltip), with its folder's name when another listed project has the same name."""
    name = str(r["name"])
    if names.count(name) > 1:
        folder = Path(str(r["path"]))
        return f"{name}  ({folder.parent.name}/{folder.name})"
    return name


class HomePage(Page):
    key = "home"
    title = "Home"
    hint = "Start a new project from your own files, reopen one you worked on, or try a sample."
    needs_project = False

    sig_new_project = Signal(str, str)      # name, folder ("" = the default place)
    sig_open_project = Signal(str)          # folder
    sig_open_sample = Signal(str)           # sample path

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        new_box = QGroupBox("New project")
        row = QHBoxLayout(new_box)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Name, for example: Grape leaves")
        self.name_edit.returnPressed.connect(self._on_create)
        self.create_button = QPushButton("&Create")
        self.create_button.clicked.connect(self._on_create)
        self.create_in_button = QPushButton("Create in a folder…")
        self.create_in_button.clicked.connect(self._on_create_in)
        row.addWidget(self.name_edit, 1)
        row.addWidget(self.create_button)
        row.addWidget(self.create_in_button)
        self.layout_.addWidget(new_box)

        lists = QHBoxLayout()
        recent_box = QGroupBox("Recent projects")
        rv = QVBoxLayout(recent_box)
        self.recent_list = QListWidget()
        self.recent_list.setObjectName("recentList")
        self.recent_list.itemActivated.connect(self._on_recent_activated)
        rv.addWidget(self.recent_list)
        brow = QHBoxLayout()
        self.open_button = QPushButton("&Open a project folder…")
        self.open_button.clicked.connect(self._on_open)
        self.forget_button = QPushButton("Forget missing projects")
        self.forget_button.setToolTip("Take the greyed projects (their folder was moved or deleted) off this "
                                      "list. Nothing is deleted; a folder put back or opened again returns.")
        self.forget_button.clicked.connect(self.forget_missing)
        brow.addWidget(self.open_button)
        brow.addWidget(self.forget_button)
        brow.addStretch(1)
        rv.addLayout(brow)
        lists.addWidget(recent_box, 3)

        sample_box = QGroupBox("Samples")
        sv = QVBoxLayout(sample_box)
        self.sample_list = QListWidget()
        self.sample_list.setObjectName("sampleList")
        self.sample_list.itemActivated.connect(self._on_sample_activated)
        sv.addWidget(self.sample_list)
        note = QLabel("A sample opens as a new project with its data already chosen.")
        note.setWordWrap(True)
        sv.addWidget(note)
        lists.addWidget(sample_box, 2)
        self.layout_.addLayout(lists, 1)
        self.refresh()

    def refresh(self) -> None:
        self.recent_list.clear()
        recent = recent_projects()
        others = other_projects([r["path"] for r in recent])
        names = [str(r["name"]) for r in recent + others]
        for r in recent:
            item = QListWidgetItem(project_row(r, names) + ("" if r["exists"] else "  (missing)"))
            item.setData(Qt.ItemDataRole.UserRole, r["path"])
            item.setToolTip(f"{r['path']}\n" + (f"Last saved {r['modified']}" if r["exists"] else
                            "This folder was moved or deleted. Open it from its new place, or press "
                            "Forget missing projects."))
            if not r["exists"]:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.recent_list.addItem(item)
        self.forget_button.setEnabled(any(not r["exists"] for r in recent))
        if others:
            head = QListWidgetItem("Other projects in Edgeling's projects folder:")
            head.setToolTip(str(projects_root()))
            head.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent_list.addItem(head)
        for r in others:
            item = QListWidgetItem(project_row(r, names))
            item.setData(Qt.ItemDataRole.UserRole, r["path"])
            item.setToolTip(str(r["path"]))
            self.recent_list.addItem(item)
        if self.recent_list.count() == 0:
            self.recent_list.addItem(QListWidgetItem("No projects yet: create one above."))
        self.sample_list.clear()
        for p in bundled_samples():
            item = QListWidgetItem(f"{p.stem}: {SAMPLE_NOTES.get(p.stem, 'sample data')}")
            item.setData(Qt.ItemDataRole.UserRole, str(sample_data_path(p)))
            self.sample_list.addItem(item)
        if self.sample_list.count() == 0:
            self.sample_list.addItem(QListWidgetItem("No samples are installed."))

    def on_shown(self) -> None:
        self.refresh()

    def _on_create(self) -> None:
        self.sig_new_project.emit(self.name_edit.text().strip() or "Untitled project", "")

    def _on_create_in(self) -> None:
        start = projects_root() if projects_root().is_dir() else Path.home()
        folder = QFileDialog.getExistingDirectory(self, "Choose an empty folder for the new project", str(start))
        if folder:
            name = self.name_edit.text().strip() or Path(folder).name
            self.sig_new_project.emit(name, folder)

    def forget_missing(self) -> None:
        """Take the projects whose folder is gone off the recent list (nothing on disk is touched)."""
        for r in recent_projects():
            if not r["exists"]:
                forget_recent(r["path"])
        self.refresh()

    def _on_open(self) -> None:
        start = projects_root() if projects_root().is_dir() else Path.home()   # where Create puts projects
        folder = QFileDialog.getExistingDirectory(self, "Choose a project folder (it holds project.json)",
                                                  str(start))
        if folder:
            self.sig_open_project.emit(folder)

    def _on_recent_activated(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.sig_open_project.emit(path)

    def _on_sample_activated(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.sig_open_sample.emit(path)
