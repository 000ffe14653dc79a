"""Architecture families: every arch builds at its smallest and largest size, runs, traces with torch.fx,
uses only ops the int8 TFLite path carries, and the MLPerf Tiny reference models match their published
parameter and MAC counts (Silicon Labs MLTK table, /work/shared/reference/device-numbers.md)."""

from __future__ import annotations

import json
import operator
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.fx
from torch import nn

from edgeling.core.data.dataset import DataError, Dataset
from edgeling.core.models import zoo
from edgeling.core.models.families import layers


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)
    torch.manual_seed(0)


RNG = np.random.default_rng(0)


def _spec(kind: str, task: str = "classification", classes: int = 3, shape=None, meta=None) -> zoo.InputSpec:
    defaults = {
        "images": ((64, 64, 3), {"image_size": [64, 64]}),
        "audio": ((8000,), {"sample_rate": 8000, "clip_s": 1.0}),
        "timeseries": ((128, 4), {"sample_rate": 50.0, "window_s": 2.56,
                                  "channels": ["acc_x", "acc_y", "acc_z", "temp"]}),
        "table": ((11,), {}),
    }
    d_shape, d_meta = defaults[kind]
    n = 1 if task == "regression" else classes
    return zoo.InputSpec(kind, task, n, shape or d_shape, meta if meta is not None else d_meta,
                         [f"c{i}" for i in range(n)] if task == "classification" else [])


def _samples(spec: zoo.InputSpec, n: int = 6) -> np.ndarray:
    if spec.kind == "images":
        return RNG.integers(0, 256, (n, *spec.sample_shape), dtype=np.uint8)
    if spec.kind == "audio":
        return RNG.uniform(-0.5, 0.5, (n, *spec.sample_shape)).astype(np.float32)
    return RNG.normal(size=(n, *spec.sample_shape)).astype(np.float32)


def _build(arch, spec, knobs, x):
    fe = zoo.fit_frontend(arch, spec, x, knobs)
    inp = torch.from_numpy(zoo.apply_frontend(fe, x))
    assert tuple(inp.shape[1:]) == zoo.network_input_shape(fe, spec)
    return zoo.build_model(arch, spec, knobs, fe), inp


def count_macs(model: nn.Module, inp: torch.Tensor) -> int:
    """An independent MAC counter: forward hooks on every Conv2d / Linear, batch of one."""
    total = 0

    def hook(m, _i, out):
        nonlocal total
        per_out = m.in_features if isinstance(m, nn.Linear) else \
            (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        total += out[0].numel() * per_out

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d | nn.Linear)]
    with torch.no_grad():
        model.eval()(inp[:1])
    for h in handles:
        h.remove()
    return total


ALLOWED_MODULES = (nn.Conv2d, nn.Linear, nn.BatchNorm2d, nn.BatchNorm1d, nn.ReLU, nn.ReLU6, nn.MaxPool2d,
                   nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.Flatten, nn.Dropout, nn.ZeroPad2d)


def _check_ops(model: nn.Module) -> None:
    gm = torch.fx.symbolic_trace(model)
    mods = dict(gm.named_modules())
    for node in gm.graph.nodes:
        if node.op == "call_module":
            m = mods[node.target]
            assert isinstance(m, ALLOWED_MODULES), f"{type(m).__name__} is not carried by int8 TFLite"
            if isinstance(m, nn.Conv2d) and m.groups != 1:
                assert m.groups == m.in_channels == m.out_channels, "grouped conv that is not depthwise"
            if isinstance(m, nn.Conv2d):
                assert m.padding_mode == "zeros"
        elif node.op == "call_function":
            assert node.target in (operator.add, torch.flatten), f"function {node.target}"
        elif node.op == "call_method":
            assert node.target in ("mean", "flatten", "reshape", "view"), f"method {node.target}"
            if node.target == "mean":
                assert tuple(node.args[1]) == (2, 3)


CASES = [(kind, arch) for kind in ("images", "audio", "timeseries", "table")
         for arch in zoo.architectures_for(kind)] + [("table", "fc_autoencoder")]


@pytest.mark.parametrize("kind,arch", CASES)
def test_every_arch_builds_runs_and_traces_at_smallest_and_largest_size(kind, arch):
    spec = _spec(kind)
    x = _samples(spec)
    grid = zoo.size_grid(arch, spec)
    assert len(grid) >= 2
    assert all(set(k) == set(zoo.default_knobs(arch, spec)) for k in grid)
    json.dumps(grid)
    sizes = []
    for knobs in (grid[0], grid[-1]):
        model, inp = _build(arch, spec, knobs, x)
        out = model.eval()(inp)
        want = inp.shape[1] if arch == "fc_autoencoder" else spec.num_classes
        assert tuple(out.shape) == (len(x), want)
        assert torch.isfinite(out).all()
        _check_ops(model)
        traced = torch.fx.symbolic_trace(model)
        assert torch.allclose(traced(inp), out)
        sizes.append(sum(p.numel() for p in model.parameters()))
    assert sizes[0] < sizes[1], "the grid must go from small to large"


@pytest.mark.parametrize("arch", ["tutorial_cnn", "resnet8", "mobilenet_v1", "mobilenet_v2"])
def test_image_models_on_small_grey_pictures_and_regression(arch):
    spec = _spec("images", task="regression", shape=(28, 28, 1), meta={"image_size": [28, 28]})
    x = _samples(spec, 4)
    model, inp = _build(arch, spec, zoo.size_grid(arch, spec)[0], x)
    assert inp.shape[1] == 1 and inp.shape[2] == inp.shape[3] <= 28
    out = model.train()(inp)
    assert out.shape == (4, 1)
    out.sum().backward()    # trainable end to end


def test_timeseries_models_without_a_three_axis_sensor():
    spec = _spec("timeseries", shape=(20, 1), meta={"sample_rate": 10.0})
    x = _samples(spec, 5)
    for arch in zoo.architectures_for("timeseries"):
        assert zoo.default_knobs(arch, spec)["orientation"] == "axes"
        for knobs in (zoo.size_grid(arch, spec)[0], zoo.size_grid(arch, spec)[-1]):
            model, inp = _build(arch, spec, knobs, x)
            assert model.eval()(inp).shape == (5, 3)


def test_conv1d_takes_channels_by_one_by_time():
    spec = _spec("timeseries")
    fe = zoo.fit_frontend("conv1d", spec, _samples(spec), {"orientation": "axes+magnitude"})
    assert zoo.network_input_shape(fe, spec) == (5, 1, 128)   # PyTorch's layout, inside Edgeling
    assert "reading by reading" in zoo.describe("conv1d")   # what the exported file takes ([1, 1, T, C])


def _reference(arch, spec, knobs):
    x = _samples(spec, 3)
    model, inp = _build(arch, spec, knobs, x)
    return sum(p.numel() for p in model.parameters()), count_macs(model, inp), inp


# published (params, MACs): Silicon Labs MLTK, see /work/shared/reference/device-numbers.md
def test_ds_cnn_matches_the_mlperf_tiny_keyword_spotting_model():
    spec = zoo.InputSpec("audio", "classification", 12, (16000,), {"sample_rate": 16000}, [str(i) for i in range(12)])
    params, macs, inp = _reference("ds_cnn", spec, {})
    assert tuple(inp.shape[1:]) == (1, 49, 10)
    assert params == pytest.approx(22.6e3, rel=0.05)
    assert macs == pytest.approx(2.66e6, rel=0.05)


def test_resnet8_matches_the_mlperf_tiny_image_model():
    spec = zoo.InputSpec("images", "classification", 10, (32, 32, 3), {}, [str(i) for i in range(10)])
    params, macs, _ = _reference("resnet8", spec, {"width": 16, "resolution": 32})
    assert params == pytest.approx(77.7e3, rel=0.05)
    assert macs == pytest.approx(12.5e6, rel=0.05)


def test_mobilenet_v1_025_matches_the_mlperf_tiny_visual_wake_words_model():
    spec = zoo.InputSpec("images", "classification", 2, (96, 96, 3), {}, ["no", "yes"])
    params, macs, _ = _reference("mobilenet_v1", spec, {"alpha": 0.25, "resolution": 96})
    assert params == pytest.approx(211e3, rel=0.05)
    assert macs == pytest.approx(7.49e6, rel=0.05)


def test_fc_autoencoder_matches_the_mlperf_tiny_anomaly_model():
    spec = zoo.InputSpec("table", "regression", 1, (640,), {}, [])
    params, macs, _ = _reference("fc_autoencoder", spec, {})
    assert params == pytest.approx(266e3, rel=0.05)
    assert macs == pytest.approx(0.26e6, rel=0.05)
    assert "fc_autoencoder" not in zoo.architectures_for("table")


@pytest.mark.parametrize("size,kernel,stride", [(49, 10, 2), (10, 4, 2), (96, 3, 2), (7, 3, 2), (5, 1, 2),
                                                (32, 3, 1), (8, 4, 1)])
def test_same_conv_is_tflite_same_padding(size, kernel, stride):
    conv = layers.same_conv(2, 3, kernel, stride, (size, size))
    x = torch.randn(1, 2, size, size)
    before, after = layers.same_pads(size, kernel, stride)
    inner = conv[-1] if isinstance(conv, nn.Sequential) else conv
    ref = nn.functional.conv2d(nn.functional.pad(x, (before, after, before, after)), inner.weight,
                               stride=stride)
    out = conv(x)
    assert out.shape[-1] == -(-size // stride)
    assert torch.allclose(out, ref, atol=1e-6)


def test_input_spec_round_trips_through_json_and_comes_from_a_dataset():
    ds = Dataset(kind="table", task="classification", x=np.zeros((4, 5), np.float32), y=np.array([0, 1, 0, 1]),
                 class_names=["no", "yes"], sources=["a"] * 4, groups=["a", "b", "c", "d"],
                 splits=np.zeros(4, np.int64), root="/tmp/x.csv", meta={"columns": []})
    spec = zoo.InputSpec.from_dataset(ds)
    assert (spec.kind, spec.num_classes, spec.sample_shape) == ("table", 2, (5,))
    again = zoo.InputSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec


def test_plain_errors_for_wrong_architecture_kind_or_setting():
    spec = _spec("table")
    with pytest.raises(DataError, match="Unknown model architecture"):
        zoo.describe("alexnet")
    with pytest.raises(DataError, match="made for images"):
        zoo.size_grid("resnet8", spec)
    with pytest.raises(DataError, match="no setting called colour"):
        zoo.fit_frontend("mlp", spec, _samples(spec), {"colour": 3})
    with pytest.raises(DataError, match="shape"):
        zoo.fit_frontend("mlp", spec, np.zeros((3, 4), np.float32), {})


def test_zoo_lists_and_sizes_without_importing_torch():
    code = (
        "import sys\n"
        "from edgeling.core.models import zoo\n"
        "s = zoo.InputSpec('images', 'classification', 2, (32, 32, 3), {}, ['a', 'b'])\n"
        "for kind in ('images', 'audio', 'timeseries', 'table'):\n"
        "    for a in zoo.architectures_for(kind):\n"
        "        zoo.describe(a)\n"
        "zoo.size_grid('mobilenet_v1', s); zoo.catalogue()\n"
        "fe = zoo.fit_frontend('resnet8', s, __import__('numpy').zeros((2, 32, 32, 3), 'uint8'), {})\n"
        "zoo.apply_frontend(fe, __import__('numpy').zeros((1, 32, 32, 3), 'uint8'))\n"
        "sys.exit(1 if 'torch' in sys.modules else 0)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_settings_with_impossible_values_are_plain_errors():
    spec = _spec("audio")
    x = _samples(spec, 2)
    for knobs, word in (({"width": -3}, "whole number"), ({"width": 2.5}, "whole number"),
                        ({"features": "wavelets"}, "logmel, mfcc"), ({"dropout": 1.5}, "from 0"),
                        ({"mel_scale": None}, "htk, slaney")):
        with pytest.raises(DataError, match=word):
            zoo.fit_frontend("ds_cnn", spec, x, knobs)
    with pytest.raises(DataError, match="frequency"):
        zoo.resolve_knobs("spectral_dense", _spec("timeseries"), {"lowpass_hz": -1})
    assert zoo.resolve_knobs("spectral_dense", _spec("timeseries"), {"lowpass_hz": 20})["lowpass_hz"] == 20


@pytest.mark.parametrize("arch,kind,shape", [("tutorial_cnn", "images", (3, 3, 1)), ("audio_cnn", "audio", (200,)),
                                             ("ds_cnn", "audio", (200,)), ("conv1d", "timeseries", (3, 2)),
                                             ("mobilenet_v2", "images", (8, 8, 3))])
def test_tiny_inputs_still_build(arch, kind, shape):
    meta = {"sample_rate": 8000} if kind == "audio" else {"sample_rate": 10.0} if kind == "timeseries" else {}
    spec = _spec(kind, shape=shape, meta=meta)
    x = _samples(spec, 3)
    model, inp = _build(arch, spec, zoo.default_knobs(arch, spec), x)
    assert model.eval()(inp).shape == (3, 3)


@pytest.mark.parametrize("kind,arch", CASES)
def test_every_arch_lowers_to_the_layer_graph_without_extra_ops(kind, arch):
    """Integration with ``edgeling.core.models.lowering``: TFLite "same" padding means no pad ops, BN
    folds away, and the numpy reference executor reproduces torch."""
    from edgeling.core.models.lowering import lower
    from edgeling.core.models.reference import run_graph, to_graph_layout

    spec = _spec(kind, shape=(640,) if arch == "fc_autoencoder" else None)
    x = _samples(spec, 2)
    knobs = zoo.size_grid(arch, spec)[-1]
    model, inp = _build(arch, spec, knobs, x)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d | nn.BatchNorm1d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
    model.eval()
    graph = lower(model, tuple(inp.shape[1:]))
    kinds = {op.kind for op in graph.ops}
    assert "pad" not in kinds and kinds <= {"conv2d", "depthwise_conv2d", "dense", "add", "max_pool2d",
                                             "avg_pool2d", "mean", "reshape"}
    out = run_graph(graph, {graph.inputs[0]: to_graph_layout(inp[:1].numpy(), "nchw" if inp.ndim == 4 else "flat")})
    with torch.no_grad():
        ref = model(inp[:1]).numpy()
    assert np.allclose(out[graph.outputs[0]].reshape(ref.shape), ref, atol=1e-4)


def _random_rotations(n: int, rng) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(n, 3, 3)))
    q = q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]
    q[np.linalg.det(q) < 0, :, 0] *= -1
    return q


def _held_any_way(n: int, rotate: bool, rng) -> tuple[np.ndarray, np.ndarray]:
    """3-axis recordings, 2 s at 50 Hz: class 0 vibrates at 4 Hz, class 1 at 13 Hz, along one direction,
    plus gravity and noise. Unrotated: the sensor is always held the same way."""
    t = np.arange(100) / 50.0
    y = rng.integers(0, 2, n)
    freq = np.where(y == 0, 4.0, 13.0)
    x = np.zeros((n, 100, 3))
    x[:, :, 0] = np.sin(2 * np.pi * freq[:, None] * t + rng.uniform(0, 6, (n, 1)))
    x[:, :, 2] = 1.0
    x += 0.2 * rng.normal(size=x.shape)
    if rotate:
        x = np.einsum("nij,ntj->nti", _random_rotations(n, rng), x)
    return x.astype(np.float32), y


def _train_and_score(mode: str) -> tuple[float, float]:
    rng = np.random.default_rng(3)
    spec = zoo.InputSpec("timeseries", "classification", 2, (100, 3),
                         {"sample_rate": 50.0, "channels": ["x", "y", "z"]}, ["slow", "fast"])
    x_train, y_train = _held_any_way(200, rotate=False, rng=rng)
    x_same, y_same = _held_any_way(200, rotate=False, rng=rng)
    x_turned, y_turned = _held_any_way(200, rotate=True, rng=rng)
    knobs = {"width": 16, "depth": 1, "orientation": mode}
    fe = zoo.fit_frontend("spectral_dense", spec, x_train, knobs)
    torch.manual_seed(0)
    model = zoo.build_model("spectral_dense", spec, knobs, fe)
    xt, yt = torch.from_numpy(zoo.apply_frontend(fe, x_train)), torch.from_numpy(y_train)
    opt = torch.optim.Adam(model.parameters(), 1e-2)
    for _ in range(150):
        opt.zero_grad()
        nn.functional.cross_entropy(model.train()(xt), yt).backward()
        opt.step()
    with torch.no_grad():
        def accuracy(x, y):
            return float((model.eval()(torch.from_numpy(zoo.apply_frontend(fe, x))).argmax(1).numpy() == y).mean())
        return accuracy(x_same, y_same), accuracy(x_turned, y_turned)


def test_spectral_dense_trained_one_way_works_when_the_sensor_is_turned():
    """The maintenance engineer's case: trained on one mounting angle, used on pumps mounted at others."""
    spec = zoo.InputSpec("timeseries", "classification", 2, (100, 3), {"channels": ["x", "y", "z"]}, ["a", "b"])
    assert zoo.default_knobs("spectral_dense", spec)["orientation"] == "invariant"
    same, turned = _train_and_score("invariant")
    assert same >= 0.95 and turned >= 0.95 and abs(same - turned) <= 0.03
    same_axes, turned_axes = _train_and_score("axes")     # raw axes learn the mounting angle instead
    assert same_axes >= 0.95 and turned_axes <= 0.8


@pytest.mark.parametrize("kind", ["images", "audio", "timeseries", "table"])
def test_architectures_are_listed_smallest_first(kind):
    spec = _spec(kind)
    x = _samples(spec, 2)
    sizes = []
    for arch in zoo.architectures_for(kind):
        model, _ = _build(arch, spec, zoo.default_knobs(arch, spec), x)
        sizes.append(sum(p.numel() for p in model.parameters()))
    assert sizes == sorted(sizes)


@pytest.mark.parametrize("kind,arch", CASES)
def test_every_setting_and_architecture_has_a_plain_explanation(kind, arch):
    spec = _spec(kind)
    text = zoo.describe(arch)
    assert text.endswith(".") and 30 < len(text) < 260
    help_ = zoo.describe_knobs(arch, spec)
    assert list(help_) == list(zoo.default_knobs(arch, spec))
    assert all(name in zoo.KNOB_HELP for name in help_), set(help_) - set(zoo.KNOB_HELP)


def test_a_sensor_networks_settings_say_in_words_that_it_does_not_care_how_the_sensor_is_held():
    """The pump walk: the only sign that the model ignores the mounting angle was 'orientation invariant'."""
    from edgeling.core.models.autosize import describe_knobs

    assert describe_knobs({"width": 16, "depth": 4, "kernel": 5, "orientation": "invariant"}) == (
        "width 16, 4 layers, filters 5 readings long, the same however the sensor is held")
    assert describe_knobs({"n_bands": 8, "orientation": "axes"}) == "8 frequency bands, each sensor axis as recorded"
    assert describe_knobs({"orientation": "invariant"}, plain=False) == "orientation invariant"
