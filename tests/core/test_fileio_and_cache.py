"""Atomic writes keep the old file on failure; the dataset cache keys on file changes and memory-maps."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from edgeling.core import fileio
from edgeling.core.data import cache
from edgeling.core.data import report as R
from edgeling.core.data.checks import finish_dataset


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    p = tmp_path / "project.json"
    fileio.atomic_write_json(p, {"a": 1})
    fileio.atomic_write_json(p, {"a": 2, "x": np.float32(1.5)})
    assert fileio.read_json(p) == {"a": 2, "x": 1.5}
    assert [f.name for f in tmp_path.iterdir()] == ["project.json"]


def test_failed_write_keeps_the_old_file(tmp_path):
    p = tmp_path / "run.json"
    fileio.atomic_write_text(p, "old")

    def boom(f):
        f.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        fileio.atomic_write_with(p, boom)
    assert p.read_text() == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["run.json"]


def _dataset(root):
    y = np.array([0, 1] * 20)
    return finish_dataset(kind="table", task="classification", x=np.random.rand(40, 3).astype(np.float32),
                          y=y, class_names=["a", "b"], sources=[f"r{i}" for i in range(40)],
                          groups=[f"g{i}" for i in range(40)], root=str(root), meta={"m": 1},
                          report=R.Report())


def test_cache_roundtrip_is_memory_mapped(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("x\n1\n")
    key = cache.cache_key(data, "table", {}, 1)
    assert cache.load_cached(key) is None
    ds = _dataset(data)
    cache.store(key, ds)
    back = cache.load_cached(key)
    assert isinstance(back.x, np.memmap)
    assert np.array_equal(back.x, ds.x) and np.array_equal(back.splits, ds.splits)
    assert back.summary() == ds.summary()


def test_a_long_problem_list_keeps_its_count_through_the_cache(tmp_path, monkeypatch):
    # 242 padded clips said "... and 237 more" (count 242) on the first import, then "... and 195 more"
    # (count 200) when the same dataset was reopened from the cache, which keeps only 200 file names.
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    ds = _dataset(tmp_path)
    files = [f"yes/{i}.wav" for i in range(R.MAX_FILES_LISTED + 42)]
    ds.report.add(R.LENGTH_MISMATCH, "242 clips were padded.", files=files, severity="info")
    first_text, first = ds.report.text(), ds.report.as_list()
    cache.store("k", ds)
    back = cache.load_cached("k").report
    assert back.as_list() == first and back.as_list()[0]["count"] == 242
    assert len(back.as_list()[0]["files"]) == R.MAX_FILES_LISTED
    assert back.text() == first_text and "... and 237 more" in back.text()
    assert R.Report.from_list(back.as_list()).as_list() == first  # and again, read back a second time


def test_cache_key_changes_when_a_file_changes_or_is_added(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    f = data / "a.csv"
    f.write_text("x\n1\n")
    k1 = cache.cache_key(data, "table", {}, 1)
    assert cache.cache_key(data, "table", {}, 1) == k1
    assert cache.cache_key(data, "table", {"target": "x"}, 1) != k1
    assert cache.cache_key(data, "table", {}, 2) != k1
    f.write_text("x\n12\n")
    k2 = cache.cache_key(data, "table", {}, 1)
    assert k2 != k1
    (data / "b.csv").write_text("x\n1\n")
    assert cache.cache_key(data, "table", {}, 1) != k2


def test_damaged_cache_entry_is_dropped(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    cache.store("k", _dataset(tmp_path))
    os.remove(tmp_path / "cache" / "datasets" / "k" / "x.npy")
    assert cache.load_cached("k") is None
    assert not (tmp_path / "cache" / "datasets" / "k").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_atomic_files_get_the_usual_permissions_not_private_ones(tmp_path):
    import stat

    from edgeling.core.fileio import atomic_write_bytes

    old = os.umask(0o022)
    try:
        path = atomic_write_bytes(tmp_path / "model.tflite", b"TFL3")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # as open() would make it; mkstemp gave 0600
    assert [p.name for p in tmp_path.iterdir()] == ["model.tflite"]


def test_an_older_import_of_the_same_folder_is_removed_when_the_new_one_is_stored(tmp_path, monkeypatch):
    """The scale walk: every re-import after a change (or an update of Edgeling) left the old copy, 1.2 GB of
    cache for a 1.3 GB photo folder. Older imports of the same folder, kind and options go; another
    option's import stays."""
    from PIL import Image

    from edgeling.core.data.load import ImportOptions, open_dataset

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(0)
    for c in ("a", "b"):
        (tmp_path / "photos" / c).mkdir(parents=True)
        for i in range(12):
            Image.fromarray(rng.integers(0, 255, (20, 20, 3), dtype=np.uint8)).save(tmp_path / "photos" / c / f"{i}.png")
    entries = lambda: set(p.name for p in (tmp_path / "cache" / "datasets").iterdir())  # noqa: E731
    open_dataset(tmp_path / "photos")
    first = entries()
    open_dataset(tmp_path / "photos", options=ImportOptions(image_size=16))      # another option
    small = entries() - first
    assert len(first) == len(small) == 1
    Image.fromarray(rng.integers(0, 255, (20, 20, 3), dtype=np.uint8)).save(tmp_path / "photos" / "a" / "new.png")
    assert open_dataset(tmp_path / "photos").num_samples == 25
    assert len(entries()) == 2 and small <= entries() and not first & entries()   # replaced; 16 px's kept
    # an entry written before entries named their import (an older cache format) goes too
    old = tmp_path / "cache" / "datasets" / "0123456789abcdef0123456789abcdef"
    (old).mkdir()
    (old / "info.json").write_text(__import__("json").dumps({"kind": "images", "root": str(tmp_path / "photos")}))
    Image.fromarray(rng.integers(0, 255, (20, 20, 3), dtype=np.uint8)).save(tmp_path / "photos" / "b" / "new.png")
    open_dataset(tmp_path / "photos")
    assert not old.exists() and len(entries()) == 2
