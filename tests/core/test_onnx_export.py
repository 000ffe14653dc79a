"""ONNX exports: float32 matches torch in onnxruntime and carries its metadata; int8 is static QDQ with
per-channel int8 weights and agrees with a trained model; a damaged file gives a plain message."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
import torch

from edgeling.core.export.errors import ExportError
from edgeling.core.export.exporter import exported_module
from edgeling.core.export.onnx_export import OPSET, export_onnx_float, export_onnx_int8, read_onnx_metadata
from edgeling.core.export.runtimes import OnnxRunner, predict_exported
from tests.core.export_graphs import train_tiny_cnn


@pytest.fixture(scope="module")
def trained():
    torch.set_num_threads(1)
    return train_tiny_cnn()


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)


META = {"class_names": ["circle", "square", "star"], "frontend": {"type": "image", "scale": 1 / 255}}


def _reference(model, x):
    with torch.no_grad():
        return exported_module(model, "classification")(torch.from_numpy(x)).numpy()


def test_float_onnx_matches_torch_and_carries_metadata(trained, tmp_path):
    model, _, x_test, _ = trained
    path = tmp_path / "m.onnx"
    export_onnx_float(exported_module(model, "classification"), x_test.shape[1:], path, metadata=META)
    proto = onnx.load(str(path))
    assert max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")) >= OPSET >= 17
    meta = read_onnx_metadata(path.read_bytes())
    assert meta["class_names"] == META["class_names"] and meta["frontend"] == META["frontend"]
    assert meta["input_layout"] == "NCHW" and meta["precision"] == "float32"
    out = predict_exported(path, x_test)
    ref = _reference(model, x_test)
    assert np.max(np.abs(out - ref)) < 1e-4
    assert np.mean(out.argmax(1) == ref.argmax(1)) >= 0.995
    np.testing.assert_allclose(out.sum(1), 1.0, atol=1e-5)  # probabilities
    batch = OnnxRunner(path).session.run(None, {"input": x_test[:5]})[0]  # the batch axis is dynamic
    np.testing.assert_allclose(batch, ref[:5], atol=1e-5)


def test_int8_onnx_is_static_qdq_per_channel_and_agrees(trained, tmp_path):
    model, x_train, x_test, y_test = trained
    module = exported_module(model, "classification")
    float_bytes = export_onnx_float(module, x_test.shape[1:], None, metadata=META)
    path = tmp_path / "m8.onnx"
    export_onnx_int8(float_bytes, x_train[:100], path)
    proto = onnx.load(str(path))
    ops = {n.op_type for n in proto.graph.node}
    assert {"QuantizeLinear", "DequantizeLinear"} <= ops
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in proto.graph.initializer}
    int8_weights = [a for a in inits.values() if a.dtype == np.int8 and a.ndim == 4]
    assert int8_weights, "conv weights are stored as int8"
    per_channel = [n for n in proto.graph.node if n.op_type == "DequantizeLinear"
                   and inits.get(n.input[1]) is not None and inits[n.input[1]].size > 1]
    assert per_channel, "at least one weight is quantized per channel"
    assert read_onnx_metadata(path.read_bytes())["precision"] == "int8"
    assert read_onnx_metadata(path.read_bytes())["class_names"] == META["class_names"]
    out = predict_exported(path, x_test)
    ref = _reference(model, x_test)
    assert np.mean(out.argmax(1) == ref.argmax(1)) >= 0.97
    assert np.mean(ref.argmax(1) == y_test) - np.mean(out.argmax(1) == y_test) <= 0.01


def test_truncated_onnx_gives_a_plain_message(trained, tmp_path):
    model, _, x_test, _ = trained
    data = export_onnx_float(exported_module(model, "classification"), x_test.shape[1:])
    bad = tmp_path / "cut.onnx"
    bad.write_bytes(data[: len(data) // 3])
    with pytest.raises(ExportError, match="cut.onnx is damaged or incomplete. *Export it again"):
        predict_exported(bad, x_test[:1])
    with pytest.raises(ExportError, match="not an exported model"):
        predict_exported(tmp_path / "model.bin", x_test[:1])


def test_exported_files_carry_their_labels(trained, tmp_path):
    from edgeling.core.export.exporter import export_model
    from edgeling.core.export.runtimes import read_export_metadata

    model, x_train, x_test, y_test = trained
    spec = {"kind": "images", "task": "classification", "class_names": META["class_names"]}
    for fmt, name in [("onnx", "m.onnx"), ("tflite-int8", "m.tflite")]:
        export_model(model, META["frontend"], spec, x_train, x_test, y_test, fmt, tmp_path / name, verify=False)
        meta = read_export_metadata(tmp_path / name)
        assert meta["class_names"] == META["class_names"] and meta["frontend"] == META["frontend"]
        assert meta["input_shape"] == list(x_test.shape[1:]) and meta["task"] == "classification"


def test_inner_names_are_short_and_the_answers_unchanged(trained, tmp_path):
    import io
    import warnings

    import onnxruntime as ort

    from edgeling.core.export.onnx_export import INPUT_NAME, OUTPUT_NAME, compact_names

    model, _, x_test, _ = trained
    module = exported_module(model, "classification").eval()
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (torch.zeros((1, *x_test.shape[1:])),), buf, dynamo=False, opset_version=OPSET,
                          input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                          dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}})
    raw = buf.getvalue()
    small = compact_names(raw)
    assert len(small) < len(raw)
    g = onnx.load_from_string(small).graph
    inner = {n for node in g.node for n in [*node.input, *node.output]} - {INPUT_NAME, OUTPUT_NAME, ""}
    assert inner and all(n.startswith("t") and n[1:].isdigit() for n in inner)
    assert [i.name for i in g.input] == [INPUT_NAME] and [o.name for o in g.output] == [OUTPUT_NAME]
    onnx.checker.check_model(onnx.load_from_string(small))
    x = x_test[:16]
    before = ort.InferenceSession(raw, providers=["CPUExecutionProvider"]).run(None, {INPUT_NAME: x})[0]
    after = ort.InferenceSession(small, providers=["CPUExecutionProvider"]).run(None, {INPUT_NAME: x})[0]
    np.testing.assert_array_equal(before, after)


def test_both_files_say_edgeling_made_them_and_what_they_answer(trained, tmp_path, monkeypatch):
    """producer_version was torch's version in the float file and the quantizer's in the int8 one, and
    doc_string was empty; both now carry Edgeling's version and a short description."""
    import edgeling.core

    model, x_train, x_test, _ = trained
    monkeypatch.setattr(edgeling.core, "__version__", "9.8.7")  # not torch's, nor the quantizer's 0.1.0
    meta = {**META, "kind": "images", "task": "classification", "data_meta": {"labels_from": "folders"}}
    float_path, int8_path = tmp_path / "shapes.onnx", tmp_path / "shapes-int8.onnx"
    float_bytes = export_onnx_float(exported_module(model, "classification"), x_test.shape[1:], float_path,
                                    metadata=meta)
    export_onnx_int8(float_bytes, x_train[:50], int8_path)
    for path in (float_path, int8_path):
        proto = onnx.load(str(path))
        onnx.checker.check_model(proto)
        assert (proto.producer_name, proto.producer_version) == ("edgeling", "9.8.7"), path.name
        doc = proto.doc_string
        assert doc.startswith("Made with Edgeling. The model answers: which class a picture belongs to — one of "
                              "circle, square, star; the names are those of the training folders."), doc
        assert "one probability per class, in this order: 0 = circle, 1 = square, 2 = star" in doc
        assert "model.onnx -> model.onnx.card.md" in doc
        out = predict_exported(path, x_test[:8])  # still runs in onnxruntime
        assert out.shape == (8, 3) and np.all(np.abs(out.sum(1) - 1) < 0.05)


def test_a_table_model_s_description_says_its_input_is_standardised():
    """The shop walk: a reseller's developer, working from the .onnx alone, fed the encoded columns without
    standardising them: all 40 answers came out 'nein' at 100%, with no error. The file's description says it."""
    from edgeling.core.export.onnx_export import describe_model

    meta = {"kind": "table", "task": "classification", "class_names": ["nein", "ja"],
            "data_meta": {"columns": [{"name": "Preis"}, {"name": "Zahlungsart"}], "target": "Rücksendung"},
            "frontend": {"type": "table", "num_features": 3, "mean": [1.0, 0.5, 0.5], "std": [2.0, 0.5, 0.5]}}
    doc = describe_model(meta)
    assert ("Input: one row of 3 numbers: the table's 2 columns encoded as the card lists them (a number as it "
            "is, a category as one 0/1 per value), then each standardised: (x - mean) / std, with the mean and "
            "std in the metadata 'frontend'. Without that last step every answer is wrong, with no error.") in doc
    assert "Input:" not in describe_model({**meta, "kind": "images", "frontend": {"type": "image"}})
