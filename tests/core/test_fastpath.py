"""The engine's exact speed-ups: max-pool before the activation (same outputs, same gradients, same
trained weights, state dict untouched) and the allocator setting (harmless, once per process)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from edgeling.core.models import zoo
from edgeling.core.training.device import keep_freed_memory
from edgeling.core.training.fastpath import find_activation_pool_pairs, pool_before_activation
from edgeling.core.training.loop import TensorData, fit, make_loss

CASES = {
    "tutorial_cnn": ("images", (24, 24, 1), 2),
    "audio_cnn": ("audio", (8000,), 2),
    "conv1d": ("timeseries", (64, 3), None),  # one pair per stage: depth comes from the defaults
    "mobilenet_v1": ("images", (32, 32, 3), 0),
}


def build(arch: str):
    kind, shape, _ = CASES[arch]
    meta = {"image_size": list(shape[:2])} if kind == "images" else \
        {"sample_rate": 8000, "clip_s": 1.0} if kind == "audio" else \
        {"sample_rate": 25.0, "window_s": 2.56, "channels": ["ax", "ay", "az"]}
    spec = zoo.InputSpec(kind, "classification", 3, shape, meta, list("abc"))
    knobs = zoo.default_knobs(arch, spec)
    rng = np.random.default_rng(0)
    raw = rng.random((16, *shape), dtype=np.float32)
    raw = (raw * 255).astype(np.uint8) if kind == "images" else raw
    frontend = zoo.fit_frontend(arch, spec, raw, knobs)
    x = torch.from_numpy(zoo.apply_frontend(frontend, raw))
    torch.manual_seed(0)
    return zoo.build_model(arch, spec, knobs, frontend), x


@pytest.mark.parametrize("arch", list(CASES))
def test_reordering_gives_the_same_outputs_and_gradients(arch):
    model, x = build(arch)
    expected_pairs = CASES[arch][2]
    pairs = len(find_activation_pool_pairs(model))
    if expected_pairs is None:
        assert pairs >= 1
    else:
        assert pairs == expected_pairs
    model = model.double().train()
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.p = 0.0
    x = x.double() - x.double().mean()  # negative inputs too: windows that are all <= 0 happen
    y = torch.tensor([0, 1, 2, 0] * (len(x) // 4))
    plain = copy.deepcopy(model)
    modules_before = [id(m) for m in model.modules()]
    keys_before = list(model.state_dict())

    out_plain = plain(x)
    nn.functional.cross_entropy(out_plain, y).backward()
    with pool_before_activation(model) as swapped:
        assert swapped == pairs
        out_fast = model(x)
        nn.functional.cross_entropy(out_fast, y).backward()
        assert list(model.state_dict()) == keys_before

    assert torch.equal(out_plain, out_fast)  # max and ReLU do not round: bit-identical
    for (name, p), q in zip(plain.named_parameters(), model.parameters()):
        assert torch.allclose(p.grad, q.grad, rtol=0, atol=1e-12), name
    assert [id(m) for m in model.modules()] == modules_before  # put back as it was


def test_restores_the_model_when_training_fails():
    model, _ = build("tutorial_cnn")
    before = [type(m) for m in model.modules()]
    with pytest.raises(RuntimeError):
        with pool_before_activation(model):
            raise RuntimeError("boom")
    assert [type(m) for m in model.modules()] == before


def test_activation_feeding_something_else_is_left_alone():
    relu = nn.ReLU()
    model = nn.Sequential(nn.Conv2d(1, 2, 3), relu, nn.AvgPool2d(2), nn.Conv2d(2, 2, 1), nn.Sigmoid(),
                          nn.MaxPool2d(2))
    assert find_activation_pool_pairs(model) == []
    with pool_before_activation(model) as swapped:
        assert swapped == 0
        assert model[1] is relu


def test_fit_trains_to_the_same_weights_with_and_without_reordering():
    model, x = build("tutorial_cnn")
    y = torch.tensor([0, 1, 2, 0] * 4)
    results = []
    for reorder in (False, True):
        m = copy.deepcopy(model)
        opt = torch.optim.Adam(m.parameters(), lr=1e-2)
        fit(m, TensorData(x, y), None, 2, opt, loss_fn=make_loss("classification"), batch_size=4,
            lr=1e-2, schedule="constant", generator=torch.Generator().manual_seed(1), reorder_pools=reorder)
        results.append(m.state_dict())
        assert isinstance(m[1], nn.ReLU) and isinstance(m[2], nn.MaxPool2d)  # restored after fit
    for k in results[0]:
        assert torch.allclose(results[0][k], results[1][k], rtol=1e-5, atol=1e-6), k


def test_keep_freed_memory_is_a_plain_yes_or_no_and_idempotent():
    first = keep_freed_memory()
    assert isinstance(first, bool)
    assert keep_freed_memory() is first


def _resnet8(width: int, res: int):
    spec = zoo.InputSpec("images", "classification", 3, (res, res, 3), {"image_size": [res, res]}, ["a", "b", "c"])
    knobs = zoo.resolve_knobs("resnet8", spec, {"width": width, "resolution": res})
    frontend = {"type": "image", "input_size": [res, res], "channels": 3, "size": [res, res], "scale": 1 / 255,
                "mean": [0.5] * 3, "std": [0.25] * 3}
    return zoo.build_model("resnet8", spec, knobs, frontend)


def test_channels_last_is_refused_only_where_torch_would_corrupt_memory():
    from edgeling.core.training.fastpath import channels_last_is_safe

    assert not channels_last_is_safe(_resnet8(8, 64))      # its shortcut: 1x1, stride 2, 8 input channels
    assert channels_last_is_safe(_resnet8(16, 64))
    spec = zoo.InputSpec("images", "classification", 3, (32, 32, 3), {"image_size": [32, 32]}, ["a", "b", "c"])
    for arch in ("tutorial_cnn", "mobilenet_v1", "mobilenet_v2"):
        knobs = zoo.resolve_knobs(arch, spec, {})
        frontend = zoo.fit_frontend(arch, spec, np.zeros((2, 32, 32, 3), np.uint8), knobs)
        assert channels_last_is_safe(zoo.build_model(arch, spec, knobs, frontend)), arch


def test_training_resnet8_at_width_8_on_big_pictures_does_not_crash(tmp_path):
    """In its own process: without the guard, torch aborts it ("double free or corruption")."""
    script = tmp_path / "train.py"
    script.write_text(
        "import torch\n"
        "from edgeling.core.training.loop import TensorData, fit, make_loss\n"
        "from tests.core.test_fastpath import _resnet8\n"
        "torch.set_num_threads(1)\n"
        "torch.manual_seed(0)\n"
        "model = _resnet8(8, 64)\n"
        "data = TensorData(torch.randn(48, 3, 64, 64), torch.randint(0, 3, (48,)))\n"
        "opt = torch.optim.AdamW(model.parameters(), lr=1e-3)\n"
        "fit(model, data, None, 2, opt, loss_fn=make_loss('classification'), batch_size=16, channels_last=True)\n"
        "print('trained')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[2]),
                                                        os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0 and "trained" in done.stdout, done.stderr[-500:]
