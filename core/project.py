"""Projects: what is saved where.

A project is a folder holding ``project.json`` (written atomically, with a backup copy ``project.json.bak``
of the last good save), a ``runs/`` folder (one sub-folder per training run) and an ``exports/`` folder.
Projects live under the platformdirs data folder unless the user picks a folder of their own.

Every path the project refers to inside itself (runs, exports) is stored relative to the project folder,
so the folder can be moved or shared whole. A project read from disk may never reach outside its folder:
an entry that does (an absolute path, ``..``, a link pointing elsewhere) is dropped with a plain warning.
The data a project was built from may live anywhere (it is the user's own folder), and is only read.

Nothing here imports Qt or torch; the GUI autosaves by calling ``Project.save_if_dirty()`` on a timer.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edgeling.core.commands.common import CommandError
from edgeling.core.fileio import atomic_write_json
from edgeling.core.sentences import counted, verb

PROJECT_FILE = "project.json"
BACKUP_FILE = "project.json.bak"
FORMAT = 1


class ProjectError(CommandError):
    """A project that cannot be opened or saved; the message says which file and what to do."""

    def __init__(self, message: str, path: str | os.PathLike | None = None, backup_available: bool = False):
        super().__init__(message, 2, {"path": str(path) if path else None})
        self.path = Path(path) if path else None
        self.backup_available = backup_available
        self.in_use = False     # another Edgeling window has the project open (``claim``)


def data_root() -> Path:
    """Where Edgeling keeps its own files (``EDGELING_DATA_DIR`` overrides, for tests and portable use)."""
    env = os.environ.get("EDGELING_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("edgeling", appauthor=False))


def projects_root() -> Path:
    return data_root() / "projects"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime())


def slugify(name: str) -> str:
    slug = re.sub(r"[^\w\- ]+", "", name, flags=re.UNICODE).strip().replace(" ", "-")
    return slug[:60] or "project"


@dataclass
class Project:
    folder: Path
    name: str
    created: str = field(default_factory=_now)
    modified: str = field(default_factory=_now)
    data: dict[str, Any] = field(default_factory=dict)
    """``{"path": str, "kind": str | None, "options": {...}}``: the data the project learns from."""
    device: str | None = None
    model: dict[str, Any] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)
    """One entry per run: ``{"id", "folder" (relative), "created", "status", "best": {...}, ...}``."""
    exports: list[dict[str, Any]] = field(default_factory=list)
    """One entry per exported file: ``{"path" (relative), "format", "size_bytes", "verification", ...}``."""
    ui: dict[str, Any] = field(default_factory=dict)
    """Where the user left off (current page, selections), so the app reopens exactly as left."""
    warnings: list[str] = field(default_factory=list, compare=False)
    """Plain-language notes from loading (entries dropped because they reached outside the folder)."""
    dirty: bool = field(default=False, compare=False)

    @property
    def file(self) -> Path:
        return self.folder / PROJECT_FILE

    @property
    def runs_dir(self) -> Path:
        return self.folder / "runs"

    @property
    def exports_dir(self) -> Path:
        return self.folder / "exports"

    @property
    def logs_dir(self) -> Path:
        return self.folder / "logs"

    # --- paths inside the project -------------------------------------------------------------------
    def path_in(self, rel: str) -> Path:
        """The absolute path of ``rel`` inside the project folder; ProjectError if it reaches outside."""
        if not _is_inside(self.folder, rel):
            raise ProjectError(
                f"The project {self.file} refers to {rel!r}, which is outside the project folder. A project "
                "may only refer to files inside its own folder; remove that entry or move the file into "
                "the project folder.", self.file)
        return (self.folder / rel).resolve()

    def relative(self, path: str | os.PathLike) -> str:
        """``path`` (which must lie inside the project folder) as a relative POSIX string for saving."""
        p = Path(path)
        if not p.is_absolute():
            p = self.folder / p
        try:
            return p.resolve().relative_to(self.folder.resolve()).as_posix()
        except ValueError:
            raise ProjectError(f"{path} is outside the project folder {self.folder}; only files inside the "
                               "project can be added to it.", self.file) from None

    def data_for_run(self, run_folder: str | os.PathLike) -> str | None:
        """The project's data, to hand to a run of this project whose own data is no longer where it was
        trained (moved or renamed, then chosen again on the Data page); None when the run finds its data
        itself or the project has none. The run's command checks the classes are the ones it learnt."""
        from edgeling.core import runs

        path = self.data.get("path")
        if not path:
            return None
        try:
            if runs.data_location(runs.load_run(run_folder)) is not None:
                return None
        except runs.RunError:
            return None
        here = Path(path) if Path(path).is_absolute() else self.folder / path
        return str(here) if here.exists() else None

    # --- changes --------------------------------------------------------------------------------------
    def update(self, **fields: Any) -> None:
        """Set top-level fields (``data``, ``device``, ``model``, ``name``) and mark the project changed."""
        for key, value in fields.items():
            if key not in ("data", "device", "model", "name"):
                raise AttributeError(f"Project has no editable field {key!r}")
            setattr(self, key, value)
        self.dirty = True

    def set_ui(self, key: str, value: Any) -> None:
        if self.ui.get(key) != value:
            self.ui[key] = value
            self.dirty = True

    def add_run(self, folder: str | os.PathLike, **info: Any) -> dict[str, Any]:
        """Record a run whose files are in ``folder`` (inside ``runs/``); returns the entry (updatable)."""
        rel = self.relative(folder)
        entry = next((r for r in self.runs if r.get("folder") == rel), None)
        if entry is None:
            entry = {"id": info.pop("id", Path(rel).name), "folder": rel, "created": _now()}
            self.runs.append(entry)
        entry.update(info)
        self.dirty = True
        return entry

    def add_export(self, path: str | os.PathLike, **info: Any) -> dict[str, Any]:
        rel = self.relative(path)
        self.exports = [e for e in self.exports if e.get("path") != rel]
        entry = {"path": rel, "created": _now(), **info}
        self.exports.append(entry)
        self.dirty = True
        return entry

    def run_folder(self, run: dict[str, Any]) -> Path:
        return self.path_in(run["folder"])

    def export_path(self, export: dict[str, Any]) -> Path:
        return self.path_in(export["path"])

    # --- saving ---------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "name": self.name, "created": self.created, "modified": self.modified,
                "data": self._data_for_saving(), "device": self.device, "model": self.model, "runs": self.runs,
                "exports": self.exports, "ui": self.ui}

    def _data_for_saving(self) -> dict[str, Any]:
        """The data entry, plus where the data sits inside the project folder when it does, so a project
        folder moved or copied whole (another computer, a USB stick) finds its data again."""
        data = {k: v for k, v in self.data.items() if k != "inside_project"}
        path = data.get("path")
        if isinstance(path, str) and Path(path).is_absolute():
            try:
                data["inside_project"] = Path(path).resolve().relative_to(self.folder.resolve()).as_posix()
            except ValueError:
                pass
        return data

    def save(self) -> Path:
        """Write project.json atomically (then its backup copy); ProjectError if the disk refuses, or if the
        project folder itself is gone (moved or deleted while open: writing would make an empty copy of
        it appear in its old place, which the recent list would then open instead of the real one)."""
        if not self.folder.is_dir():
            raise ProjectError(
                f"The project folder {self.folder} is no longer there (moved, renamed or deleted while "
                "Edgeling had it open), so nothing was saved. If you moved it, open it from its new place "
                "(Home, Open a project folder…); the changes made here since it moved were not saved.",
                self.file)
        self.modified = _now()
        payload = self.to_dict()
        try:
            atomic_write_json(self.file, payload)
            atomic_write_json(self.folder / BACKUP_FILE, payload)
        except OSError as e:
            raise ProjectError(
                f"Could not save the project to {self.file} ({e.strerror or e}). Check that the folder "
                "still exists and the disk is not full, then save again; your work is still open.",
                self.file) from None
        self.dirty = False
        from edgeling.core.recent_projects import remember_recent  # it imports this module

        remember_recent(self)
        return self.file

    def save_if_dirty(self) -> bool:
        if self.dirty:
            self.save()
            return True
        return False


def _is_inside(folder: Path, rel: Any) -> bool:
    if not isinstance(rel, str) or not rel or "\0" in rel:
        return False
    p = Path(rel)
    if p.is_absolute() or p.drive or ".." in Path(rel.replace("\\", "/")).parts:
        return False
    root = folder.resolve()
    try:
        (root / p).resolve().relative_to(root)   # follows links: a link pointing outside is refused
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def create_project(name: str, folder: str | os.PathLike | None = None) -> Project:
    """A new, saved project named ``name``: in ``folder`` if given (it must be empty or not yet exist),
    else in a fresh folder under ``projects_root()``."""
    if folder is None:
        base = projects_root() / slugify(name)
        target, i = base, 2
        while target.exists():
            target, i = base.with_name(f"{base.name}-{i}"), i + 1
    else:
        target = Path(folder).expanduser()
        if (target / PROJECT_FILE).exists():
            raise ProjectError(f"{target} already holds a project. Open it instead, or choose an empty "
                               "folder for the new project.", target / PROJECT_FILE)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ProjectError(f"Could not create the project folder {target} ({e.strerror or e}). Choose a "
                           "folder you can write to.", target) from None
    project = Project(folder=target.resolve(), name=name.strip() or "Untitled project")
    project.save()
    return project


def load_project(path: str | os.PathLike, from_backup: bool = False) -> Project:
    """Open the project in folder ``path`` (or its project.json). A missing or damaged file raises
    ProjectError with a plain message; ``err.backup_available`` says whether the backup copy can be tried
    with ``from_backup=True``."""
    p = Path(path).expanduser()
    folder = p.parent if p.name in (PROJECT_FILE, BACKUP_FILE) else p
    file = folder / (BACKUP_FILE if from_backup else PROJECT_FILE)
    backup = folder / BACKUP_FILE
    has_backup = not from_backup and backup.is_file()
    if not file.is_file():
        raise ProjectError(f"There is no Edgeling project in {folder} ({file.name} is missing). Choose the "
                           "folder that holds project.json, or create a new project.", file, has_backup)
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        where = f" near line {e.lineno}" if isinstance(e, json.JSONDecodeError) else ""
        raise ProjectError(
            f"The project file {file} is damaged and cannot be read (it is cut short or was edited by hand"
            f"{where})."
            + (" A backup copy from the last save exists: open it to carry on." if has_backup else
               " Restore it from a backup, or create a new project and import your data again."),
            file, has_backup) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("name", ""), str):
        raise ProjectError(f"The project file {file} does not hold an Edgeling project."
                           + (" A backup copy exists: open it to carry on." if has_backup else ""),
                           file, has_backup)
    if _format_of(raw) > FORMAT:
        raise ProjectError(f"The project {file} was saved by a newer version of Edgeling. Update Edgeling "
                           "to open it.", file)
    damaged = [key for key in ("runs", "exports") if key in raw and not isinstance(raw[key], list)]
    if damaged and has_backup:     # opened, the next save would have written the empty list to the backup too
        raise ProjectError(f"The list of {' and '.join(damaged)} in the project file {file} is damaged (it was "
                           "edited by hand, or cut short). A backup copy from the last save exists: open it to "
                           "carry on.", file, has_backup)
    project = Project(folder=folder.resolve(), name=raw.get("name") or folder.name,
                      created=str(raw.get("created", _now())), modified=str(raw.get("modified", _now())),
                      data=_dict(raw.get("data")), device=raw.get("device") if isinstance(
                          raw.get("device"), str) else None,
                      model=_dict(raw.get("model")), ui=_dict(raw.get("ui")))
    project.runs = _inside_entries(project, raw.get("runs"), "folder", "run")
    if "runs" in damaged:      # no backup: the runs on disk are listed again, not lost (the upgrade walk)
        project.runs = _runs_on_disk(project)
        found = counted(len(project.runs), "run")
        project.warnings.append(f"The list of runs in {file.name} was damaged. The {found} found in "
                                f"{project.runs_dir} {verb(len(project.runs), 'is', 'are')} listed again; their order "
                                "and notes the app kept may differ.")
        project.dirty = True
    if "exports" in damaged:
        project.warnings.append(f"The list of exported files in {file.name} was damaged, so none is listed; the "
                                f"files are still in {project.exports_dir}.")
        project.dirty = True
    project.exports = _inside_entries(project, raw.get("exports"), "path", "export")
    data_path = project.data.get("path")
    if data_path is not None and not isinstance(data_path, str):     # a hand edit (the upgrade walk: 42)
        project.warnings.append(f"The data path in {file.name} is not a path ({data_path!r}) and was ignored; "
                                "choose your data again on the Data page.")
        project.data = {}
    elif data_path is not None and not (Path(data_path).is_absolute() or _is_inside(project.folder, data_path)):
        project.warnings.append(f"The data path {data_path!r} reaches outside the project folder and was "
                                "ignored; import your data again on the Data page.")
        project.data = {}
    _find_moved_data(project)
    _check_device(project)
    if from_backup:
        project.dirty = True   # the next autosave repairs project.json
    from edgeling.core.recent_projects import remember_recent

    remember_recent(project)
    return project


def _find_moved_data(project: Project) -> None:
    """A project folder moved whole: its data, saved as inside the folder, is looked for there."""
    path, inside = project.data.get("path"), project.data.get("inside_project")
    if not isinstance(path, str) or Path(path).exists() or not isinstance(inside, str):
        return
    if _is_inside(project.folder, inside) and (project.folder / inside).exists():
        project.data["path"] = str((project.folder / inside).resolve())
        project.warnings.append(f"The data was no longer at {path}; it was found inside the project folder, "
                                f"at {project.data['path']}, and is used from there.")
        project.dirty = True


def _format_of(raw: dict) -> int:
    """The file's format number; a value edited into something else counts as this version's."""
    try:
        return int(raw.get("format", FORMAT))
    except (TypeError, ValueError):
        return FORMAT


def _dict(v: Any) -> dict:
    return dict(v) if isinstance(v, dict) else {}


def _check_device(project: Project) -> None:
    """A device the catalogue does not know (a custom board removed since, a hand edit) is said when the project
    opens, not first when a plan or a training fails (the upgrade walk)."""
    if not project.device:
        return
    from edgeling.core.devices.catalogue import DeviceError, get_device

    try:
        get_device(project.device, measure=False)
    except DeviceError as e:        # a damaged custom-devices file is said as such, not as an unknown device
        project.warnings.append(
            f"The device {project.device!r} this project was made for is not among the devices Edgeling knows (a "
            "custom board removed since, or a name changed). Choose the device on the Model page."
            if "known_devices" in e.details else str(e))      # unknown, or the custom-devices file's own fault


def _runs_on_disk(project: Project) -> list[dict]:
    """An entry for each run folder in the project's runs folder, oldest first, from what the run says of
    itself: its status, the run it was compressed from and how, and its test scores (the review: entries of
    a name and a status only made a compressed run look trained, and Resume picked it)."""
    from edgeling.core import runs
    from edgeling.core.compress.notes import pass_labels

    found = []
    for folder in sorted(project.runs_dir.glob("*/run.json"), key=lambda p: (p.stat().st_mtime, p.parent.name)):
        entry = {"id": folder.parent.name, "folder": project.relative(folder.parent), "created": _now()}
        try:
            run = runs.load_run(folder.parent)
        except runs.RunError:      # listed still: the app says what is wrong with it when it is used
            found.append(entry)
            continue
        entry["created"] = str(run.config.get("created") or entry["created"])
        if isinstance(run.config.get("status"), str):
            entry["status"] = run.config["status"]
        try:
            source = project.relative(run.config["compressed_from"]) if run.config.get("compressed_from") else None
        except (ProjectError, TypeError):
            source = None
        if source:
            entry["compressed_from"] = source
            entry["passes"] = pass_labels([r for r in run.config.get("compression") or [] if isinstance(r, dict)])
        scores = {k: v for k, v in (run.metrics or {}).items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        if scores and (run.metrics or {}).get("split") == "validation":
            scores["split"] = "validation"      # no test samples: not said as a test score (the review)
        if scores:
            entry["best"] = scores
        found.append(entry)
    return found


def _inside_entries(project: Project, items: Any, key: str, what: str) -> list[dict]:
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and _is_inside(project.folder, item.get(key)):
            entry = dict(item)
            if "best" in entry and not isinstance(entry["best"], dict):
                entry.pop("best")   # scores edited into something else: shown as unknown, not a crash
            out.append(entry)
        elif isinstance(item, dict) and not isinstance(item.get(key), str):
            project.warnings.append(f"A {what} entry without a {key} was ignored ({item.get('id') or 'no name'}).")
        else:
            ref = item.get(key) if isinstance(item, dict) else item
            project.warnings.append(f"A {what} entry pointing to {ref!r} was ignored: it is outside the "
                                    "project folder, and a project may only use files inside its folder.")
    return out


# --- one window per project ------------------------------------------------------------------------------
LOCK_FILE = "project.lock"


def claim(project: Project, force: bool = False) -> None:
    """Mark ``project`` as open in this process (``project.lock``), so that a second Edgeling window does
    not open it too: the two would overwrite each other's project.json and lose runs. ProjectError with
    ``in_use`` set when another living window holds it; ``force`` takes it over (the user says it is not)."""
    from edgeling.core.pid_lock import Locked, acquire

    try:
        acquire(project.folder / LOCK_FILE, lambda owner: (
            f"The project {project.name} is open in another Edgeling window (process {owner}). Switch to "
            "that window, or close the project there first: two windows on one project overwrite each "
            "other's changes." if owner else f"The project {project.name} is being opened in another "
            "Edgeling window."), force=force)
    except Locked as e:
        err = ProjectError(str(e), project.file)
        err.in_use = True
        raise err from None
    except OSError:
        pass   # a read-only folder: nothing can be overwritten there either


def release_claim(project: Project) -> None:
    from edgeling.core.pid_lock import release

    release(project.folder / LOCK_FILE)
