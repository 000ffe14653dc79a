"""Our TFLite writer: float32 files match torch and the numpy reference for every op kind in LiteRT; int8
files follow the quantization spec, agree with a trained model, and run in TensorFlow Lite Micro; a
failed write leaves nothing behind."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest
import torch

from edgeling.core.export.errors import ExportError
from edgeling.core.export.exporter import to_graph_layout
from edgeling.core.export.runtimes import LiteRTRunner, MicroRunner, smallest_working_arena
from edgeling.core.export.tflite_flatbuffer import schema
from edgeling.core.export.tflite_info import tflite_info
from edgeling.core.export.tflite_writer import write_tflite
from edgeling.core.models.graph import Graph, Op, Tensor
from edgeling.core.models.lowering import lower
from edgeling.core.models.reference import run_graph
from tests.core.export_graphs import all_ops_graph, all_ops_torch, train_tiny_cnn


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)


@pytest.fixture(scope="module")
def trained():
    torch.set_num_threads(1)
    return train_tiny_cnn()


def _litert(data: bytes, x_graph: np.ndarray, tmp_path, name="m.tflite") -> np.ndarray:
    path = tmp_path / name
    path.write_bytes(data)
    runner = LiteRTRunner(path)
    return runner.predict(x_graph)


def test_float_every_op_kind_matches_torch_and_reference(tmp_path):
    graph, params = all_ops_graph()
    assert {op.kind for op in graph.ops} == {"pad", "conv2d", "depthwise_conv2d", "add", "max_pool2d", "relu",
                                             "avg_pool2d", "relu6", "mean", "reshape", "dense", "softmax"}
    x = np.random.default_rng(1).normal(0, 1, (64, 8, 8, 3)).astype(np.float32)
    out = _litert(write_tflite(graph), x, tmp_path)
    ref_torch = all_ops_torch(params, torch.from_numpy(x).permute(0, 3, 1, 2)).numpy()
    ref_numpy = run_graph(graph, {"x": x})["probs"]
    assert np.max(np.abs(out - ref_torch)) < 1e-4
    assert np.max(np.abs(out - ref_numpy)) < 1e-4
    assert np.mean(out.argmax(1) == ref_torch.argmax(1)) >= 0.995


def _same_padding_graph() -> Graph:
    """Attributes the first graph leaves out: 'same' pooling, dilation, strided depthwise with a depth
    multiplier, mean without keepdims."""
    rng = np.random.default_rng(3)
    t = {"x": Tensor("x", (1, 9, 7, 2)), "w1": Tensor("w1", (4, 3, 3, 2), data=rng.normal(0, .5, (4, 3, 3, 2))),
         "b1": Tensor("b1", (4,), data=rng.normal(0, .1, 4)),
         "w2": Tensor("w2", (1, 3, 3, 8), data=rng.normal(0, .5, (1, 3, 3, 8))),
         "b2": Tensor("b2", (8,), data=rng.normal(0, .1, 8)),
         "c1": Tensor("c1", (1, 9, 7, 4)), "mp": Tensor("mp", (1, 5, 4, 4)), "dw": Tensor("dw", (1, 3, 2, 8)),
         "ap": Tensor("ap", (1, 3, 2, 8)), "m": Tensor("m", (1, 8))}
    ops = [Op("conv2d", ["x", "w1", "b1"], ["c1"], {"padding": "same", "dilation": (2, 2), "activation": "relu"}),
           Op("max_pool2d", ["c1"], ["mp"], {"kernel": (3, 3), "stride": (2, 2), "padding": "same"}),
           Op("depthwise_conv2d", ["mp", "w2", "b2"], ["dw"],
              {"stride": (2, 2), "padding": "same", "depth_multiplier": 2, "activation": "none"}),
           Op("avg_pool2d", ["dw"], ["ap"], {"kernel": (3, 3), "stride": (1, 1), "padding": "same"}),
           Op("mean", ["ap"], ["m"], {"axes": (1, 2), "keepdims": False})]
    for name in ("w1", "b1", "w2", "b2"):
        t[name].data = t[name].data.astype(np.float32)
    g = Graph(t, ops, ["x"], ["m"])
    g.validate()
    return g


def test_float_same_padding_dilation_and_depth_multiplier_match_reference(tmp_path):
    graph = _same_padding_graph()
    x = np.random.default_rng(2).normal(0, 1, (16, 9, 7, 2)).astype(np.float32)
    out = _litert(write_tflite(graph), x, tmp_path)
    assert np.max(np.abs(out - run_graph(graph, {"x": x})["m"])) < 1e-4


def test_int8_follows_the_quantization_spec():
    graph, _ = all_ops_graph()
    x = np.random.default_rng(1).normal(0, 1, (32, 8, 8, 3)).astype(np.float32)
    data = write_tflite(graph, precision="int8", calibration=x)
    model = schema("Model").Model.GetRootAs(data, 0)
    assert data[4:8] == b"TFL3" and model.Version() == 3 and model.Buffers(0).DataLength() == 0
    sg = model.Subgraphs(0)
    tensors = {sg.Tensors(i).Name().decode(): sg.Tensors(i) for i in range(sg.TensorsLength())}

    def q(name):
        qp = tensors[name].Quantization()
        return qp.ScaleAsNumpy(), qp.ZeroPointAsNumpy(), qp.QuantizedDimension()

    w_scale, w_zp, axis = q("c1w")
    assert tensors["c1w"].Type() == 9 and len(w_scale) == 4 and axis == 0 and not w_zp.any()
    dw_scale, _, dw_axis = q("dww")
    assert len(dw_scale) == 4 and dw_axis == 3
    d_scale, _, _ = q("d1w")
    assert len(d_scale) == 1  # fully connected: per-tensor
    b_scale, b_zp, _ = q("c1b")
    in_scale = q("padded")[0][0]
    assert tensors["c1b"].Type() == 2 and not b_zp.any()
    np.testing.assert_allclose(b_scale, in_scale * w_scale, rtol=1e-6)
    assert q("padded")[:2] == pytest.approx(q("x")[:2])  # pad shares its input's parameters
    for pooled, source in [("mp", "sum"), ("ap", "r1"), ("mean", "c3"), ("flat", "mean")]:
        assert tuple(q(pooled)[0]) == tuple(q(source)[0]) and tuple(q(pooled)[1]) == tuple(q(source)[1])
    assert q("probs")[0][0] == pytest.approx(1 / 256) and q("probs")[1][0] == -128
    # a fused ReLU: the output range starts at 0, so the zero point is -128
    assert q("c1")[1][0] == -128
    for i in range(1, model.BuffersLength()):
        buf = model.Buffers(i)
        if buf.DataLength():
            assert buf._tab.Vector(4) % 16 == 0  # constant data aligned to 16 bytes
    codes = [model.OperatorCodes(i) for i in range(model.OperatorCodesLength())]
    assert all(c.BuiltinCode() == c.DeprecatedBuiltinCode() for c in codes if c.BuiltinCode() < 127)


def test_int8_trained_model_agrees_and_runs_in_tflite_micro(trained, tmp_path):
    model, x_train, x_test, y_test = trained
    graph = lower(model, x_test.shape[1:], append_softmax=True)
    meta = {"class_names": ["a", "b", "c"]}
    data = write_tflite(graph, tmp_path / "m.tflite", precision="int8", calibration=to_graph_layout(x_train),
                        metadata=meta)
    with torch.no_grad():
        ref = torch.softmax(model(torch.from_numpy(x_test)), 1).numpy()
    runner = LiteRTRunner(tmp_path / "m.tflite")
    out = runner.predict(x_test)  # torch layout in, converted by the runner
    assert runner.in_detail["dtype"] == np.int8 and runner.out_detail["dtype"] == np.int8
    assert np.mean(out.argmax(1) == ref.argmax(1)) >= 0.97
    acc, ref_acc = np.mean(out.argmax(1) == y_test), np.mean(ref.argmax(1) == y_test)
    assert ref_acc - acc <= 0.01
    assert np.max(np.abs(out - ref)) < 8 / 256  # a few quantization steps of the 1/256 softmax output

    micro = MicroRunner(tmp_path / "m.tflite")
    micro_out = micro.predict(x_test[:20])
    np.testing.assert_allclose(micro_out, out[:20], atol=2 / 256)
    arena = micro.measure_arena()
    assert 0 < arena < micro.arena_size
    required = smallest_working_arena(tmp_path / "m.tflite", x_test[:1], arena, micro.arena_size)
    assert arena // 2 < required <= arena + 1024  # the allocator's report is close to what is really needed
    MicroRunner(tmp_path / "m.tflite", arena_size=required).predict(x_test[:1])
    with pytest.raises(ExportError, match="arena"):
        MicroRunner(tmp_path / "m.tflite", arena_size=required - 16)

    info = tflite_info(data)
    assert info["metadata"]["class_names"] == ["a", "b", "c"] and info["metadata"]["precision"] == "int8"


def test_int8_with_float_input_and_output(trained, tmp_path):
    model, x_train, x_test, _ = trained
    graph = lower(model, x_test.shape[1:], append_softmax=True)
    calib = to_graph_layout(x_train)
    int8_io = _litert(write_tflite(graph, precision="int8", calibration=calib), x_test, tmp_path, "a.tflite")
    path = tmp_path / "b.tflite"
    write_tflite(graph, path, precision="int8", calibration=calib, int8_io=False)
    runner = LiteRTRunner(path)
    assert runner.in_detail["dtype"] == np.float32 and runner.out_detail["dtype"] == np.float32
    np.testing.assert_allclose(runner.predict(x_test), int8_io, atol=1.5 / 256)


def test_int8_needs_calibration():
    graph, _ = all_ops_graph()
    with pytest.raises(ExportError, match="calibration"):
        write_tflite(graph, precision="int8")


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    graph, _ = all_ops_graph()

    def disk_full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(ExportError, match="No space left.*The disk is full.*nothing was written"):
        write_tflite(graph, tmp_path / "m.tflite")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ExportError, match="Could not write .*afile.*Choose another folder"):
        write_tflite(graph, tmp_path / "afile" / "m.tflite")


def test_truncated_tflite_gives_a_plain_message(tmp_path):
    graph, _ = all_ops_graph()
    data = write_tflite(graph)
    for name, blob in [("half.tflite", data[: len(data) // 2]), ("empty.tflite", b""),
                       ("zeros.tflite", data[:8] + bytes(len(data) - 8))]:
        (tmp_path / name).write_bytes(blob)
        with pytest.raises(ExportError, match=f"{name} is damaged or incomplete"):
            LiteRTRunner(tmp_path / name)
    with pytest.raises(ExportError, match="does not exist"):
        LiteRTRunner(tmp_path / "missing.tflite")


def test_int8_zero_point_vectors_are_written_once_and_shared(trained, tmp_path, monkeypatch):
    """Per-channel weights and biases all have all-zero int64 zero points (8 bytes a channel): the writer
    stores each distinct vector once and every tensor points at it. Same parameters, same outputs in
    LiteRT and TFLite Micro as a file with a copy per tensor, and a smaller file."""
    from edgeling.core.export import tflite_flatbuffer as fb
    from tests.core.tiny_models import MLPERF, randomize_batchnorm

    torch.manual_seed(0)
    graph = lower(randomize_batchnorm(MLPERF["ds_cnn"][0]()).eval(), (1, 49, 10), append_softmax=True)
    x = np.random.default_rng(0).standard_normal((16, 49, 10, 1)).astype(np.float32)
    shared = write_tflite(graph, tmp_path / "shared.tflite", precision="int8", calibration=x)
    monkeypatch.setattr(fb, "_shared_vector", lambda b, values, cache: b.CreateNumpyVector(values))
    copied = write_tflite(graph, tmp_path / "copied.tflite", precision="int8", calibration=x)
    monkeypatch.undo()

    def quantization(data):
        sg = schema("Model").Model.GetRootAs(data, 0).Subgraphs(0)
        out, where = [], {}
        for i in range(sg.TensorsLength()):
            q = sg.Tensors(i).Quantization()
            if q is None:
                out.append(None)
                continue
            out.append((q.ScaleAsNumpy().tolist(), q.ZeroPointAsNumpy().tolist(), q.QuantizedDimension()))
            if q.ZeroPointLength() > 1:
                where.setdefault(q.ZeroPointLength(), set()).add(q._tab.Vector(q._tab.Offset(10)))  # zero_point
        return out, where

    params_shared, where_shared = quantization(shared)
    params_copied, where_copied = quantization(copied)
    assert params_shared == params_copied
    assert where_shared and all(len(places) == 1 for places in where_shared.values())  # one vector each
    assert any(len(places) > 1 for places in where_copied.values())
    channels_saved = sum(len(p[1]) for p in params_copied if p and len(p[1]) > 1) - \
        sum(where_shared)  # every per-channel tensor but one per channel count
    assert len(copied) - len(shared) >= 8 * channels_saved
    xt = x.transpose(0, 3, 1, 2)
    np.testing.assert_array_equal(LiteRTRunner(tmp_path / "shared.tflite").predict(xt),
                                  LiteRTRunner(tmp_path / "copied.tflite").predict(xt))
    np.testing.assert_array_equal(MicroRunner(tmp_path / "shared.tflite", 1 << 20).predict(xt[:4]),
                                  MicroRunner(tmp_path / "copied.tflite", 1 << 20).predict(xt[:4]))
