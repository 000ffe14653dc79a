"""Read back what a .tflite file says about itself, without running it: input / output shapes, types and
quantization, and the metadata our writer stored (class names, front end, ...)."""

from __future__ import annotations

import json
import struct

from edgeling.core.export.runtimes import damaged
from edgeling.core.export.tflite_flatbuffer import schema
from edgeling.core.export.tflite_writer import METADATA_KEY

_TYPE_NAMES = {0: "float32", 2: "int32", 9: "int8"}


def tflite_info(data: bytes, path: str = "the model") -> dict:
    """``{"inputs": [...], "outputs": [...], "metadata": {...}}``; each input / output is
    ``{name, shape, dtype, scale, zero_point}`` (scale None when not quantized)."""
    if len(data) < 16 or data[4:8] != b"TFL3":
        raise damaged(path, "no TFL3 identifier")
    try:
        model = schema("Model").Model.GetRootAs(data, 0)
        sg = model.Subgraphs(0)
        info = {"inputs": [_tensor(sg.Tensors(sg.Inputs(i))) for i in range(sg.InputsLength())],
                "outputs": [_tensor(sg.Tensors(sg.Outputs(i))) for i in range(sg.OutputsLength())],
                "operators": _operator_names(model), "metadata": {}}
        for i in range(model.MetadataLength()):
            md = model.Metadata(i)
            if md.Name() and md.Name().decode() == METADATA_KEY:
                blob = model.Buffers(md.Buffer()).DataAsNumpy().tobytes()
                info["metadata"] = json.loads(blob.decode("utf-8"))
    except (IndexError, ValueError, AttributeError, UnicodeDecodeError, struct.error, TypeError) as e:
        raise damaged(path, str(e)) from None
    return info


def _operator_names(model) -> list[str]:
    """The builtin operators the file uses (what a TFLite Micro op resolver must register), sorted."""
    names = {v: k for k, v in vars(schema("BuiltinOperator").BuiltinOperator).items() if not k.startswith("_")}
    codes = (model.OperatorCodes(i) for i in range(model.OperatorCodesLength()))
    return sorted({names.get(max(c.BuiltinCode(), c.DeprecatedBuiltinCode()), str(c.BuiltinCode())) for c in codes})


def _tensor(t) -> dict:
    q = t.Quantization()
    scale = zp = None
    if q is not None and q.ScaleLength() > 0:
        scale, zp = float(q.Scale(0)), int(q.ZeroPoint(0))
    return {"name": t.Name().decode(), "shape": [int(d) for d in t.ShapeAsNumpy()],
            "dtype": _TYPE_NAMES.get(t.Type(), str(t.Type())), "scale": scale, "zero_point": zp}
