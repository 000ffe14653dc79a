"""A run keeps the samples it is measured on (RUN/samples.npz): evaluate, export and an int8-only compression
work, with the same numbers, when the data was moved, deleted or changed since; training-type passes still
need the data and say what works without it."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from edgeling.core.cli import main
from edgeling.core.data.load import open_dataset
from edgeling.core.jobs.train_job import train_run
from edgeling.core.run_samples import SAMPLES_FILE, calibration_indices, learnt_keys, load_run_samples
from edgeling.core.training.other_files import LabelledSamples, samples_learnt_from
from tests.core.test_compress_cli import make_images


@pytest.fixture(scope="module")
def image_run(tmp_path_factory):
    """(tmp, data folder, run folder, test metrics, int8 file exported with the data in place)."""
    tmp = tmp_path_factory.mktemp("run-samples")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        data = make_images(tmp / "shapes", n_per_class=30)
        run = tmp / "run"
        assert train_run(data, run, arch="tutorial_cnn", epochs=3, threads=1)["status"] == "finished"
        assert main(["export", str(run), "--format", "tflite-int8", "--out", str(tmp / "with-data.tflite")]) == 0
    return tmp, data, run, json.loads((run / "metrics.json").read_text(encoding="utf-8"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))


def _json(capsys, argv) -> tuple[int, dict, str]:
    code = main([*argv, "--json"])
    said = capsys.readouterr()
    return code, json.loads(said.out), said.err


def test_training_saves_the_test_and_calibration_samples(image_run, cache):
    tmp, data, run, _ = image_run
    ds = open_dataset(data)
    saved = load_run_samples(run, "why")
    test, train = np.flatnonzero(ds.splits == 2), np.flatnonzero(ds.splits == 0)
    calib = calibration_indices(train)
    assert len(calib) == len(train) < 300        # all of a small training split
    assert np.array_equal(saved.x[saved.splits == 2], ds.x[test])
    assert np.array_equal(saved.y[saved.splits == 2], ds.y[test])
    assert np.array_equal(saved.x[saved.splits == 0], ds.x[calib])
    assert [s for s, k in zip(saved.sources, saved.splits) if k == 2] == [ds.sources[i] for i in test]
    assert saved.class_names == ds.class_names and saved.meta["saved_samples"] == "why"
    keys, _ = learnt_keys(run)
    assert len(keys) == int(np.count_nonzero(ds.splits != 2))


def test_with_the_data_gone_evaluate_export_and_quantize_still_work(image_run, cache, capsys, tmp_path):
    tmp, data, run, metrics = image_run
    moved = data.with_name("shapes-moved")
    data.rename(moved)
    try:
        code, m, err = _json(capsys, ["evaluate", str(run)])
        assert code == 0 and m["accuracy"] == metrics["accuracy"] and m["num_samples"] == metrics["num_samples"]
        assert m["note"].startswith(f"The data this run was trained on is no longer at {data}.")
        assert f"on the {metrics['num_samples']} samples saved with the run" in m["note"]
        assert err.startswith(m["note"])          # said before the numbers it explains (the vineyard walk)

        out = tmp_path / "without-data.tflite"
        code, x, err = _json(capsys, ["export", str(run), "--format", "tflite-int8", "--out", str(out)])
        assert code == 0 and x["verification"]["passed"] and "samples saved with the run" in x["note"]
        assert "Note: The data this run was trained on is no longer at" in err
        assert out.read_bytes() == (tmp / "with-data.tflite").read_bytes()   # same calibration, same file

        code, c, err = _json(capsys, ["compress", str(run), "--quantize", "ptq", "--out", str(tmp_path / "ptq")])
        assert code == 0 and (tmp_path / "ptq" / SAMPLES_FILE).read_bytes() == (run / SAMPLES_FILE).read_bytes()
        assert _json(capsys, ["evaluate", str(tmp_path / "ptq")])[0] == 0

        code, c, err = _json(capsys, ["compress", str(run), "--prune", "0.5", "--out", str(tmp_path / "pruned")])
        assert code == 2 and "no longer at" in c["error"]["message"]
        assert "Quantizing to int8 alone, with post-training quantization, works without the data" in c["error"]["message"]
        assert not (tmp_path / "pruned").exists()

        ds = open_dataset(moved)
        learnt = samples_learnt_from(run, LabelledSamples(ds.x, ds.y, ds.sources, []))
        assert learnt == {"checked": True, "count": int(np.count_nonzero(ds.splits != 2)),
                          "examples": learnt["examples"]} and learnt["examples"]
    finally:
        moved.rename(data)


def test_changed_files_are_measured_on_the_saved_samples(image_run, cache, capsys, tmp_path):
    tmp, data, run, metrics = image_run
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    config = json.loads((copy / "run.json").read_text(encoding="utf-8"))
    config["dataset"]["fingerprint"] = "0" * 32        # as if a file had changed since the training
    (copy / "run.json").write_text(json.dumps(config), encoding="utf-8")
    code, m, _ = _json(capsys, ["evaluate", str(copy)])
    assert code == 0 and m["accuracy"] == metrics["accuracy"]
    assert m["note"].startswith(f"The files in {data} changed since this run was trained")
    (copy / SAMPLES_FILE).unlink()                     # a run from before samples were saved: today's files
    code, m, _ = _json(capsys, ["evaluate", str(copy)])
    assert code == 0 and m["note"] == "The data changed since this run was trained; these numbers are on today's files."
    assert not (copy / SAMPLES_FILE).exists()          # today's files are not the run's: nothing saved from them


def test_a_run_without_saved_samples_gets_them_when_its_data_is_opened(image_run, cache, capsys, tmp_path):
    tmp, data, run, metrics = image_run
    copy = tmp_path / "old-run"
    shutil.copytree(run, copy)
    (copy / SAMPLES_FILE).unlink()
    assert _json(capsys, ["evaluate", str(copy)])[0] == 0
    assert (copy / SAMPLES_FILE).read_bytes() == (run / SAMPLES_FILE).read_bytes()


def test_damaged_saved_samples_count_as_none(image_run, cache, capsys, tmp_path):
    tmp, data, run, _ = image_run
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    (copy / SAMPLES_FILE).write_bytes((run / SAMPLES_FILE).read_bytes()[:500])
    config = json.loads((copy / "run.json").read_text(encoding="utf-8"))
    config["data"] = str(tmp_path / "gone")
    config.pop("data_relative", None)
    (copy / "run.json").write_text(json.dumps(config), encoding="utf-8")
    code, m, _ = _json(capsys, ["evaluate", str(copy)])
    assert code == 2 and "is no longer at" in m["error"]["message"] and "Put it back there" in m["error"]["message"]


def test_an_export_may_not_overwrite_the_saved_samples(image_run, capsys):
    tmp, data, run, _ = image_run
    code, m, _ = _json(capsys, ["export", str(run), "--format", "onnx", "--out", str(run / SAMPLES_FILE)])
    assert code == 2 and "one of the run's own files" in m["error"]["message"]


def test_saved_samples_written_before_their_dtype_was_recorded_still_give_the_learnt_keys(image_run, tmp_path):
    """evaluate --on crashed (KeyError 'dtype') on runs saved an hour before the dtype went into 'about'."""
    tmp, data, run, _ = image_run
    with np.load(run / SAMPLES_FILE, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    about = json.loads(arrays["about"].tobytes().decode())
    del about["dtype"]
    arrays["about"] = np.frombuffer(json.dumps(about).encode(), np.uint8)
    older = tmp_path / "older"
    older.mkdir()
    np.savez_compressed(older / SAMPLES_FILE, **arrays)
    assert learnt_keys(older) == learnt_keys(run)


def test_the_models_spec_carries_no_speaker_or_file_names():
    """The spec goes into run.json, exported files' metadata and model cards: the test split's speakers (a
    clinic's children) and the copied photos' file names stayed in every exported file."""
    from edgeling.core.data.dataset import Dataset
    from edgeling.core.models.zoo import InputSpec

    ds = Dataset(kind="audio", task="classification", x=np.zeros((2, 8), np.float32), y=np.array([0, 1]),
                 class_names=["oui", "non"], sources=["a.wav", "b.wav"], groups=["a", "b"],
                 splits=np.array([0, 2]), root="/clinic",
                 meta={"sample_rate": 16000, "subjects": {"count": 40, "test": ["child07", "child19"]},
                       "cross_label_duplicates": ["oui/a.wav", "non/a.wav"]})
    spec = InputSpec.from_dataset(ds)
    assert spec.meta == {"sample_rate": 16000} and ds.meta["subjects"]["count"] == 40
    assert "child07" not in json.dumps(spec.to_dict())


def test_test_samples_that_are_copies_under_two_labels_are_said(image_run, cache, capsys):
    """The vineyard walk: both copies of a photo filed under two labels landed in the test split, so one was
    always scored wrong and topped the worst samples, and nothing said the score included such pairs."""
    from edgeling.core.results_files import markdown
    from edgeling.core.results_words import copies_sentence
    from edgeling.core.training.evaluate import evaluate_run

    tmp, data, run, _ = image_run
    ds = open_dataset(data)
    test = [ds.sources[i] for i in np.flatnonzero(ds.splits == 2)]
    ds.meta["cross_label_duplicates"] = [test[0], test[1], "not/in/test.png"]
    m = evaluate_run(run, ds=ds, write=False)
    assert m["copies_under_two_labels"] == test[:2]
    said = copies_sentence(m)
    assert said.startswith(f"2 of these samples are photos also filed under another label ({test[0]}, {test[1]}):")
    assert said in markdown(m) and copies_sentence({"accuracy": 1.0}) is None
