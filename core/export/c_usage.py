"""The C header's ready-to-paste TensorFlow Lite Micro usage, as a comment: the op resolver with the exact
``MicroMutableOpResolver`` method for each operator the model uses, the tensor arena, ``tflite::GetModel``,
the interpreter, the checks that the input is int8 of the size the header says, and how to read the output.

The firmware walk: the header named the operators as TFLite builtins (CONV_2D, FULLY_CONNECTED) and left the
firmware person to find the resolver's method names, declare the arena and check the input. A comment, so it
cannot break a C build; the tests compile it as C++11 with TensorFlow Lite Micro's warning flags against the
methods of tensorflow/lite/micro/micro_mutable_op_resolver.h."""

from __future__ import annotations

# TFLite builtin operator -> MicroMutableOpResolver method, each checked against
# tensorflow/lite/micro/micro_mutable_op_resolver.h (tflite-micro, 2022).
_METHODS = """
ABS Abs  ADD Add  ADD_N AddN  ARG_MAX ArgMax  ARG_MIN ArgMin  ASSIGN_VARIABLE AssignVariable
AVERAGE_POOL_2D AveragePool2D  BATCH_TO_SPACE_ND BatchToSpaceNd  BROADCAST_ARGS BroadcastArgs
BROADCAST_TO BroadcastTo  CALL_ONCE CallOnce  CAST Cast  CEIL Ceil  CONCATENATION Concatenation  CONV_2D Conv2D
COS Cos  CUMSUM CumSum  DEPTH_TO_SPACE DepthToSpace  DEPTHWISE_CONV_2D DepthwiseConv2D  DEQUANTIZE Dequantize
ELU Elu  EQUAL Equal  EXP Exp  EXPAND_DIMS ExpandDims  FILL Fill  FLOOR Floor  FLOOR_DIV FloorDiv
FLOOR_MOD FloorMod  FULLY_CONNECTED FullyConnected  GATHER Gather  GATHER_ND GatherNd  GREATER Greater
GREATER_EQUAL GreaterEqual  HARD_SWISH HardSwish  IF If  L2_NORMALIZATION L2Normalization  L2_POOL_2D L2Pool2D
LEAKY_RELU LeakyRelu  LESS Less  LESS_EQUAL LessEqual  LOG Log  LOGICAL_AND LogicalAnd  LOGICAL_NOT LogicalNot
LOGICAL_OR LogicalOr  LOGISTIC Logistic  MAXIMUM Maximum  MAX_POOL_2D MaxPool2D  MIRROR_PAD MirrorPad  MEAN Mean
MINIMUM Minimum  MUL Mul  NEG Neg  NOT_EQUAL NotEqual  PACK Pack  PAD Pad  PADV2 PadV2  PRELU Prelu
QUANTIZE Quantize  READ_VARIABLE ReadVariable  REDUCE_MAX ReduceMax  RELU Relu  RELU6 Relu6  RESHAPE Reshape
RESIZE_BILINEAR ResizeBilinear  RESIZE_NEAREST_NEIGHBOR ResizeNearestNeighbor  ROUND Round  RSQRT Rsqrt
SHAPE Shape  SIN Sin  SLICE Slice  SOFTMAX Softmax  SPACE_TO_BATCH_ND SpaceToBatchNd  SPACE_TO_DEPTH SpaceToDepth
SPLIT Split  SPLIT_V SplitV  SQUEEZE Squeeze  SQRT Sqrt  SQUARE Square  STRIDED_SLICE StridedSlice  SUB Sub
SVDF Svdf  TANH Tanh  TRANSPOSE_CONV TransposeConv  TRANSPOSE Transpose  UNPACK Unpack
UNIDIRECTIONAL_SEQUENCE_LSTM UnidirectionalSequenceLSTM  VAR_HANDLE VarHandle  WHILE While  ZEROS_LIKE ZerosLike
""".split()
RESOLVER_METHODS: dict[str, str] = {op: "Add" + name for op, name in zip(_METHODS[::2], _METHODS[1::2])}

BEGIN = "// ---- Using it with TensorFlow Lite Micro"
END = "// ---- (end of the TensorFlow Lite Micro usage)"


def resolver_lines(ops: list[str]) -> list[str]:
    """``resolver.AddConv2D();  // CONV_2D`` per operator; an operator without a known method gets a comment
    that says so instead of a guessed name."""
    out = []
    for op in ops:
        method = RESOLVER_METHODS.get(op)
        if method:
            out.append(f"resolver.{method}();  // {op}")
        else:
            out += [f"// {op}: no MicroMutableOpResolver method known to Edgeling for this operator:",
                    "// look for it in tensorflow/lite/micro/micro_mutable_op_resolver.h (or use AddCustom())."]
    return out


def usage_block(ident: str, macro: str, ops: list[str], *, header_file: str, classifier: bool,
                prepare_window: bool, prepare_clip: bool = False, recordings: bool = False) -> str:
    """The usage as // lines (C++, TensorFlow Lite Micro from 2022 on: the interpreter takes no
    ErrorReporter). ``prepare_window`` / ``prepare_clip``: the header has that ready-made function.
    ``recordings``: the model learnt clips cut from long recordings (``audio_windows``): a recording's answer is
    the mean of its clips' (the re-walk: the header answered per clip, and nothing said to average)."""
    ops = list(ops)
    fill = ([f"// window: {macro}_WINDOW_READINGS x {macro}_NUM_SENSOR_CHANNELS floats, as",
             f"// {ident}_prepare_window() below says",
             f"{ident}_prepare_window(window, interpreter->input(0)->data.int8);"] if prepare_window else
            [f"// samples: {macro}_CLIP_SAMPLES 16-bit samples, as {ident}_prepare_clip() below says",
             f"{ident}_prepare_clip(samples, interpreter->input(0)->data.int8);"] if prepare_clip else
            [f"// fill interpreter->input(0)->data.int8 with the {macro}_INPUT_BYTES int8 values of one",
             "// input, quantized as this file says"])
    signature = ("(const float* window)" if prepare_window else "(const short* samples)" if prepare_clip
                 else "()")
    if classifier:
        answer = ["const TfLiteTensor* output = interpreter->output(0);",
                  "int best = 0;",
                  "float best_p = -1.0f;",
                  f"for (int i = 0; i < {macro}_NUM_OUTPUTS; i++) {{",
                  f"  const float p = (float)(output->data.int8[i] - {macro}_OUTPUT_ZERO_POINT) * {macro}_OUTPUT_SCALE;",
                  "  if (p > best_p) { best_p = p; best = i; }",
                  "}",
                  f"return best;  // {ident}_labels[best], with probability best_p"]
        kind, fail = "int", "-1"
    else:
        answer = ["const TfLiteTensor* output = interpreter->output(0);",
                  f"return (float)(output->data.int8[0] - {macro}_OUTPUT_ZERO_POINT) * {macro}_OUTPUT_SCALE;"]
        kind, fail = "float", "0.0f"
    code = ["#include <stdint.h>",
            '#include "tensorflow/lite/micro/micro_interpreter.h"',
            '#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"',
            '#include "tensorflow/lite/schema/schema_generated.h"',
            f'#include "{header_file}"',
            "",
            f"alignas(16) static uint8_t tensor_arena[{macro}_ARENA_SIZE];",
            "static tflite::MicroInterpreter* interpreter = nullptr;",
            "",
            "bool model_setup() {  // once, at start-up; false: see the comment on the failing line",
            f"  static tflite::MicroMutableOpResolver<{max(len(ops), 1)}> resolver;  // the model's {len(ops)} operators",
            *("  " + line for line in resolver_lines(ops)),
            f"  const tflite::Model* model = tflite::GetModel({ident}_tflite);",
            "  if (model->version() != 3) return false;  // TFLite schema version 3 (TFLITE_SCHEMA_VERSION)",
            f"  static tflite::MicroInterpreter static_interpreter(model, resolver, tensor_arena, {macro}_ARENA_SIZE);",
            "  interpreter = &static_interpreter;",
            "  if (interpreter->AllocateTensors() != kTfLiteOk) return false;  // the arena is too small",
            "  const TfLiteTensor* input = interpreter->input(0);",
            f"  return input->type == kTfLiteInt8 && input->bytes == {macro}_INPUT_BYTES;  // else: not this model",
            "}",
            "",
            f"{kind} model_predict{signature} {{  // per input: "
            + ("the index of the most probable label" if classifier else "the predicted value"),
            *("  " + line for line in fill),
            f"  if (interpreter->Invoke() != kTfLiteOk) return {fail};",
            *("  " + line for line in answer),
            "}"]
    if recordings and classifier:
        code += ["",
                 f"// The model learnt {macro}_CLIP_SAMPLES-sample clips cut one after another from long recordings. "
                 "For the",
                 "// answer about a whole recording (as Edgeling's predict and Try it give it), run each clip in "
                 "turn,",
                 "// skip silent ones (every sample below 33 of 32768: -60 dB), add up each label's probability "
                 "p over",
                 "// the clips (p as in model_predict) and take the label with the largest sum."]
    head = [BEGIN + " (C++, paste it into one .cpp file; here it is only a comment)",
            f"// Each output value q (int8) dequantised: (q - {macro}_OUTPUT_ZERO_POINT) * {macro}_OUTPUT_SCALE."]
    return "\n".join(head + [("//   " + line).rstrip() for line in code] + [END]) + "\n"


def uncommented(header_text: str) -> str:
    """The usage block of a header as C++ again (the tests compile it)."""
    block = header_text.split(BEGIN, 1)[1].split(END, 1)[0]
    return "\n".join(line[5:] for line in block.splitlines() if line.startswith("//   ")) + "\n"


def ready_made_function_lines(card: dict, frontend: dict) -> list[str]:
    """For a C header with a ready-made function that prepares the input (a sensor window, a sound clip): its
    name and how to call it; [] otherwise."""
    if card.get("format") != "c-header" or not card.get("file"):
        return []
    from pathlib import Path

    from edgeling.core.export.c_header import c_identifier
    from edgeling.core.export.c_prepare_audio import prepare_clip_c

    ident = c_identifier(Path(card["file"]).stem)
    if frontend.get("type") == "window":
        return ["", f"The C header does all of these steps in `{ident}_prepare_window(window, input)`: give it one "
                    "window of readings as floats and the input tensor's int8 data."]
    if frontend.get("type") == "audio" and prepare_clip_c("m", "M", frontend):
        return ["", f"The C header does all of these steps in `{ident}_prepare_clip(samples, input)`: give it one "
                    "clip of 16-bit samples, as a PDM microphone gives them, and the input tensor's int8 data. Use "
                    "it instead of the feature code of TensorFlow Lite Micro's micro_speech example, which makes "
                    "other features than the ones this model learnt."]
    return []
