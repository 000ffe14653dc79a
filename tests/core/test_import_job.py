"""The import as a job (``jobs/import_job.py``): what the app's child process runs for a big folder."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from edgeling.core.data.load import cached_dataset, open_dataset
from edgeling.core.jobs.events import Progress
from edgeling.core.jobs.runner import run_inline

JOB = "edgeling.core.jobs.import_job.run"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))


def photos(root, per_class=6):
    for c, name in enumerate(("red", "blue")):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            img = np.full((16, 16, 3), 20 * i, np.uint8)
            img[..., 2 * c] = 220
            Image.fromarray(img).save(root / name / f"p{i}.png")
    return root


def test_the_job_fills_the_cache_and_says_its_steps(tmp_path):
    folder = photos(tmp_path / "shapes")
    assert cached_dataset(folder) is None                   # not read yet
    events = []
    result = run_inline(JOB, {"path": str(folder), "kind": None, "options": {}}, events.append)
    assert result["ok"] and result["kind"] == "images" and result["num_samples"] == 12
    steps = [e for e in events if isinstance(e, Progress)]
    assert steps and steps[-1].done == steps[-1].total == 12 and steps[-1].message
    hit = cached_dataset(folder)                              # what the app then opens, memory-mapped
    assert hit is not None and isinstance(hit.x, np.memmap) and hit.num_samples == 12
    fresh = open_dataset(folder, use_cache=False)
    assert np.array_equal(np.asarray(hit.x), fresh.x) and list(hit.y) == list(fresh.y)


def test_the_users_data_problem_comes_back_as_words_not_a_failure(tmp_path):
    (tmp_path / "empty" / "a").mkdir(parents=True)
    result = run_inline(JOB, {"path": str(tmp_path / "empty"), "kind": "images", "options": {}})
    assert result["ok"] is False and result["message"].startswith("No images were found in class subfolders of")


def test_stop_ends_the_reading_at_the_next_file(tmp_path):
    folder = photos(tmp_path / "shapes")
    events = []
    run_inline(JOB, {"path": str(folder)}, events.append, should_stop=lambda: True)
    assert type(events[-1]).__name__ == "Stopped" and cached_dataset(folder) is None
