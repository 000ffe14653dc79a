"""A long import says how far it has got (the scale walk: 58 s of silence in the terminal for 3,963 photos,
7 minutes of a spinning bar in the app)."""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf
from PIL import Image

from edgeling.core.commands.common import ImportProgressLine
from edgeling.core.data import import_progress
from edgeling.core.data.load import open_dataset


def test_the_photo_and_clip_importers_say_their_steps_to_a_listener(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(import_progress, "EVERY_S", 0.0)        # hear every step here
    rng = np.random.default_rng(0)
    for c in ("a", "b"):
        (tmp_path / "photos" / c).mkdir(parents=True)
        (tmp_path / "clips" / c).mkdir(parents=True)
        for i in range(6):
            Image.fromarray(rng.integers(0, 255, (20, 20, 3), dtype=np.uint8)).save(tmp_path / "photos" / c / f"{i}.png")
            sf.write(tmp_path / "clips" / c / f"{i}.wav", rng.uniform(-0.5, 0.5, 1600), 16000)
    for folder, stages in (("photos", ["reading the photos", "resizing the photos"]),
                           ("clips", ["reading the clips", "decoding the clips"])):
        heard = []
        with import_progress.reporting(lambda d, t, w, heard=heard: heard.append((d, t, w))):
            open_dataset(tmp_path / folder)
        assert [w for w in dict.fromkeys(w for *_, w in heard)] == stages
        assert (12, 12, stages[0]) in heard and (12, 12, stages[1]) in heard and (0, 12, stages[0]) in heard
        with import_progress.reporting(lambda *a, heard=heard: heard.append(a)):
            count = len(heard)
            open_dataset(tmp_path / folder)                   # from the cache: nothing to say
            assert len(heard) == count
    import_progress.step(1, 2, "nobody listens")               # no listener: nothing happens


def test_the_terminal_line_is_rewritten_on_a_terminal_and_thinned_in_a_log():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    line = ImportProgressLine(tty)
    line(1, 3963, "reading the photos")
    line(3963, 3963, "reading the photos")
    assert tty.getvalue() == "\rReading the photos: 1 of 3,963".ljust(61) + "\rReading the photos: 3,963 of 3,963".ljust(61) + "\n"
    log = io.StringIO()
    line = ImportProgressLine(log)
    for k in range(100):
        line(k, 100, "resizing the photos")
    assert log.getvalue() == ""                 # a log hears nothing of a short import (an error stays first)
    line.last -= line.EVERY_S
    line(50, 100, "resizing the photos")
    line(51, 100, "resizing the photos")
    assert log.getvalue() == "Resizing the photos: 50 of 100\n"          # then one line per 10 s
