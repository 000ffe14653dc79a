"""Where an export may be written: never over the run's data, never into a run folder (its own files, another
run's model-int8.tflite), never over an existing file of another kind, and never over a file Edgeling did not
write (a hand-written board.h, someone else's .onnx); re-exporting over a previous export of the same format is
fine. Checked before anything is built, so a refused ``--out`` costs nothing and changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

from edgeling.core.export.errors import ExportError


def run_own_files() -> tuple[str, ...]:
    """The files a run folder holds for itself (training, evaluation, compression)."""
    from edgeling.core import runs
    from edgeling.core.compress.compress_job import COMPRESSION_FILE
    from edgeling.core.compress.compress_job import LOG_FILE as COMPRESS_LOG
    from edgeling.core.compress.int8 import INT8_FILE
    from edgeling.core.run_samples import SAMPLES_FILE
    from edgeling.core.training.evaluate import PREDICTIONS_FILE

    return (runs.RUN_FILE, runs.HISTORY_FILE, runs.METRICS_FILE, runs.LOG_FILE, PREDICTIONS_FILE, INT8_FILE,
            COMPRESSION_FILE, COMPRESS_LOG, SAMPLES_FILE)


def check_export_out(out: str | os.PathLike, fmt: str, run_dir: str | os.PathLike,
                     data: str | os.PathLike | None) -> None:
    """Raise an ExportError (exit code 2) when ``out`` must not be written for a ``fmt`` export of the run in
    ``run_dir`` trained on ``data`` (a file or folder; None when it cannot be found)."""
    from edgeling.core import runs
    from edgeling.core.compress.int8 import INT8_FILE as INT8_NAME
    from edgeling.core.export.exporter import SUFFIX

    suffix = SUFFIX[fmt]
    target = Path(out).expanduser().resolve()
    example = f"choose another --out, e.g. exports/model{suffix}"
    if data is not None:
        data = Path(data).expanduser().resolve()
        if target == data:
            raise ExportError(f"{out} is the data this run was trained on; exporting there would overwrite it. "
                              f"Nothing was written: {example}.", 2)
        if data.is_dir() and data in target.parents:
            raise ExportError(f"{out} is inside the run's data folder {data}; the export would be mixed with "
                              f"your data (and could be read as data next time). Nothing was written: "
                              f"{example}.", 2)
    run = Path(run_dir).expanduser().resolve()
    inside = target.relative_to(run).parts if run in target.parents else ()
    if inside and (inside[0] == Path(runs.LAST_CHECKPOINT).parts[0] or inside[0] in run_own_files()):
        raise ExportError(f"{out} is one of the run's own files ({run}); exporting there would destroy the "
                          f"run. Nothing was written: {example}.", 2)
    holder = next((p for p in target.parents if (p / runs.RUN_FILE).is_file()), None)
    if holder is not None:
        raise ExportError(f"{out} is inside the run folder {holder}; an export there could replace a run's own "
                          f"files (its {INT8_NAME}, {runs.RUN_FILE}, ...). Nothing was written: choose a folder "
                          f"outside the project's runs, e.g. exports/model{suffix}.", 2)
    if target.is_dir():
        raise ExportError(f"{out} is a folder; --out needs the name of the file to write, e.g. "
                          f"{Path(out) / ('model' + suffix)}.", 2)
    if target.exists() and target.suffix.lower() != suffix:
        raise ExportError(f"{out} already exists and is not a {fmt} export ({fmt} files end in {suffix}); "
                          f"exporting would overwrite it. Nothing was written: choose another --out, or "
                          f"delete that file first if you no longer need it.", 2)
    check_writable(target, out)
    if target.is_file() and target.stat().st_size > 0 and not written_by_edgeling(target):
        raise ExportError(f"{out} already exists and was not written by Edgeling (no model card of Edgeling's "
                          f"beside it, no Edgeling mark in it); exporting would overwrite it. Nothing was "
                          f"written: choose another --out, or delete that file first if you no longer need it.", 2)


def check_writable(target: Path, out) -> None:
    """Raise the plain "cannot be written" ExportError now, before anything is built, when the folder
    ``target`` goes into (or the nearest one of its parents that exists) refuses a new file: a read-only or
    full disk was found only after the whole build and verification. A file is made and removed there
    (``os.access`` says yes to root, and ignores ACLs and read-only mounts)."""
    import secrets

    from edgeling.core.export.files import _plain

    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    probe = folder / f".edgeling-write-test-{secrets.token_hex(6)}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as e:
        raise _plain(out, e) from None
    os.close(fd)
    try:
        os.unlink(probe)
    except OSError:
        pass


def written_by_edgeling(path: str | os.PathLike) -> bool:
    """Whether the file at ``path`` is an export Edgeling wrote: its model card is beside it, or it carries
    Edgeling's mark (a C header's first line "// Generated by Edgeling", a .tflite's ``edgeling`` metadata,
    an ONNX file's producer "edgeling")."""
    from edgeling.core.export.model_card import card_paths
    from edgeling.core.fileio import read_json

    path = Path(path)
    try:
        card = read_json(card_paths(path)["json"])
        if isinstance(card, dict) and card.get("file") == path.name:
            return True
    except (OSError, ValueError):
        pass
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if data.startswith(b"// Generated by Edgeling"):
        return True
    if data[4:8] == b"TFL3":
        from edgeling.core.export.tflite_info import tflite_info

        try:
            return bool(tflite_info(data, str(path))["metadata"])
        except ExportError:
            return False
    try:
        import onnx

        return onnx.load_from_string(data).producer_name == "edgeling"
    except Exception:  # noqa: BLE001 - not an ONNX file (or a damaged one): not ours to overwrite
        return False
