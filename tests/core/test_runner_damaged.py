"""The script that goes to a device (edgeling_run.py) says in one plain line that a model or card is damaged
(a copy cut short), never with a traceback, as its docstring promises."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from edgeling.core.export.python_runner import RUNNER_FILE, runner_source
from edgeling.core.export.tflite_writer import write_tflite
from edgeling.core.models.lowering import lower

CARD = {"data_kind": "images", "frontend": {"type": "image"}, "classes": ["a", "b"], "task": "classification",
        "data_meta": {"image_size": [8, 8], "channels": 3}}


def good_models() -> dict[str, bytes]:
    from onnx import TensorProto, helper

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(192, 2)).eval()
    tflite = write_tflite(lower(model, (3, 8, 8)), precision="float32")
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])])
    return {"m.tflite": tflite, "m.onnx": helper.make_model(graph).SerializeToString()}


def run_script(folder, model) -> subprocess.CompletedProcess:
    runner = folder / RUNNER_FILE
    runner.write_bytes(runner_source())
    return subprocess.run([sys.executable, str(runner), str(model), "photo.png"], capture_output=True, text=True,
                          cwd=folder, timeout=120)


def plain_line(done: subprocess.CompletedProcess, name: str) -> None:
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert f"{name} is damaged or incomplete" in done.stderr and "copy it again" in done.stderr


@pytest.mark.parametrize("name", ["m.tflite", "m.onnx"])
def test_a_truncated_model_gives_one_plain_line(tmp_path, name):
    good = good_models()[name]
    for cut in (good[: len(good) // 2], good[:40]):
        model = tmp_path / name
        model.write_bytes(cut)
        (tmp_path / f"{name}.card.json").write_text(json.dumps(CARD))
        plain_line(run_script(tmp_path, model), name)


@pytest.mark.parametrize("text", ["{bad", "[1, 2]", '{"data_kind": "images"}', "\xff\xfe"])
def test_a_broken_card_gives_one_plain_line(tmp_path, text):
    model = tmp_path / "m.tflite"
    model.write_bytes(good_models()["m.tflite"])
    card = tmp_path / "m.tflite.card.json"
    card.write_bytes(text.encode("latin-1"))
    plain_line(run_script(tmp_path, model), card.name)
