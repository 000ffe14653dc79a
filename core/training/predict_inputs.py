"""Which files ``edgeling predict`` answers for: the files given, and in place of a folder the files in it
that the model takes (pictures, clips, recordings or tables, by their ending; hidden and system files
passed over). Both walks gave predict a folder of new photos or clips and were told it "does not exist or
is not a file"."""

from __future__ import annotations

import os
from pathlib import Path

from edgeling.core.data.dataset import DataError

NOTES = {".txt"}


def model_kind(model: str | os.PathLike) -> str | None:
    """The kind of data a run folder or an exported file was trained on, or None when it cannot be read
    (predict then says why, in its own words)."""
    from edgeling.core import runs
    from edgeling.core.export.errors import ExportError
    from edgeling.core.training.predict import is_exported_file

    try:
        if is_exported_file(model):
            from edgeling.core.export.runtimes import read_export_metadata

            return read_export_metadata(model).get("kind")
        return (runs.load_run(model).config.get("dataset") or {}).get("kind")
    except (OSError, ValueError, ExportError, runs.RunError, DataError):
        return None


def with_folders_opened(files: list[str], kind: str | None) -> list[str]:
    """``files`` with each folder replaced by the files in it (and its subfolders) the model takes, in natural
    order; a folder holding none is a DataError naming it and what it should hold."""
    from edgeling.core.data.ordering import natural_order
    from edgeling.core.training.other_files import FILE_EXTS, FILES_NAMED, SYSTEM_FILES

    exts = FILE_EXTS.get(kind or "") or (FILE_EXTS["timeseries"] if kind == "table" else None)
    exts = exts - NOTES if exts else None      # a folder's .txt is a note far more often than a table
    out: list[str] = []
    for name in files:
        folder = Path(name).expanduser()
        if not folder.is_dir() or exts is None:
            out.append(name)
            continue
        found = [f for f in folder.rglob("*") if f.is_file() and f.suffix.lower() in exts
                 and not any(part.startswith(".") for part in f.relative_to(folder).parts)
                 and f.name.lower() not in SYSTEM_FILES]
        if not found:
            named = FILES_NAMED.get(kind, "CSV tables")
            raise DataError(f"{name} is a folder with no {named} in it (files ending "
                            f"{', '.join(sorted(exts)[:6])}). Choose the files to predict, or a folder that "
                            "holds them.", files=[str(name)])
        if kind == "timeseries":    # a label sheet beside the recordings names them: it is no recording
            found = [f for f in found if not (f.parent == folder and _names_recordings(f, found))] or found
        out += [str(f) for f in sorted(found, key=lambda f: natural_order(f.relative_to(folder).as_posix()))]
    return out


def _names_recordings(sheet: Path, found: list[Path]) -> bool:
    from edgeling.core.data.recording_files import names_files

    return names_files(sheet, [f.name for f in found if f != sheet])
