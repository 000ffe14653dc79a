"""Recordings of hours are imported without holding them whole (``audio_long``): an 8-hour recording's bytes were
read for their digest and its sound decoded whole to take 300 clips (gigabytes). The clips, digests and findings
must be the ones reading it whole gives; here ``LONG_READ_S`` is lowered so that files of seconds count as long."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from edgeling.core.data import audio, audio_long, audio_windows
from edgeling.core.data import report as R
from edgeling.core.data.load import ImportOptions


def _hum(rate: int, seconds: float, channels: int, seed: int, f0: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    x = 0.3 * np.sin(2 * np.pi * f0 * t) + 0.02 * rng.normal(size=len(t))
    return np.stack([x * (1 - 0.2 * c) for c in range(channels)], axis=1).astype(np.float32)


def _folder(root: Path) -> Path:
    """Two classes of recordings in several formats, rates and channels: one beyond full scale, one clipped,
    one cut off, one copied under the other class, and one short enough to be read whole anyway."""
    for c in ("calm", "busy"):
        (root / c).mkdir(parents=True)
    sf.write(root / "calm" / "a.wav", _hum(48000, 23.4, 1, 1, 220.0), 48000, subtype="PCM_16")
    over = _hum(44100, 17.3, 2, 2, 230.0)
    over[5000:9000] *= 5.0                                                    # beyond full scale: "over"
    sf.write(root / "calm" / "b.wav", over, 44100, subtype="FLOAT")
    clipped = np.clip(_hum(16000, 21.0, 1, 3, 300.0) * 4.0, -1.0, 1.0)     # at the limit: "clipped"
    sf.write(root / "busy" / "c.flac", clipped, 16000)
    sf.write(root / "busy" / "d.mp3", _hum(22050, 19.0, 1, 4, 310.0), 22050)
    sf.write(root / "busy" / "e.wav", _hum(16000, 30.0, 1, 5, 320.0), 16000, subtype="PCM_16")
    data = (root / "busy" / "e.wav").read_bytes()
    (root / "busy" / "e.wav").write_bytes(data[:44 + 2 * 16000 * 26])   # cut off: 26 s of the 30 promised
    (root / "busy" / "a_copy.wav").write_bytes((root / "calm" / "a.wav").read_bytes())
    sf.write(root / "busy" / "short.wav", _hum(16000, 8.0, 1, 6, 330.0), 16000, subtype="PCM_16")
    return root


def _findings(ds) -> list:
    return [(p.code, p.message, p.files) for p in ds.report.problems]


@pytest.mark.parametrize("max_clips", [300, 12])    # every clip one after another; a few spread over each
def test_a_long_recording_is_imported_without_reading_it_whole_with_the_same_clips(tmp_path, monkeypatch,
                                                                                  max_clips):
    # With several BLAS threads, reading the whole file differs by about 1e-7 near where its rows are split
    # between them (``audio_windows.stretches``); on one thread, the clips are the same to the last bit.
    threadpoolctl = pytest.importorskip("threadpoolctl")
    root = _folder(tmp_path / "hives")
    monkeypatch.setattr(audio_windows, "MAX_CLIPS", max_clips)
    with threadpoolctl.threadpool_limits(1, user_api="blas"):
        whole = audio.import_dataset(root, ImportOptions())
    assert whole.meta["cut"] == audio_windows.CUT

    read_whole = []
    real_read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: read_whole.append(p.name) or real_read_bytes(p))
    monkeypatch.setattr(audio_windows, "LONG_READ_S", 10.0)
    ds = audio.import_dataset(root, ImportOptions())
    assert read_whole == ["d.mp3", "short.wav"]           # the long ones are read a piece at a time (not an MP3)
    assert np.allclose(ds.x, whole.x, rtol=0, atol=1e-6)
    with threadpoolctl.threadpool_limits(1, user_api="blas"):
        assert np.array_equal(audio.import_dataset(root, ImportOptions()).x, whole.x)
    assert ds.sources == whole.sources and list(ds.groups) == list(whole.groups)
    assert np.array_equal(ds.splits, whole.splits) and ds.meta == whole.meta
    assert _findings(ds) == _findings(whole)
    # the digest is the hash of the file's bytes, so a copy under another class is still found
    assert hashlib.sha1(real_read_bytes(root / "calm" / "a.wav")).hexdigest() in ds.groups
    (across,) = ds.report.by_code(R.DUPLICATE_ACROSS_LABELS)
    assert across.files == ["busy/a_copy.wav (busy) = calm/a.wav (calm)"]
    assert ds.report.by_code(R.TOO_LOUD)[0].files == ["calm/b.wav"]
    assert ds.report.by_code(R.CLIPPED_CLIP)[0].files == ["busy/c.flac"]
    (cut,) = ds.report.by_code(R.CUT_OFF_FILE)
    assert cut.files == ["busy/e.wav"] and "promises 30.00 s of sound, only 26.00 s" in cut.message
    assert sum(s.startswith("busy/e.wav#") for s in ds.sources) == min(26, max_clips)


def test_a_long_file_read_a_piece_at_a_time_says_what_is_wrong_as_one_read_whole_does(tmp_path):
    text = tmp_path / "notes.wav"
    text.write_text("hive 3, morning: calm\n" * 40)
    with pytest.raises(audio.AudioReadError) as e:
        audio_long.read_clips(text, 16000, 16000, 5)
    assert e.value.code == R.CORRUPT_FILE and e.value.reason == "the file holds text, not sound"
    head = audio_long.FileBytes(text)
    assert len(head) == text.stat().st_size and head[:4] == b"hive" and head[-5:] == b"calm\n"


def test_the_runner_for_devices_reads_a_very_long_recording_only_where_its_clips_are(tmp_path, monkeypatch):
    """edgeling_run.py (no Edgeling on the device) loaded a whole recording, ~900 MB an hour, to answer 600 clips."""
    import importlib.util

    from edgeling.core.export.python_runner import runner_source

    threadpoolctl = pytest.importorskip("threadpoolctl")
    (tmp_path / "edgeling_run.py").write_bytes(runner_source())
    spec = importlib.util.spec_from_file_location("edgeling_run_long", tmp_path / "edgeling_run.py")
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    for rate, channels in ((44100, 2), (16000, 1), (48000, 1)):
        path = tmp_path / f"hive_{rate}.wav"
        sf.write(path, _hum(rate, 37.3, channels, rate, 250.0), rate, subtype="FLOAT")
        monkeypatch.setattr(runner, "LONG_READ_S", 600.0)
        assert runner.read_spread(path, 16000, 16000, 7) is None              # not long: read whole
        monkeypatch.setattr(runner, "LONG_READ_S", 10.0)
        with threadpoolctl.threadpool_limits(1, user_api="blas"):
            sound = runner.load_sound(path, 16000)
            parts = runner.read_spread(path, 16000, 16000, 7)
        starts = np.round(np.linspace(0, len(sound) - 16000, 7)).astype(int)
        assert np.array_equal(np.stack(parts), np.stack([sound[s:s + 16000] for s in starts])), rate
        assert runner.read_spread(path, 16000, 16000, 40) is None             # every clip: read whole

    model = runner.Model.__new__(runner.Model)       # what a model of recordings reads, without running one
    model.kind, model._input = "audio", lambda clip: clip
    model.meta = {"sample_rate": 16000, "clip_s": 1.0, "cut": "clips of each recording", "clips_per_prediction": 7}
    monkeypatch.setattr(runner, "load_sound", lambda *a: pytest.fail("the whole recording was read"))
    assert len(model.inputs(tmp_path / "hive_44100.wav")) == 7
