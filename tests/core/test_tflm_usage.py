"""The C header's ready-to-paste TensorFlow Lite Micro usage (``c_usage``): the op resolver's methods for the
very operators the embedded .tflite uses, the arena declared with the header's size, the int8 input checked
against <NAME>_INPUT_BYTES, the output dequantised. The firmware walk: the header named the operators as
TFLite builtins and left the method names, the arena and the checks to the firmware person.

The block is compiled here as C++11 with TensorFlow Lite Micro's own warning flags against a stand-in of the
TFLM API whose op resolver has exactly the Add methods of tensorflow/lite/micro/micro_mutable_op_resolver.h
(tflite-micro, 2022), so a wrong method name or a float promoted to double fails."""

from __future__ import annotations

import re
import subprocess

import numpy as np

from edgeling.core.export.c_header import c_header_text, parse_c_header_bytes
from edgeling.core.export.c_usage import RESOLVER_METHODS, uncommented
from edgeling.core.export.exporter import export_model
from edgeling.core.export.tflite_info import tflite_info
from edgeling.core.models import zoo
from tests.core.test_sensor_header import _export as export_sensor
from tests.core.tflm_build import TFLM_CXXFLAGS, compile_with_tflm_flags, cxx_compiler
from tests.core.untrained_models import untrained

# The Add methods of MicroMutableOpResolver (micro_mutable_op_resolver.h), copied by hand from the file.
TFLM_ADD_METHODS = """AddAbs AddAdd AddAddN AddArgMax AddArgMin AddAssignVariable AddAveragePool2D AddBatchToSpaceNd
AddBroadcastArgs AddBroadcastTo AddCallOnce AddCast AddCeil AddCircularBuffer AddConcatenation AddConv2D AddCos
AddCumSum AddDepthToSpace AddDepthwiseConv2D AddDequantize AddDetectionPostprocess AddElu AddEqual AddEthosU AddExp
AddExpandDims AddFill AddFloor AddFloorDiv AddFloorMod AddFullyConnected AddGather AddGatherNd AddGreater
AddGreaterEqual AddHardSwish AddIf AddL2Normalization AddL2Pool2D AddLeakyRelu AddLess AddLessEqual AddLog
AddLogicalAnd AddLogicalNot AddLogicalOr AddLogistic AddMaximum AddMaxPool2D AddMirrorPad AddMean AddMinimum AddMul
AddNeg AddNotEqual AddPack AddPad AddPadV2 AddPrelu AddQuantize AddReadVariable AddReduceMax AddRelu AddRelu6
AddReshape AddResizeBilinear AddResizeNearestNeighbor AddRound AddRsqrt AddShape AddSin AddSlice AddSoftmax
AddSpaceToBatchNd AddSpaceToDepth AddSplit AddSplitV AddSqueeze AddSqrt AddSquare AddStridedSlice AddSub AddSvdf
AddTanh AddTransposeConv AddTranspose AddUnpack AddUnidirectionalSequenceLSTM AddVarHandle AddWhile
AddZerosLike""".split()

_STUB = """#include <stddef.h>
#include <stdint.h>
typedef enum { kTfLiteOk = 0, kTfLiteError = 1 } TfLiteStatus;
typedef enum { kTfLiteNoType = 0, kTfLiteFloat32 = 1, kTfLiteInt8 = 9 } TfLiteType;
typedef union { int8_t* int8; float* f; } TfLitePtrUnion;
typedef struct { TfLiteType type; TfLitePtrUnion data; size_t bytes; } TfLiteTensor;
namespace tflite {
struct Model { uint32_t version() const { return 3; } };
inline const Model* GetModel(const void* buf) { return static_cast<const Model*>(buf); }
class MicroOpResolver {};
template <unsigned int tOpCount> class MicroMutableOpResolver : public MicroOpResolver {
 public:
%s
};
class MicroInterpreter {
 public:
  MicroInterpreter(const Model*, const MicroOpResolver&, uint8_t*, size_t) {}
  TfLiteStatus AllocateTensors() { return kTfLiteOk; }
  TfLiteStatus Invoke() { return kTfLiteOk; }
  TfLiteTensor* input(size_t) { return &t_; }
  TfLiteTensor* output(size_t) { return &t_; }
 private:
  TfLiteTensor t_;
};
}  // namespace tflite
"""


def _compiles_against_tflm_api(folder, header: str, text: str) -> None:
    cxx = cxx_compiler()
    methods = "\n".join(f"  TfLiteStatus {m}() {{ return kTfLiteOk; }}" for m in TFLM_ADD_METHODS)
    (folder / "tflm_api_stub.h").write_text(_STUB % methods)
    code = uncommented(text)
    assert f'#include "{header}"' in code
    code = re.sub(r'#include "tensorflow/[^"]+"\n', "", code)
    (folder / "usage.cpp").write_text('#include "tflm_api_stub.h"\n' + code)
    done = subprocess.run([cxx, *TFLM_CXXFLAGS, "-c", "usage.cpp", "-o", "usage.o"], cwd=folder,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]


def _resolver_calls(text: str) -> list[str]:
    return re.findall(r"^//\s+resolver\.(\w+)\(\);  // (\w+)$", text, re.M)


def test_a_picture_header_says_how_to_run_it_with_the_resolver_methods_of_its_operators(tmp_path):
    spec = zoo.InputSpec("images", "classification", 2, (32, 32, 3), {"image_size": [32, 32]}, ["leaf", "rot"])
    x = np.random.default_rng(0).integers(0, 256, (40, 32, 32, 3), dtype=np.uint8)
    model, frontend, net_in = untrained("mobilenet_v2", spec, {"alpha": 0.25, "resolution": 32}, x)
    out = tmp_path / "leaf model.h"
    export_model(model, frontend, spec, net_in[:30], net_in[30:], None, "c-header", out, verify=False)
    text = out.read_text()
    ops = tflite_info(parse_c_header_bytes(text, "leaf model"))["operators"]
    calls = _resolver_calls(text)
    assert [op for _, op in calls] == ops and "DEPTHWISE_CONV_2D" in ops and "ADD" in ops
    assert all(method in TFLM_ADD_METHODS for method, _ in calls)
    assert ("AddDepthwiseConv2D", "DEPTHWISE_CONV_2D") in calls and ("AddAdd", "ADD") in calls
    assert f"MicroMutableOpResolver<{len(ops)}> resolver;" in text
    assert "//   alignas(16) static uint8_t tensor_arena[LEAF_MODEL_ARENA_SIZE];" in text
    assert "tflite::GetModel(leaf_model_tflite)" in text
    assert "input->type == kTfLiteInt8 && input->bytes == LEAF_MODEL_INPUT_BYTES" in text
    assert "#define LEAF_MODEL_INPUT_BYTES 3072\n" in text and "#define LEAF_MODEL_NUM_OUTPUTS 2\n" in text
    assert "(float)(output->data.int8[i] - LEAF_MODEL_OUTPUT_ZERO_POINT) * LEAF_MODEL_OUTPUT_SCALE" in text
    _compiles_against_tflm_api(tmp_path, "leaf model.h", text)
    compile_with_tflm_flags(tmp_path, "leaf model.h", "LEAF_MODEL_INPUT_BYTES == 3072")   # C builds ignore it


def test_a_sensor_header_s_usage_fills_the_input_with_its_ready_made_function(tmp_path):
    text, *_ = export_sensor(tmp_path, "conv1d", {"width": 4, "depth": 2, "orientation": "invariant"})
    ops = tflite_info(parse_c_header_bytes(text, "pump model"))["operators"]
    assert [op for _, op in _resolver_calls(text)] == ops
    assert "//     pump_model_prepare_window(window, interpreter->input(0)->data.int8);" in text
    assert "//   int model_predict(const float* window) {" in text
    _compiles_against_tflm_api(tmp_path, "pump model.h", text)


def test_every_resolver_method_named_exists_and_an_unknown_operator_gets_a_comment_not_a_guess():
    assert set(RESOLVER_METHODS.values()) <= set(TFLM_ADD_METHODS)
    for op, method in {"CONV_2D": "AddConv2D", "DEPTHWISE_CONV_2D": "AddDepthwiseConv2D",
                       "FULLY_CONNECTED": "AddFullyConnected", "SOFTMAX": "AddSoftmax", "ADD": "AddAdd",
                       "MEAN": "AddMean", "MAX_POOL_2D": "AddMaxPool2D", "AVERAGE_POOL_2D": "AddAveragePool2D",
                       "RESHAPE": "AddReshape", "QUANTIZE": "AddQuantize", "DEQUANTIZE": "AddDequantize",
                       "PAD": "AddPad", "RELU": "AddRelu", "RELU6": "AddRelu6"}.items():
        assert RESOLVER_METHODS[op] == method
    text = c_header_text(b"TFL3" * 8, name="m", labels=[], input_scale=1.0, input_zero_point=0, output_scale=0.5,
                         output_zero_point=0, arena_bytes=2048, arena_measured=None, arena_estimated=None,
                         input_shape=(1, 4), ops=["FULLY_CONNECTED", "MADE_UP_OP"], output_shape=(1, 1))
    assert "//     resolver.AddFullyConnected();  // FULLY_CONNECTED\n" in text
    assert "//     // MADE_UP_OP: no MicroMutableOpResolver method known to Edgeling for this operator:" in text
    assert "AddMadeUpOp" not in text and "resolver.AddMADE" not in text
    assert "//   float model_predict() {" in text     # a regression model returns its value
