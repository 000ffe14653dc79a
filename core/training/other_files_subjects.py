"""Who the files of a test on other files were recorded from (``other_files.evaluate_on_files``): their
speakers or machines, by a label sheet's column or by their names, and each one's right answers."""

from __future__ import annotations

import numpy as np

from edgeling.core.training import metrics as M


def by_subject(result: dict, got, kind: str, right: np.ndarray, meta: dict | None = None) -> None:
    """When the files' names say who or what was recorded (four or more speakers or machines, as the import
    finds a few), each one's right answers (``subjects``) and a 95% range counting one's samples as alike (the
    speech walk: 6 new children tested, 4 of the 5 wrong answers one child's, and no number per child)."""
    from edgeling.core.data.subject_findings import who_key
    from edgeling.core.data.subjects import (
        FEW_MAX_SUBJECT_SHARE,
        FEW_MIN_FILES,
        FEW_MIN_SUBJECTS,
        detect_subjects,
        file_of,
    )
    from edgeling.core.results_words import stored_range

    if got.subjects:        # a label sheet's column says who each file is
        found = [got.subjects.get(file_of(s)) for s in got.sources]
    else:
        found = detect_subjects(got.sources, got.y, FEW_MIN_FILES, FEW_MIN_SUBJECTS, FEW_MAX_SUBJECT_SHARE)
    names = sorted({s for s in found or [] if s is not None})
    if len(names) < (2 if got.subjects else FEW_MIN_SUBJECTS):     # a sheet says it outright, as at import
        return
    result["subjects"] = {"count": len(names), "test": names,
                          "who": who_key(kind, meta),
                          "right": M.per_subject_right(got.sources, right, names, got.subjects),
                          **({"from": got.subjects_from} if got.subjects else {})}
    result["accuracy_range"] = stored_range(result)
