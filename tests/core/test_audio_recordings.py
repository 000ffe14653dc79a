"""Long recordings of an ongoing sound are cut into clips (``audio_windows``): the beekeeper walk's hive recordings
of 30 s to 20 minutes each became one clip, their loudest stretch, and a prediction on a 3-minute recording said
"cut the recording into one clip per word"."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from edgeling.core.commands.predict import windows_summary
from edgeling.core.data import audio_windows
from edgeling.core.data import report as R
from edgeling.core.data.audio import import_dataset, prediction_clips
from edgeling.core.data.dataset import TEST, TRAIN, VAL
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.subjects import file_of

RATE = 8000


def hum(f0: float, seconds: float, seed: int, silent_s: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    x = sum(np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 6)) / k for k in range(1, 4)) * 0.05
    x = (x + 0.01 * rng.normal(size=len(t))).astype(np.float32)
    x[:int(silent_s * RATE)] = 0.0
    return x


def hives(root, lengths=(20.4, 25.0, 31.7, 18.2), silent_first: float = 0.0):
    for c, f0 in (("queenright", 230.0), ("queenless", 300.0)):
        (root / c).mkdir(parents=True, exist_ok=True)
        for k, seconds in enumerate(lengths):
            sf.write(root / c / f"hive{k + 1:02d}_2026-06-14_0800.wav",
                     hum(f0, seconds, k, silent_first if (c, k) == ("queenless", 0) else 0.0), RATE)
    return root


def test_long_recordings_are_cut_into_one_second_clips_each_recording_in_one_split(tmp_path):
    ds = import_dataset(hives(tmp_path / "hives", silent_first=5.5), ImportOptions())
    assert ds.meta["cut"] == audio_windows.CUT and ds.meta["clip_s"] == 1.0 and ds.x.shape[1] == 16000
    per_recording = [20, 25, 31, 18]
    assert len(ds.x) == 2 * sum(per_recording) - 5                   # the first 5 s of one are silent: left out
    assert ds.sources[0] == "queenless/hive01_2026-06-14_0800.wav#t=5.00-6.00"
    assert "queenright/hive03_2026-06-14_0800.wav#t=30.00-31.00" in ds.sources
    for f in {file_of(s) for s in ds.sources}:
        assert len({int(ds.splits[i]) for i, s in enumerate(ds.sources) if file_of(s) == f}) == 1, f
    assert {int(s) for s in ds.splits} <= {TRAIN, VAL, TEST}
    (cut,) = ds.report.by_code(R.RECORDINGS_CUT)
    assert cut.message.startswith("Most files are long recordings (18 s to 32 s), so each was cut into clips of 1 "
                                  "s, one after another: 8 recordings gave 183 clips")
    (silent,) = ds.report.by_code(R.SILENT_CLIP)
    assert silent.files == ["queenless/hive01_2026-06-14_0800.wav (5 s)"]
    assert not ds.report.by_code(R.LONG_RECORDING) and not ds.report.by_code(R.DUPLICATE)
    same = import_dataset(hives(tmp_path / "same", lengths=(20.0, 20.2, 20.1, 20.3)), ImportOptions())
    assert same.report.by_code(R.RECORDINGS_CUT)[0].message.startswith("Most files are long recordings (20 s), so")


def test_a_copied_recording_is_one_copy_not_a_clip_per_second_and_a_very_long_one_is_spread(tmp_path, monkeypatch):
    root = hives(tmp_path / "hives")
    (root / "queenright" / "hive01_2026-06-14_0800.wav").write_bytes(
        (root / "queenless" / "hive01_2026-06-14_0800.wav").read_bytes())          # filed under both classes
    monkeypatch.setattr(audio_windows, "MAX_CLIPS", 10)
    ds = import_dataset(root, ImportOptions())
    (across,) = ds.report.by_code(R.DUPLICATE_ACROSS_LABELS)
    assert across.files == ["queenless/hive01_2026-06-14_0800.wav (queenless) = "
                            "queenright/hive01_2026-06-14_0800.wav (queenright)"]
    starts = [float(s.split("#t=")[1].split("-")[0]) for s in ds.sources if "hive03" in s and "queenless/" in s]
    assert len(starts) == 10 and starts[0] == 0.0 and starts[-1] == pytest.approx(30.7, abs=0.01)


def test_a_folder_of_clips_is_still_one_clip_per_file(tmp_path):
    ds = import_dataset(hives(tmp_path / "clips", lengths=(1.0, 1.2, 0.9, 1.1, 1.0, 0.8, 1.0, 1.1, 1.0, 12.0)),
                        ImportOptions())
    assert ds.meta["cut"] == "loudest window" and len(ds.x) == 20 and not ds.report.by_code(R.RECORDINGS_CUT)
    assert ds.report.by_code(R.LONG_RECORDING)


def test_a_prediction_on_a_recording_answers_each_clip_and_says_its_silence(tmp_path):
    meta = import_dataset(hives(tmp_path / "hives"), ImportOptions()).meta
    sf.write(tmp_path / "new.wav", hum(300.0, 12.5, 9, silent_s=3.5), RATE)
    notes: list = []
    clips, where = prediction_clips(tmp_path / "new.wav", meta, notes)
    assert clips.shape == (9, 16000) and where[0] == "#t=3.00-4.00" and where[-1] == "#t=11.00-12.00"
    assert notes == ["3 s of the recording is silent (nothing louder than -60 dB) and left out: the answer is about "
                     "the rest"]
    answered = {"parts": "clips", "windows": [{"label": "queenless", "source": f"new.wav#t={t}.00-{t + 1}.00"}
                                              for t in range(3, 12)]}
    assert windows_summary(answered) == "9 clips: 9 queenless"


def test_predict_on_a_long_recording_with_a_trained_run(tmp_path):
    from edgeling.core.jobs.train_job import train_run
    from edgeling.core.training.predict import predict_files

    root = hives(tmp_path / "hives")
    assert train_run(root, tmp_path / "run", arch="audio_cnn", epochs=1, threads=1)["status"] == "finished"
    sf.write(tmp_path / "new.wav", hum(300.0, 6.0, 9), RATE)
    (got,) = predict_files(tmp_path / "run", [str(tmp_path / "new.wav")])
    assert got["parts"] == "clips" and len(got["windows"]) == 6 and got["windows"][1]["source"].endswith("#t=1.00-2.00")
    config = json.loads((tmp_path / "run" / "run.json").read_text())
    assert config["spec"]["meta"]["cut"] == audio_windows.CUT
    assert not got.get("notes")
    sf.write(tmp_path / "quiet.wav", hum(300.0, 6.0, 9) * 0.01, RATE)       # 40 dB quieter: said once, for the file
    (quiet,) = predict_files(tmp_path / "run", [str(tmp_path / "quiet.wav")])
    assert quiet["notes"] == ["6 of its 6 clips are quieter than nearly every clip the model learnt from: their answers are "
                              "guesses, however sure; add recordings like it (of every class) to the training data "
                              "and train again"]
    sf.write(tmp_path / "empty.wav", np.zeros(0, np.float32), RATE)
    from edgeling.core.data.dataset import DataError

    with pytest.raises(DataError, match="Copy it again from the recorder, or choose another recording"):
        predict_files(tmp_path / "run", [str(tmp_path / "empty.wav")])
    # the exported file, its card and the runner for a Pi answer a recording as Edgeling does: each clip, averaged
    from edgeling.core.export.python_runner import runner_source
    from edgeling.core.training.predict import predict_files_with_export
    from tests.core.test_python_runner import exported, run_on_device

    model = exported(tmp_path / "run", "tflite", tmp_path / "out" / "hives.tflite")
    card = (tmp_path / "out" / "hives.tflite.card.md").read_text(encoding="utf-8")
    assert "take 16000 samples (1.0 s) at a time, one after another" in card and "loudest" not in card
    assert "the mean of the answers (the probabilities) of all its clips (600 spread evenly over a longer " \
           "recording), leaving out silent ones" in card
    header = exported(tmp_path / "run", "c-header", tmp_path / "out" / "hives.h").read_text(encoding="utf-8")
    assert "For the\n//   // answer about a whole recording (as Edgeling's predict and Try it give it), run each " \
           "clip in turn," in header
    runner = tmp_path / "out" / "edgeling_run.py"
    runner.write_bytes(runner_source())
    sf.write(tmp_path / "long.wav", hum(300.0, 7.5, 4, silent_s=2.5), RATE)
    (answer,) = run_on_device(runner, model, [tmp_path / "long.wav"])
    (ours,) = predict_files_with_export(model, [str(tmp_path / "long.wav")])
    assert len(ours["windows"]) == 5 and answer["answer"]["label"] == ours["label"]
    assert answer["answer"]["confidence"] == pytest.approx(ours["confidence"], abs=1e-4)
    # at most clips_per_prediction clips, spread evenly, the same as Edgeling's (3 here; the silent first left out)
    import importlib.util

    from edgeling.core.models import frontends

    card_path = tmp_path / "out" / "hives.tflite.card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["data_meta"]["clips_per_prediction"] = 3
    card_path.write_text(json.dumps(card), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("edgeling_run_test", runner)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    theirs = module.Model(model).inputs(tmp_path / "long.wav")
    clips, _ = prediction_clips(tmp_path / "long.wav", card["data_meta"])
    mine = frontends.apply(card["frontend"], clips)
    assert len(theirs) == len(mine) == 2 and np.allclose(np.stack(theirs).reshape(mine.shape), mine, atol=1e-3)


def test_a_very_long_or_very_short_recording_is_said_and_cut_as_the_import_cuts(tmp_path, monkeypatch):
    """The review: an hour's recording was answered with 3,600 clips held at once (1.1 GB), and a 0.5 s file was
    named 'from 0.0 s to 1.0 s' with no word of the padding."""
    root = hives(tmp_path / "hives", lengths=(20.4, 25.0, 31.7, 0.5))
    ds = import_dataset(root, ImportOptions())
    assert ds.meta["clips_per_prediction"] == audio_windows.PREDICTED_CLIPS
    (padded,) = ds.report.by_code(R.LENGTH_MISMATCH)
    assert "queenless/hive04_2026-06-14_0800.wav" in padded.files
    meta = dict(ds.meta, clips_per_prediction=5)
    sf.write(tmp_path / "long.wav", hum(300.0, 12.5, 9), RATE)
    notes: list = []
    clips, where = prediction_clips(tmp_path / "long.wav", meta, notes)
    assert len(clips) == 5 and where[0] == "#t=0.00-1.00" and where[-1] == "#t=11.50-12.50"
    assert notes == ["the recording is 12 s long: the answer is from 5 clips spread evenly over it (cut it into "
                     "shorter files for an answer on every moment)"]
    notes = []
    clips, where = prediction_clips(root / "queenless" / "hive04_2026-06-14_0800.wav", meta, notes)
    assert len(clips) == 1 and where == [""]
    assert notes == ["the recording is 0.50 s long, shorter than the 1 s clips the model learnt from: it was padded "
                     "with silence to that length, so the answer is less sure to be right"]


def test_a_run_records_the_few_hives_it_learnt_from(tmp_path):
    """Too few hives to hold whole ones out: the files are split one by one, and the run still records which hives
    it learnt from, so a test on a new week says hive03's and hive06's recordings are not new (the re-walk)."""
    from edgeling.core.training.setup import learnt_subjects

    ds = import_dataset(hives(tmp_path / "hives", lengths=(16.0, 17.0, 18.0, 19.0, 16.5, 17.5)), ImportOptions())
    assert ds.meta.get("few_subjects") == [f"hive{k:02d}" for k in range(1, 7)]
    learnt = learnt_subjects(ds)
    assert learnt and set(learnt) <= set(ds.meta["few_subjects"])
    (few,) = ds.report.by_code(R.FEW_SUBJECTS)       # what their names call them, not 'speakers'
    assert "the test score is measured on hives the model also learnt from" in few.message


def test_recordings_named_by_a_recorder_are_not_said_as_people_speaking(tmp_path):
    """The re-walk: ZOOM0001.WAV ... read 'do not say who is speaking ... child07_2.wav ... 20 people'."""
    root = tmp_path / "zoom"
    for c, f0 in (("queenright", 230.0), ("queenless", 300.0)):
        (root / c).mkdir(parents=True)
        for k in range(12):
            sf.write(root / c / f"ZOOM{k + 1 if c == 'queenright' else k + 50:04d}.WAV", hum(f0, 16.0, k), RATE)
    (said,) = import_dataset(root, ImportOptions()).report.by_code(R.NO_SUBJECTS_IN_NAMES)
    assert said.message.startswith("The file names do not say which of the hives, machines or places was recorded")
    assert "hive07_2026-06-14.wav" in said.advice and "speaking" not in said.message + said.advice


def test_files_all_at_one_lower_rate_are_not_said_to_differ_from_faster_ones(tmp_path):
    """The late review: every file at 8 kHz was told 'the files recorded at 16000 Hz may have sound ... a model can
    learn to tell them apart by that alone', of which there were none."""
    (said,) = import_dataset(hives(tmp_path / "hives"), ImportOptions()).report.by_code(R.SAMPLE_RATE_MISMATCH)
    assert "every file was recorded at 8000 Hz, so nothing above 4 kHz is there; importing at 8000 Hz (in a " \
           "terminal: --audio-rate 8000) gives a smaller, faster model" in said.message
    assert "tell them apart" not in said.message and said.severity == "info"


@pytest.mark.parametrize("rate, channels", [(8000, 1), (44100, 2), (16000, 1)])
def test_a_very_long_recording_is_read_only_where_its_clips_are_with_the_same_samples(tmp_path, monkeypatch,
                                                                                      rate, channels):
    """The late review: the 600-clip cap still decoded the whole file (an hour: 1.1 GB). A recording longer than
    LONG_READ_S is read stretch by stretch; its clips are the ones reading it whole gives."""
    from edgeling.core.data.audio import _to_rate

    rng = np.random.default_rng(rate)
    sound = (0.2 * rng.normal(size=(int(37.3 * rate), channels))).astype(np.float32)
    sf.write(tmp_path / "long.wav", sound, rate, subtype="FLOAT")
    meta = {"cut": audio_windows.CUT, "sample_rate": 16000, "clip_s": 1.0, "clips_per_prediction": 7}
    whole, where_whole = prediction_clips(tmp_path / "long.wav", meta)
    monkeypatch.setattr(audio_windows, "LONG_READ_S", 10.0)
    assert audio_windows.read_spread(tmp_path / "long.wav", 16000, 16000, 7) is not None      # read in stretches
    notes: list = []
    parts, where = prediction_clips(tmp_path / "long.wav", meta, notes)
    assert where == where_whole and len(parts) == 7 and where[-1] == "#t=36.30-37.30"
    assert np.allclose(parts, whole, atol=1e-6), float(np.abs(parts - whole).max())
    mono = sound.mean(axis=1) if channels > 1 else sound[:, 0]
    expected = _to_rate(np.clip(mono, -1, 1), rate, 16000)[:16000]
    assert np.allclose(parts[0], expected, atol=1e-6)
    assert notes == ["the recording is 37 s long: the answer is from 7 clips spread evenly over it (cut it into "
                     "shorter files for an answer on every moment)"]
