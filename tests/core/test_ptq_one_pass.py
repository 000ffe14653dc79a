"""A PTQ compression runs the test split through LiteRT once, not three times (write_int8's own predict, the
verification, then the evaluation): the verification's outputs serve all three, and they are the same
numbers as the file gives."""

from __future__ import annotations

import pytest
import torch

from edgeling.core.export import runtimes


def test_a_ptq_compression_runs_the_test_split_through_litert_once(tmp_path, monkeypatch):
    from edgeling.core import runs
    from edgeling.core.compress.compress_job import compress_run
    from tests.core.test_predict_exported import train_table_run

    torch.set_num_threads(1)
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    run, _ = train_table_run(tmp_path)
    calls = []
    real_predict = runtimes.LiteRTRunner.predict

    def counted(self, x):
        calls.append((self.kernels, len(x)))
        return real_predict(self, x)

    monkeypatch.setattr(runtimes.LiteRTRunner, "predict", counted)
    result = compress_run(run, tmp_path / "ptq", quantize="ptq", threads=1)
    assert result["status"] == "finished", result
    n_test = result["passes"][-1]["verification"]["num_samples"]
    kernels = runtimes.int8_kernels(runs.load_run(tmp_path / "ptq").config.get("device"))
    whole = [c for c in calls if c == (kernels, n_test)]
    assert len(whole) == 1, calls
    # the evaluation read the verification's outputs: the same metrics as running the file again
    from edgeling.core.compress import int8
    from edgeling.core.training.evaluate import evaluate_run

    monkeypatch.setattr(runtimes.LiteRTRunner, "predict", real_predict)
    int8._MEASURED.clear()
    again = evaluate_run(tmp_path / "ptq", write=False)
    for key, value in result["metrics"].items():
        assert again[key] == pytest.approx(value), key
