"""Estimates: MACs against an independent counter, params against torch, the MLPerf Tiny table, latency
against published board figures, flash and RAM against real int8 files and the TFLite Micro allocator."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from edgeling.core.devices.catalogue import get_device
from edgeling.core.models import zoo
from edgeling.core.models.estimate import estimate, estimate_model
from edgeling.core.models.footprint import arena_bytes, flash_bytes, greedy_plan
from edgeling.core.models.lowering import lower
from tests.core.test_lowering import SPECS, sample_data
from tests.core.tiny_models import MLPERF, TutorialCNN, randomize_batchnorm

# Silicon Labs MLTK, int8 on EFR32xG24 at 78 MHz with its MVP accelerator (mltk/models/tinyml/*.py), as
# copied into shared/reference/device-numbers.md: params (approx.), MACs, latency in ms.
PUBLISHED = {
    "ds_cnn": (22.6e3, 2.66e6, 36.5),
    "resnet8": (77.7e3, 12.5e6, 118.9),
    "mobilenet_v1": (211e3, 7.49e6, 123.2),
    "fc_autoencoder": (266e3, 0.26e6, 6.9),
}


@pytest.fixture(autouse=True)
def _one_thread(tmp_path, monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EDGELING_DATA_DIR", str(tmp_path / "data"))


def independent_macs(model, input_shape) -> int:
    """torch's own FLOP counter (conv + matmul FLOPs, two per multiply-accumulate) at batch 1."""
    model.eval()
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(torch.zeros(1, *input_shape))
    return counter.get_total_flops() // 2


@pytest.mark.parametrize("name", list(MLPERF))
def test_mlperf_models_params_and_macs_match_the_published_table(name):
    build, shape = MLPERF[name]
    model = randomize_batchnorm(build())
    result = estimate_model(model, shape, get_device("efr32xg24"))
    params, macs, latency = PUBLISHED[name]
    assert result["params"] == sum(p.numel() for p in model.parameters())
    assert "torch" in result["params_source"]
    assert abs(result["params"] - params) / params < 0.05
    assert abs(result["params_graph"] - params) / params < 0.05
    assert abs(result["macs"] - macs) / macs < 0.05
    assert abs(result["macs"] - independent_macs(model, shape)) / result["macs"] < 0.02


@pytest.mark.parametrize("name", list(MLPERF))
def test_latency_on_the_published_board_within_a_factor_of_two(name):
    build, shape = MLPERF[name]
    result = estimate_model(build(), shape, get_device("efr32xg24"))
    published = PUBLISHED[name][2]
    assert published / 2 <= result["latency_ms"] <= published * 2, (result["latency_ms"], published)
    assert result["assumes"] == "int8, TensorFlow Lite Micro"


def zoo_models():
    for kind, spec in SPECS.items():
        for arch in zoo.architectures_for(kind):
            grid = zoo.size_grid(arch, spec)
            for knobs in (grid[0], grid[len(grid) // 2], grid[-1]):
                yield pytest.param(spec, arch, knobs, id=f"{arch}-{'-'.join(str(v) for v in knobs.values())[:40]}")


@pytest.mark.parametrize("spec,arch,knobs", list(zoo_models()))
def test_macs_and_params_of_every_family(spec, arch, knobs):
    frontend = zoo.fit_frontend(arch, spec, sample_data(spec), knobs)
    model = zoo.build_model(arch, spec, knobs, frontend)
    shape = zoo.network_input_shape(frontend, spec)
    result = estimate_model(model, shape, get_device("arduino-nano-33-ble-sense"))
    reference = independent_macs(model, shape)
    assert abs(result["macs"] - reference) <= 0.02 * reference
    assert result["params"] == sum(p.numel() for p in model.parameters())
    assert result["params_graph"] <= result["params"]  # BatchNorm folded away


def test_flash_and_arena_against_real_int8_files_and_the_tflite_micro_allocator(tmp_path):
    from edgeling.core.export.runtimes import MicroRunner
    from edgeling.core.export.tflite_writer import write_tflite

    for model, shape in ((TutorialCNN(), (1, 28, 28)), (randomize_batchnorm(MLPERF["ds_cnn"][0]()), (1, 49, 10)),
                         (randomize_batchnorm(MLPERF["resnet8"][0]()), (3, 32, 32))):
        graph = lower(model, shape, append_softmax=True)
        calib = np.random.default_rng(0).standard_normal((4, *graph.tensor(graph.inputs[0]).shape[1:]))
        path = tmp_path / "m.tflite"
        data = write_tflite(graph, path, precision="int8", calibration=calib.astype(np.float32))
        float_data = write_tflite(graph, None, precision="float32")
        est_int8 = flash_bytes(graph, "int8")["total"]
        assert abs(est_int8 - len(data)) <= 0.10 * len(data)
        assert abs(flash_bytes(graph, "float32")["total"] - len(float_data)) <= 0.10 * len(float_data)
        runner = MicroRunner(path, arena_size=1024 * 1024)
        runner.predict(calib[:1].astype(np.float32).transpose(*_to_torch(calib.ndim)))
        real = runner.measure_arena()
        est = arena_bytes(graph, "int8", pointer_bytes=8)["total"]  # the Python interpreter is 64-bit
        assert abs(est - real) <= 0.15 * real, (est, real)


def _to_torch(ndim):
    return (0, 3, 1, 2) if ndim == 4 else tuple(range(ndim))


def test_greedy_planner_reuses_memory_of_dead_buffers():
    # a chain a -> b -> c: a and c never live together, so c reuses a's place
    size, offsets = greedy_plan([(100, 0, 0), (200, 0, 1), (100, 1, 1)])
    assert size == 300 and offsets[0] == offsets[2]
    # three buffers alive together stack up
    assert greedy_plan([(16, 0, 2), (32, 0, 2), (48, 0, 2)])[0] == 96


def test_estimate_states_its_assumptions_and_precisions_differ():
    graph = lower(TutorialCNN(), (1, 28, 28))
    pi = get_device("raspberry-pi-4")
    int8 = estimate(graph, pi, "int8")
    f32 = estimate(graph, pi, "float32")
    assert int8["assumes"] == "int8, TensorFlow Lite" and f32["assumes"] == "float32, ONNX Runtime"
    assert 3.5 < f32["flash_detail"]["weights"] / int8["flash_detail"]["weights"] < 4.1
    assert int8["macs"] == f32["macs"] == sum(o["macs"] for o in int8["ops"] if o["counts_as_macs"])
    nano = estimate(graph, get_device("arduino-nano-33-ble-sense"))
    h7 = estimate(graph, get_device("stm32h743"))
    assert nano["precision"] == "int8" and "TensorFlow Lite Micro" in nano["assumes"]
    assert h7["latency_ms"] < nano["latency_ms"]  # faster core and clock
    assert nano["ram_bytes"] >= nano["ram_detail"]["activations"] + nano["ram_detail"]["persistent"]


def test_ram_on_this_computer_is_the_models_own_memory_the_same_quantity_at_both_precisions():
    # An MLP of about 21k parameters on table data (the pick for the bundled orders sample) showed
    # 24.1 MB float32 and 2.0 MB int8 (-92%): the assumed ONNX Runtime (24 MB) and TFLite (2 MB) sizes,
    # not the model, and every candidate of a plan was about 24 MB whatever its size.
    spec = SPECS["table"]
    host = get_device("this-computer", measure=False)
    ram = {}
    for width in (64, 128):
        knobs = {**zoo.default_knobs("mlp", spec), "width": width, "depth": 2}
        frontend = zoo.fit_frontend("mlp", spec, sample_data(spec), knobs)
        model = zoo.build_model("mlp", spec, knobs, frontend)
        graph = lower(model, zoo.network_input_shape(frontend, spec), append_softmax=True)
        f32, int8 = estimate(graph, host, "float32"), estimate(graph, host, "int8")
        assert f32["runtime"] == "ONNX Runtime" and int8["runtime"] == "TensorFlow Lite"
        for est, elem in ((f32, 4), (int8, 1)):
            detail = est["ram_detail"]
            assert detail["weights"] == elem * est["params_graph"]
            assert est["ram_bytes"] == detail["activations"] + detail["weights"]
            assert detail["runtime_not_counted"] > 0 and "not counted" in detail["what"]
        assert 3.5 < f32["ram_bytes"] / int8["ram_bytes"] < 4.1  # float32 -> int8: 4 bytes -> 1 per value
        ram[width] = f32["ram_bytes"]
    assert 15_000 < f32["params_graph"] < 25_000 and ram[128] < 150 * 1024
    assert ram[64] < 0.5 * ram[128]  # a model a third the size needs about a third of the RAM


def test_estimates_import_without_torch():
    code = ("import sys\nimport edgeling.core.models.estimate, edgeling.core.models.autosize\n"
            "import edgeling.core.devices.catalogue, edgeling.core.devices.custom, edgeling.core.devices.host\n"
            "sys.exit(1 if 'torch' in sys.modules else 0)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_mobilenet_v2_on_a_cortex_m7_within_a_factor_of_two_of_edge_impulse():
    # Edge Impulse's reference table (docs: knowledge/metrics/inference-performance), int8: "96x96 colour,
    # MobileNetV2 0.35", 140 ms on a Cortex-M7 at 480 MHz (shared/reference/device-numbers.md).
    spec = zoo.InputSpec("images", "classification", 2, (96, 96, 3), {"image_size": [96, 96]})
    knobs = {**zoo.default_knobs("mobilenet_v2", spec), "alpha": 0.35, "resolution": 96, "last_channels": 1280}
    frontend = zoo.fit_frontend("mobilenet_v2", spec, np.zeros((2, 96, 96, 3), np.uint8), knobs)
    model = zoo.build_model("mobilenet_v2", spec, knobs, frontend)
    h7 = get_device("stm32h743")
    assert h7.clock_mhz == 480 and h7.core == "cortex-m7"
    result = estimate_model(model, zoo.network_input_shape(frontend, spec), h7)
    assert 70 <= result["latency_ms"] <= 280, result["latency_ms"]
