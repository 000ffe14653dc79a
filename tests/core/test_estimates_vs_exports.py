"""The device estimates meet reality for every user family at two sizes (the smallest and a middle size of
its grid): the int8 flash estimate within 10% of the .tflite file our writer produces, and the RAM
estimate within 15% of the arena TensorFlow Lite Micro's allocator reports for that file."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from edgeling.core.export.exporter import to_graph_layout
from edgeling.core.export.runtimes import MicroRunner
from edgeling.core.export.tflite_writer import write_tflite
from edgeling.core.models import zoo
from edgeling.core.models.footprint import arena_bytes, flash_bytes
from edgeling.core.models.lowering import lower
from tests.core.test_lowering import SPECS, sample_data
from tests.core.tiny_models import randomize_batchnorm

USER_FAMILIES = {"tutorial_cnn", "mobilenet_v1", "mobilenet_v2", "resnet8", "ds_cnn", "audio_cnn",
                 "spectral_dense", "conv1d", "mlp"}
FLASH_TOLERANCE = 0.10
RAM_TOLERANCE = 0.15


def cases():
    for kind, spec in SPECS.items():
        for arch in zoo.architectures_for(kind):
            grid = zoo.size_grid(arch, spec)
            for size, knobs in (("smallest", grid[0]), ("mid", grid[len(grid) // 2])):
                yield pytest.param(spec, arch, knobs, id=f"{arch}-{size}")


def test_the_cases_cover_every_user_family():
    archs = {arch for kind in SPECS for arch in zoo.architectures_for(kind)}
    assert archs == USER_FAMILIES
    assert {p.id.rsplit("-", 1)[0] for p in cases()} == USER_FAMILIES and len(list(cases())) == 18


@pytest.mark.parametrize("spec,arch,knobs", list(cases()))
def test_flash_and_ram_estimates_against_the_int8_file_and_tflite_micro(spec, arch, knobs, tmp_path):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x = sample_data(spec)
    frontend = zoo.fit_frontend(arch, spec, x, knobs)
    model = randomize_batchnorm(zoo.build_model(arch, spec, knobs, frontend)).eval()
    net_in = zoo.apply_frontend(frontend, x)
    graph = lower(model, tuple(net_in.shape[1:]), append_softmax=True)
    path = tmp_path / "m.tflite"
    data = write_tflite(graph, path, precision="int8", calibration=to_graph_layout(net_in))
    flash = flash_bytes(graph, "int8")["total"]
    assert abs(flash - len(data)) <= FLASH_TOLERANCE * len(data), (arch, knobs, flash, len(data))
    float_data = write_tflite(graph, None, precision="float32")
    float_flash = flash_bytes(graph, "float32")["total"]
    assert abs(float_flash - len(float_data)) <= FLASH_TOLERANCE * len(float_data), (float_flash, len(float_data))
    runner = MicroRunner(path, arena_size=2 * 1024 * 1024)
    out = runner.predict(net_in[:2])
    assert out.shape == (2, spec.num_classes) and np.all(np.isfinite(out))
    real = runner.measure_arena()
    ram = arena_bytes(graph, "int8", pointer_bytes=8)["total"]  # the Python interpreter is 64-bit
    assert abs(ram - real) <= RAM_TOLERANCE * real, (arch, knobs, ram, real)
