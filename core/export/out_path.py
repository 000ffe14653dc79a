"""Where an export may be written: never over the run's data, never over the run folder's own files, and
never over an existing file of another kind (re-exporting over a previous export of the same format is
fine). Checked before anything is built, so a refused ``--out`` costs nothing and changes nothing."""

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
    if target.is_dir():
        raise ExportError(f"{out} is a folder; --out needs the name of the file to write, e.g. "
                          f"{Path(out) / ('model' + suffix)}.", 2)
    if target.exists() and target.suffix.lower() != suffix:
        raise ExportError(f"{out} already exists and is not a {fmt} export ({fmt} files end in {suffix}); "
                          f"exporting would overwrite it. Nothing was written: choose another --out, or "
                          f"delete that file first if you no longer need it.", 2)
