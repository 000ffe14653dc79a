"""``edgeling_run.py``, written next to a picture or sound model for a Raspberry Pi or a PC: run with nothing
of Edgeling importable, it must prepare every input as Edgeling does and give the answers ``edgeling
predict`` gives with the same file (the speech researcher's Pi app; 44.1 kHz stereo 24-bit WAV among them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from edgeling.core.export.python_runner import RUNNER_FILE, runner_source, writes_runner
from edgeling.core.jobs.train_job import train_run
from edgeling.core.models import frontends
from edgeling.core.resources import samples_dir
from edgeling.core.training.predict import predict_files_with_export, samples_from_file
from tests.core.test_compress_cli import make_images

BLOCKED = """
import importlib.util, json, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("edgeling", "torch", "tests") or name in sys.argv[3].split(","):
            raise ImportError(name + " is not on this device")
sys.meta_path.insert(0, Block())
spec = importlib.util.spec_from_file_location("edgeling_run", sys.argv[1])
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)
model = runner.Model(sys.argv[2])
files = json.loads(sys.stdin.read())
print(json.dumps([{"answer": model.predict(f), "input": model.prepare(f).tolist()} for f in files]))
"""


def run_on_device(runner: Path, model: Path, files: list, also_missing: str = "") -> list[dict]:
    """The script's answers and inputs, in a Python where edgeling (and torch, and ``also_missing``) cannot
    be imported."""
    done = subprocess.run([sys.executable, "-c", BLOCKED, str(runner), str(model), also_missing or "-"],
                          input=json.dumps([str(f) for f in files]), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def exported(run: Path, fmt: str, out: Path) -> Path:
    """``edgeling export RUN --format FMT --out OUT`` (the run was trained for a Raspberry Pi 4)."""
    from edgeling.core.cli import main

    assert main(["export", str(run), "--format", fmt, "--out", str(out)]) == 0
    return out


def test_the_export_command_says_the_script_was_written(picture_run, tmp_path, capsys):
    from edgeling.core.cli import main

    _, run = picture_run
    assert main(["export", str(run), "--format", "onnx", "--out", str(tmp_path / "leaves.onnx"), "--json"]) == 0
    said = capsys.readouterr()
    assert json.loads(said.out)["runner"] == str(tmp_path / RUNNER_FILE)
    assert f"Wrote {tmp_path / RUNNER_FILE} beside it: it runs leaves.onnx in Python" in said.err


@pytest.fixture(scope="module")
def picture_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("runner-pictures")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(base / "cache"))
        data = make_images(base / "pictures", side=24)
        train_run(data, base / "run", device="raspberry-pi-4", arch="tutorial_cnn", epochs=2, threads=1,
                  knobs={"width": 4})
        yield base, base / "run"


@pytest.fixture(scope="module")
def sound_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("runner-sound")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(base / "cache"))
        train_run(samples_dir() / "words", base / "run", device="raspberry-pi-4", arch="audio_cnn", epochs=1,
                  threads=1, knobs={"width": 4})
        yield base, base / "run"


def _compare(model_file: Path, files: list, got: list[dict]) -> None:
    """The script's inputs equal Edgeling's own (float32 rounding), and its answers ``predict``'s."""
    from edgeling.core.export.runtimes import read_export_metadata, to_file_layout

    meta = read_export_metadata(model_file)
    want = predict_files_with_export(model_file, [str(f) for f in files])
    for f, mine, theirs in zip(files, got, want):
        x, _ = samples_from_file(meta["kind"], Path(f), meta["data_meta"])
        edgeling_input = frontends.apply(meta["frontend"], x)
        shape = (1, *np.asarray(mine["input"]).shape)
        assert np.abs(to_file_layout(edgeling_input, shape)[0] - np.asarray(mine["input"])).max() < 1e-4, f
        assert mine["answer"]["label"] == theirs["label"], f
        assert mine["answer"]["confidence"] == pytest.approx(theirs["confidence"], abs=0.02), f


def _awkward_pictures(folder: Path) -> list[Path]:
    """A phone photo (JPEG, large, turned by EXIF), a PNG with transparency, a 16-bit grey PNG."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(3)
    photo = Image.fromarray(rng.integers(0, 255, (300, 480, 3), dtype=np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6
    photo.save(folder / "phone.jpg", quality=90, exif=exif)
    rgba = rng.integers(0, 255, (40, 30, 4), dtype=np.uint8)
    Image.fromarray(rgba, "RGBA").save(folder / "clear.png")
    Image.fromarray(rng.integers(0, 65535, (30, 30), dtype=np.uint16)).save(folder / "grey16.png")
    return [folder / "phone.jpg", folder / "clear.png", folder / "grey16.png"]


def test_pictures_are_prepared_and_answered_as_edgeling_does(picture_run, tmp_path):
    base, run = picture_run
    files = sorted((base / "pictures" / "ring").glob("*.png"))[:3] + _awkward_pictures(tmp_path / "new")
    for fmt, name in (("onnx", "leaves.onnx"), ("tflite-int8", "leaves.tflite")):
        model = exported(run, fmt, tmp_path / "out" / name)
        runner = tmp_path / "out" / RUNNER_FILE
        assert runner.read_bytes() == runner_source()
        _compare(model, files, run_on_device(runner, model, files))
        card = (tmp_path / "out" / f"{name}.card.md").read_text(encoding="utf-8")
        assert "## Run it in Python (Raspberry Pi, PC)" in card
        # Raspberry Pi OS (Bookworm) refuses 'pip install' outside a virtual environment: the card makes one
        runtime = "onnxruntime" if fmt == "onnx" else "ai-edge-litert"
        assert "python3 -m venv ~/edgeling-env" in card
        assert f"~/edgeling-env/bin/python -m pip install numpy pillow {runtime}" in card
        assert f"~/edgeling-env/bin/python edgeling_run.py {name} photo.jpg" in card


def test_sound_clips_are_prepared_and_answered_as_edgeling_does_with_or_without_soundfile(sound_run, tmp_path):
    _, run = sound_run
    words = samples_dir() / "words"
    rng = np.random.default_rng(0)
    clip, _ = sf.read(words / "yes" / "yes_001.flac", dtype="float32")
    t44 = np.interp(np.arange(int(len(clip) * 44100 / 16000)) * 16000 / 44100, np.arange(len(clip)), clip)
    stereo = np.stack([t44, 0.5 * t44 + 0.01 * rng.normal(size=len(t44))], 1)
    sf.write(tmp_path / "child07_take2.wav", stereo, 44100, subtype="PCM_24")           # 44.1 kHz stereo 24-bit
    sf.write(tmp_path / "long.wav", np.concatenate([np.zeros(20000), clip, np.zeros(9000)]), 16000)  # cut
    sf.write(tmp_path / "short8.wav", clip[:5000], 8000, subtype="PCM_U8")
    files = [words / "no" / "no_002.flac", tmp_path / "child07_take2.wav", tmp_path / "long.wav",
             tmp_path / "short8.wav"]
    for fmt, name in (("tflite-int8", "words.tflite"), ("onnx", "words.onnx")):
        model = exported(run, fmt, tmp_path / "out" / name)
        _compare(model, files, run_on_device(tmp_path / "out" / RUNNER_FILE, model, files))
        # the speech walk: export's 0.06 ms read beside evaluate's 0.8 ms, which counts the log-mel step too
        card = (tmp_path / "out" / f"{name}.card.md").read_text(encoding="utf-8")
        assert ("Latency per prediction on this computer (ms), measured, the network alone (the log-mel features "
                "it takes are computed before it, outside the file): ") in card
    wavs = files[1:]                          # plain WAV needs no soundfile: the standard library reads it
    _compare(model, wavs, run_on_device(tmp_path / "out" / RUNNER_FILE, model, wavs, also_missing="soundfile"))


def test_the_script_is_written_for_devices_that_run_python_only(tmp_path):
    assert writes_runner("tflite-int8", "audio", "raspberry-pi-4")
    assert writes_runner("onnx", "images", None) and writes_runner("tflite", "images", "this-computer")
    assert not writes_runner("tflite-int8", "images", "esp32-s3")          # firmware: the C header's steps
    assert not writes_runner("c-header", "audio", "raspberry-pi-4")
    assert not writes_runner("onnx", "table", "this-computer")             # rows: the card's recipe


def test_the_script_says_plainly_what_is_missing(tmp_path):
    runner = tmp_path / RUNNER_FILE
    runner.write_bytes(runner_source())
    model = tmp_path / "m.tflite"
    model.write_bytes(b"x")
    done = subprocess.run([sys.executable, str(runner), str(model), "a.wav"], capture_output=True, text=True)
    assert done.returncode == 2 and "m.tflite.card.json is missing: keep the card" in done.stderr
    assert "Traceback" not in done.stderr



def test_a_full_disk_when_the_script_is_written_leaves_no_model_without_it(picture_run, tmp_path, monkeypatch,
                                                                          capsys):
    import errno
    import os

    from edgeling.core.cli import main

    _, run = picture_run
    real_replace = os.replace

    def disk_full(src, dst, *a, **k):
        if str(dst).endswith(RUNNER_FILE):       # the model and its card went through, then the disk filled
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", disk_full)
    code = main(["export", str(run), "--format", "onnx", "--out", str(tmp_path / "m.onnx"), "--json"])
    err = json.loads(capsys.readouterr().out)["error"]["message"]
    assert code == 2 and RUNNER_FILE in err and "The disk is full" in err
    assert list(tmp_path.iterdir()) == []


def test_broken_files_are_named_with_a_plain_reason(picture_run, sound_run, tmp_path):
    """Reviewing the change: an unreadable sound file ended the script with soundfile's traceback."""
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "broken.wav").write_bytes(b"RIFF....WAVEfmt garbage")
    (tmp_path / "fake.jpg").write_bytes(b"not an image")
    for run, name, files in ((sound_run[1], "words.tflite", ["empty.wav", "broken.wav", "gone.wav"]),
                             (picture_run[1], "leaves.onnx", ["fake.jpg", "gone.png"])):
        model = exported(run, "tflite-int8" if name.endswith("tflite") else "onnx", tmp_path / "out" / name)
        done = subprocess.run([sys.executable, str(tmp_path / "out" / RUNNER_FILE), str(model),
                               *[str(tmp_path / f) for f in files]], capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        said = [line for line in done.stderr.splitlines() if "not predicted" in line]
        assert len(said) == len(files)
    assert said[0].endswith("fake.jpg: not predicted: it could not be read as a picture (a PNG, JPEG, BMP or WebP "
                            "file?)") and said[1].endswith("gone.png: not predicted: the file does not exist")


def test_the_card_that_goes_to_the_device_names_no_file_and_no_speaker(sound_run, tmp_path):
    """The speech walk: the card that must sit next to the model on the Pi listed ten children's recordings by
    file name (worst_samples) and each held-out child's score by name. The run keeps them; the card does not."""
    from edgeling.core import runs
    from edgeling.core.export.model_card import card_markdown, shareable_metrics

    _, run = sound_run
    metrics = runs.load_run(run).metrics
    named = {s["source"] for s in metrics.get("worst_samples") or []}
    assert named                                                # the run's results do name them
    model = exported(run, "tflite", tmp_path / "out" / "words.tflite")
    for card in (model.with_name("words.tflite.card.json"), model.with_name("words.tflite.card.md")):
        text = card.read_text(encoding="utf-8")
        assert not [n for n in named if n in text], card.name
    card = json.loads(model.with_name("words.tflite.card.json").read_text(encoding="utf-8"))
    assert "worst_samples" not in card["metrics"] and card["metrics"]["accuracy"] == metrics["accuracy"]
    # Speakers held out by name (child16, MiaS) are numbered; their scores stay, as the 95% range uses them
    right = {"MiaS": {"samples": 18, "right": 17}, "child26": {"samples": 18, "right": 12}}
    with_speakers = {**metrics, "subjects": {"count": 40, "test": ["child26", "MiaS"], "who": "speaker", "right": right}}
    kept = shareable_metrics(with_speakers)
    assert kept["subjects"]["test"] == ["speaker 2", "speaker 1"]
    assert kept["subjects"]["right"] == {"speaker 1": right["MiaS"], "speaker 2": right["child26"]}
    text = card_markdown({**card, "metrics": kept})
    assert "MiaS" not in text and "child26" not in text


def test_a_pi_s_card_and_export_message_speak_of_no_arena_or_firmware(sound_run, tmp_path, capsys):
    """The speech walk: the Raspberry Pi's card said "Besides the arena, the firmware needs a buffer for one clip"
    and "TFLite Micro arena used here", and the export said "TFLite Micro arena 62,112 bytes": a Pi has neither.
    A microcontroller's card keeps them."""
    from edgeling.core.cli import main

    _, run = sound_run                                        # trained for a Raspberry Pi 4
    out = tmp_path / "pi" / "words.tflite"
    assert main(["export", str(run), "--format", "tflite-int8", "--out", str(out)]) == 0
    said = capsys.readouterr().err
    assert "Verified in" in said and "arena" not in said
    card = out.with_name("words.tflite.card.md").read_text(encoding="utf-8")
    assert "arena" not in card.lower() and "firmware" not in card.lower()
    assert "## How to prepare an input on the device" in card           # the recipe itself stays
    from edgeling.core.export.input_recipe import for_a_microcontroller

    assert for_a_microcontroller({"on_device": {"kind": "microcontroller"}}) and for_a_microcontroller({})
