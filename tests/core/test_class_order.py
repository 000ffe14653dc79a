"""Class indices are the same in every process: names the natural order sees as equal ('Yes' and 'yes')
were left in the order of a Python set, which changes with each process's string hashing, so the process
that trained and the one that evaluated or exported could number the classes differently."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from edgeling.core.data.ordering import natural_order, order_by_class

ROOT = Path(__file__).resolve().parents[2]
PAIRS = ["Yes", "yes", "No", "no", "Up", "up", "Down", "down", "Left", "left", "Go", "go", "Stop", "stop"]

SCRIPT = r"""
import json, sys
from pathlib import Path
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.ordering import order_by_class
from edgeling.core.data.timeseries import import_dataset

names = json.loads(sys.argv[1])
classes, files = order_by_class([(f"{n}/{i}.png", n) for i, n in enumerate(names)])
long_csv = import_dataset(Path(sys.argv[2]), ImportOptions(window_s=1.0, sample_rate=20.0))
print(json.dumps({"classes": classes, "files": [p for p, _ in files], "sensor": long_csv.class_names}))
"""


def _long_csv(path: Path) -> Path:
    lines = ["x,y,activity"]
    for k, label in enumerate(PAIRS):
        lines += [f"{(k + 1) * (i % 5)},{i % 3},{label}" for i in range(40)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _in_a_process(seed: int, csv: Path) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    out = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(PAIRS), str(csv)], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout)


def test_classes_differing_only_in_capitals_are_ordered_alike_in_every_process(tmp_path):
    csv = _long_csv(tmp_path / "log.csv")
    first, *others = [_in_a_process(seed, csv) for seed in (0, 1, 2, 3, 5, 7)]
    expected = ["Down", "down", "Go", "go", "Left", "left", "No", "no", "Stop", "stop", "Up", "up", "Yes",
                "yes"]
    assert all(o == first for o in others)
    assert first["classes"] == expected and first["sensor"] == expected


def test_files_alike_in_the_natural_order_are_ordered_by_name_whatever_the_listing_order():
    # '1.png' and '01.png', 'B.png' and 'b.png': equal for the natural order, so they kept the order of the
    # folder listing, which differs between file systems.
    files = [("a/01.png", "a"), ("a/1.png", "a"), ("a/B.png", "a"), ("a/b.png", "a"), ("a/2.png", "a")]
    want = ["a/01.png", "a/1.png", "a/2.png", "a/B.png", "a/b.png"]
    assert [p for p, _ in order_by_class(files)[1]] == want
    assert [p for p, _ in order_by_class(files[::-1])[1]] == want
    assert sorted(["yes", "Yes", "10", "9"], key=natural_order) == ["9", "10", "Yes", "yes"]
