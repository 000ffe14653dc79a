"""Every duplicate pair is listed in --json and the cache, and up to 20 in the terminal: a user who copied seven
photos into the wrong folder sees all seven, not five and '... and 2 more'."""

from __future__ import annotations

import numpy as np
from PIL import Image

from edgeling.core.cli import main as cli_main
from edgeling.core.data import report as R


def test_every_duplicate_pair_is_listed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "pics"
    for c in ("cat", "dog"):
        (root / c).mkdir(parents=True)
        for i in range(12):
            pixels = np.random.default_rng([ord(c[0]), i]).integers(0, 255, (24, 24, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(root / c / f"{i}.png")
    for i in range(7):   # seven photos copied into the wrong folder by mistake
        (root / "dog" / f"copy_{i}.png").write_bytes((root / "cat" / f"{i}.png").read_bytes())
    assert cli_main(["inspect", str(root)]) == 0
    lines = capsys.readouterr().err.splitlines()
    start = next(k for k, line in enumerate(lines) if "exactly the same content" in line)
    end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("[")), len(lines))
    listed = [line for line in lines[start + 1:end] if line.startswith("    - ")]
    assert listed == [f"    - cat/{i}.png (cat) = dog/copy_{i}.png (dog)" for i in range(7)]
    assert not any("... and" in line for line in lines[start:end])
    # --json and the cache hold every pair, however many; other findings keep their limit
    many = R.Problem(R.DUPLICATE_ACROSS_LABELS, "m", files=[f"{i}.png = c{i}.png" for i in range(250)])
    other = R.Problem(R.IGNORED_FILE, "m", files=[f"{i}.txt" for i in range(250)])
    assert len(many.as_dict()["files"]) == 250 and len(other.as_dict()["files"]) == R.MAX_FILES_LISTED
    text = R.Report([many, other]).text()
    assert "... and 245 more" in text
    # the terminal shows up to 20 pairs (the scale walk's 144 lines flooded it); the rest are in --json
    assert "19.png = c19.png" in text and "20.png = c20.png" not in text
    assert "    ... and 230 more (--json lists them all)" in text
