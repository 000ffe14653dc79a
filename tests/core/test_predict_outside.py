"""A file predicted that is darker, brighter, quieter or louder than every training sample the run keeps gets a
note saying its answer is a guess, however sure (the shop walk's "99% sure" outlier; the speech walk's second
session, 20 dB quieter, answered with no word of it), from a run and from its exported file."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
import torch

from edgeling.core.cli import main
from edgeling.core.jobs.train_job import train_run
from edgeling.core.resources import samples_dir
from edgeling.core.training.input_shift import outside_training_notes
from edgeling.core.training.predict import predict_files, predict_files_with_export
from tests.core.test_input_shift import photos


def test_a_picture_darker_than_every_training_picture_is_said_and_a_like_one_is_not():
    ref_x, _ = photos(60, 3, 0)
    like, _ = photos(2, 3, 1)
    dark = (like.astype(float) * 0.15).astype(np.uint8)
    notes = outside_training_notes("images", np.concatenate([like, dark]), ref_x)
    assert notes[:6] == [[]] * 6
    for said in notes[6:]:
        assert said and said[0].startswith("the picture is darker than nearly every picture the model learnt from (")
        assert "of full brightness; nearly all those it learnt from: " in said[0] and "is a guess" in said[0]
    assert outside_training_notes("timeseries", dark, ref_x) == [[]] * 6      # sensor windows: not compared


def test_a_clip_louder_or_quieter_than_every_training_clip_is_said():
    """Near-silent training clips (the review: a recording's start at -79 dB) and one odd clip do not widen the
    range: a clip 40 dB quieter than the rest is still said."""
    rng = np.random.default_rng(0)
    ref = rng.normal(0, 1, (60, 800)) * rng.uniform(0.05, 0.1, (60, 1))
    ref[0] *= 0.0001
    new = rng.normal(0, 1, (3, 800)) * np.array([[0.07], [0.002], [0.9]])
    notes = outside_training_notes("audio", new.astype(np.float32), ref.astype(np.float32))
    assert notes[0] == []
    assert notes[1][0].startswith("the clip is quieter than nearly every clip the model learnt from (-54 dB; nearly all "
                                  "those it learnt from: -26 to -20 dB)")
    assert notes[2][0].startswith("the clip is louder than nearly every clip")


@pytest.fixture(scope="module")
def words_run(tmp_path_factory):
    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("outside")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        result = train_run(samples_dir() / "words", tmp / "run", device="raspberry-pi-4", arch="audio_cnn",
                           epochs=1, threads=1)
        assert result["status"] == "finished"
        assert main(["export", str(tmp / "run"), "--format", "onnx", "--out", str(tmp / "words.onnx")]) == 0
    return tmp


def test_predict_says_a_clip_far_quieter_than_training_is_a_guess_with_the_run_and_its_file(words_run):
    clip, rate = sf.read(samples_dir() / "words" / "no" / "no_002.flac", dtype="float32")
    sf.write(words_run / "quiet.wav", clip * 10 ** (-30 / 20), rate)
    sf.write(words_run / "silent.wav", clip * 0, rate)
    files = [str(samples_dir() / "words" / "no" / "no_002.flac"), str(words_run / "quiet.wav"),
             str(words_run / "silent.wav")]
    for got in (predict_files(words_run / "run", files), predict_files_with_export(words_run / "words.onnx", files)):
        plain, quiet, silent = (p.get("notes") or [] for p in got)
        assert plain == []
        assert len(quiet) == 1 and quiet[0].startswith("the clip is quieter than nearly every clip the model learnt from")
        assert len(silent) == 1 and silent[0].startswith("the clip is silent")     # said once, as silent
