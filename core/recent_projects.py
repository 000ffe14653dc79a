"""The Home page's list of recently opened projects (``recent.json`` in the data folder), most recent first.

A damaged or unwritable list only costs convenience: it reads as empty, and a failed write is ignored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edgeling.core.fileio import atomic_write_json
from edgeling.core.project import PROJECT_FILE, data_root

if TYPE_CHECKING:
    from edgeling.core.project import Project

MAX_RECENT = 50


def _recent_file() -> Path:
    return data_root() / "recent.json"


def recent_projects() -> list[dict[str, Any]]:
    """Most recent first: ``{"path", "name", "modified", "exists"}``. A damaged list reads as empty."""
    try:
        items = json.loads(_recent_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for it in items if isinstance(items, list) else []:
        if isinstance(it, dict) and isinstance(it.get("path"), str):
            out.append({"path": it["path"], "name": str(it.get("name", "")),
                        "modified": str(it.get("modified", "")),
                        "exists": (Path(it["path"]) / PROJECT_FILE).is_file()})
    return out


def remember_recent(project: Project) -> None:
    items = [r for r in recent_projects() if r["path"] != str(project.folder)]
    items.insert(0, {"path": str(project.folder), "name": project.name, "modified": project.modified})
    try:
        atomic_write_json(_recent_file(), [{k: r[k] for k in ("path", "name", "modified")}
                                           for r in items[:MAX_RECENT]])
    except OSError:
        pass   # a recent list that cannot be written only costs convenience


def forget_recent(path: str | os.PathLike) -> None:
    items = [r for r in recent_projects() if r["path"] != str(Path(path))]
    try:
        atomic_write_json(_recent_file(), [{k: r[k] for k in ("path", "name", "modified")} for r in items])
    except OSError:
        pass
