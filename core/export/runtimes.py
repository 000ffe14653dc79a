"""Run an exported file in its real runtime, one prediction at a time, as a device would.

- ``.onnx`` in onnxruntime (inputs in torch layout, as exported);
- ``.tflite`` in LiteRT (``ai_edge_litert``), and int8 files also in TensorFlow Lite Micro
  (``tflite_micro``, Linux x86-64 only), whose allocator reports the arena the model really needs.

Every runner takes network inputs in torch layout (N, C, H, W) / (N, C, L) / (N, F), converts them to the
file's layout, quantizes them for int8 inputs, and returns float outputs (dequantized), one row per sample.
A damaged or truncated file raises ``ExportError`` with a plain message.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

import numpy as np

from edgeling.core.export.errors import ExportError


def damaged(path, detail: str = "") -> ExportError:
    """The plain message for a file its runtime refuses; the runtime's own words go in ``details``."""
    return ExportError(f"The file {path} is damaged or incomplete. Export it again; if the disk was full, "
                       "free some space first.", details={"runtime_message": detail} if detail else None)


def read_model_bytes(path: str | os.PathLike) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ExportError(f"The file {path} does not exist. Check the path, or export the model again.") from None
    except OSError as e:
        raise ExportError(f"The file {path} cannot be read ({e.strerror or e}).") from None


def to_file_layout(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Torch-layout batch -> the layout of a file input of shape ``shape`` (batch first)."""
    x = np.asarray(x, np.float32)
    if tuple(x.shape[1:]) == tuple(shape[1:]):
        return x
    if x.ndim == 4 and len(shape) == 4 and tuple(x.shape[1:]) == (shape[3], shape[1], shape[2]):
        return np.ascontiguousarray(x.transpose(0, 2, 3, 1))
    if x.ndim == 3 and len(shape) == 4 and shape[1] == 1 and tuple(x.shape[1:]) == (shape[3], shape[2]):
        return np.ascontiguousarray(x.transpose(0, 2, 1)[:, None])
    raise ExportError(f"The samples have shape {tuple(x.shape[1:])}, but the exported model expects "
                      f"{tuple(shape[1:])}. Use data prepared for this model.")


class _Runner:
    input_shape: tuple[int, ...]
    times_ms: list[float]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Float outputs for a torch-layout batch, one invoke per sample; times each invoke."""
        x = to_file_layout(x, self.input_shape)
        self.times_ms = []
        out = []
        for sample in x:
            t0 = time.perf_counter()
            out.append(self._run_one(sample[None]))
            self.times_ms.append((time.perf_counter() - t0) * 1000.0)
        return np.stack(out).astype(np.float32) if out else np.zeros((0,), np.float32)

    def _run_one(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class OnnxRunner(_Runner):
    def __init__(self, path: str | os.PathLike):
        import onnxruntime as ort

        from edgeling.core.no_telemetry import disable_runtime_telemetry

        disable_runtime_telemetry(ort)
        data = read_model_bytes(path)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(data, opts, providers=["CPUExecutionProvider"])
        except Exception as e:  # noqa: BLE001 - onnxruntime raises its own exception types
            raise damaged(path, str(e).splitlines()[0][:200]) from None
        inp = self.session.get_inputs()[0]
        self.input_name = inp.name
        self.input_shape = tuple(d if isinstance(d, int) else 1 for d in inp.shape)

    def _run_one(self, x: np.ndarray) -> np.ndarray:
        return self.session.run(None, {self.input_name: x})[0][0]


def _quantize_input(x: np.ndarray, detail: dict) -> np.ndarray:
    if detail["dtype"] != np.int8:
        return x.astype(np.float32)
    scale, zp = detail["scale"], detail["zero_point"]
    return np.clip(np.round(x / scale + zp), -128, 127).astype(np.int8)


def _dequantize_output(y: np.ndarray, detail: dict) -> np.ndarray:
    if detail["dtype"] != np.int8:
        return y.astype(np.float32)
    return (y.astype(np.float32) - detail["zero_point"]) * detail["scale"]


def check_tflite_bytes(data: bytes, path) -> None:
    if len(data) < 16 or data[4:8] != b"TFL3":
        raise damaged(path, "no TFL3 identifier")


REFERENCE_KERNELS = "reference"
"""LiteRT's reference kernels: bit for bit what TensorFlow Lite Micro computes on a microcontroller (its
optimised CMSIS-NN / ESP-NN kernels are made to match them), where LiteRT's default (XNNPACK) kernels round
int8 differently and drift apart layer by layer (a narrow MobileNetV2 at 128 px: 13% of the answers)."""
DEFAULT_KERNELS = "default"


def int8_kernels(device_id: str | None, fmt: str = "tflite-int8") -> str:
    """Which LiteRT kernels give the answers an int8 .tflite gives on the device: the reference kernels
    for a C header and for microcontrollers (TensorFlow Lite Micro), the default ones elsewhere."""
    if fmt == "c-header":
        return REFERENCE_KERNELS
    from edgeling.core.devices.catalogue import find_device

    device = find_device(device_id)     # None: no device, or a custom one removed since
    return REFERENCE_KERNELS if device is not None and device.kind == "microcontroller" else DEFAULT_KERNELS


class LiteRTRunner(_Runner):
    def __init__(self, path: str | os.PathLike, kernels: str = DEFAULT_KERNELS):
        try:
            from ai_edge_litert.interpreter import Interpreter, OpResolverType
        except ImportError:
            raise ExportError("LiteRT (ai-edge-litert) is not installed on this computer (it has no build for "
                              "Intel Macs), so the TFLite file cannot be run here. Export with --no-verify, "
                              "or verify the file on another computer.") from None
        self.kernels = kernels
        data = read_model_bytes(path)
        check_tflite_bytes(data, path)
        try:
            with captured_stderr_fd():  # LiteRT announces its XNNPACK delegate on stderr
                resolver = OpResolverType.BUILTIN_REF if kernels == REFERENCE_KERNELS else OpResolverType.AUTO
                self.interp = Interpreter(model_content=data, num_threads=1,
                                          experimental_op_resolver_type=resolver)
                self.interp.allocate_tensors()
        except (ValueError, RuntimeError) as e:
            raise damaged(path, str(e).splitlines()[0][:200]) from None
        i, o = self.interp.get_input_details()[0], self.interp.get_output_details()[0]
        self.in_detail = {"index": i["index"], "dtype": i["dtype"], "scale": i["quantization"][0],
                          "zero_point": i["quantization"][1]}
        self.out_detail = {"index": o["index"], "dtype": o["dtype"], "scale": o["quantization"][0],
                           "zero_point": o["quantization"][1]}
        self.input_shape = tuple(int(d) for d in i["shape"])

    def _run_one(self, x: np.ndarray) -> np.ndarray:
        self.interp.set_tensor(self.in_detail["index"], _quantize_input(x, self.in_detail))
        self.interp.invoke()
        return _dequantize_output(self.interp.get_tensor(self.out_detail["index"])[0], self.out_detail)


@contextlib.contextmanager
def captured_stderr_fd():
    """Capture what C++ code writes to file descriptor 2 (TFLite Micro prints there); yields a list that
    holds the text after the block."""
    out: list[str] = []
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        saved = os.dup(2)
        try:
            os.dup2(tmp.fileno(), 2)
            yield out
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            out.append(tmp.read().decode("utf-8", "replace"))


def micro_available() -> bool:
    try:
        from tflite_micro.python.tflite_micro import runtime  # noqa: F401
    except Exception:  # noqa: BLE001 - not installed / not built for this platform
        return False
    return True


MAX_TRIED_ARENA = 512 * 1024 * 1024


class MicroRunner(_Runner):
    """TensorFlow Lite Micro. ``arena_bytes`` is the arena its recording allocator actually used."""

    def __init__(self, path: str | os.PathLike, arena_size: int | None = None):
        """``arena_size`` None: start at 4x the file (at least 64 KB) and double while the arena is too small
        (activations can outweigh the weights many times, e.g. a 224x224 photo); a given size is used as is."""
        from tflite_micro.python.tflite_micro import runtime

        data = read_model_bytes(path)
        check_tflite_bytes(data, path)
        self.arena_size = int(arena_size or max(64 * 1024, 4 * len(data)))
        while True:
            with captured_stderr_fd() as log:
                try:
                    self.interp = runtime.Interpreter.from_bytes(data, arena_size=self.arena_size)
                    break
                except RuntimeError:
                    pass
            too_small = "Failed to resize buffer" in log[0] or "Failed to allocate" in log[0]
            if arena_size is not None or not too_small or self.arena_size >= MAX_TRIED_ARENA:
                raise ExportError(f"TensorFlow Lite Micro could not load {path} with an arena of "
                                  f"{self.arena_size} bytes: {_last_line(log[0])}")
            self.arena_size *= 2
        i, o = self.interp.get_input_details(0), self.interp.get_output_details(0)
        self.in_detail = _micro_detail(i)
        self.out_detail = _micro_detail(o)
        self.input_shape = tuple(int(d) for d in i["shape"])
        self.arena_bytes: int | None = None

    def _run_one(self, x: np.ndarray) -> np.ndarray:
        self.interp.set_input(_quantize_input(x, self.in_detail), 0)
        self.interp.invoke()
        return _dequantize_output(np.asarray(self.interp.get_output(0))[0], self.out_detail)

    def measure_arena(self) -> int:
        """Bytes of arena TFLite Micro's allocator reports it used (call after a prediction)."""
        with captured_stderr_fd() as log:
            self.interp.print_allocations()
        m = re.search(r"Arena allocation total (\d+) bytes", log[0])
        if not m:
            raise ExportError("TensorFlow Lite Micro did not report its arena use.")
        self.arena_bytes = int(m.group(1))
        return self.arena_bytes


def smallest_working_arena(path: str | os.PathLike, sample: np.ndarray, reported: int, upper: int) -> int:
    """The smallest arena (to 16 bytes) with which TFLite Micro loads the model and runs ``sample`` (torch
    layout, batch of one), searched between 3/4 of the allocator's ``reported`` total and ``upper`` (which
    must work). The reported total can be a little short: the memory planner needs room while it plans.
    Far smaller arenas are never tried, as TFLite Micro can crash on arenas of a few hundred bytes."""
    def works(size: int) -> bool:
        try:
            MicroRunner(path, arena_size=size).predict(sample)
        except (ExportError, RuntimeError):
            return False
        return True

    lo, hi = (3 * int(reported) // 4) // 16, -(-int(upper) // 16)  # units of 16 bytes; lo assumed to fail
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if works(mid * 16):
            hi = mid
        else:
            lo = mid
    return hi * 16


def _micro_detail(d: dict) -> dict:
    q = d["quantization_parameters"]
    scales, zps = q["scales"], q["zero_points"]
    return {"dtype": d["dtype"], "scale": float(scales[0]) if len(scales) else 0.0,
            "zero_point": int(zps[0]) if len(zps) else 0}


def _last_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[0] if lines else "unknown error"


LATENCY_SAMPLES = 30


def latency_times_ms(path: str | os.PathLike, runner: _Runner, x: np.ndarray) -> list[float]:
    """Times of one prediction "on this computer" for ``runner``'s last ``predict``: its own, or, when it
    ran LiteRT's reference kernels (slow on a PC, 15x on a MobileNetV2), those of the default kernels on
    the first ``LATENCY_SAMPLES`` of ``x``."""
    if getattr(runner, "kernels", DEFAULT_KERNELS) != REFERENCE_KERNELS:
        return runner.times_ms
    timed = LiteRTRunner(path)
    timed.predict(np.asarray(x[:LATENCY_SAMPLES], np.float32))
    return timed.times_ms


def runner_for(path: str | os.PathLike, kernels: str = DEFAULT_KERNELS) -> _Runner:
    suffix = Path(path).suffix.lower()
    if suffix == ".onnx":
        return OnnxRunner(path)
    if suffix == ".tflite":
        return LiteRTRunner(path, kernels)
    raise ExportError(f"{path} is not an exported model: choose a .onnx or .tflite file.")


def predict_exported(path: str | os.PathLike, x_network_input: np.ndarray) -> np.ndarray:
    """Outputs of an exported .onnx / .tflite file (probabilities for a classifier) for a batch of network
    inputs in torch layout, as the file's runtime computes them."""
    return runner_for(path).predict(x_network_input)


def read_export_metadata(path: str | os.PathLike) -> dict:
    """What an exported file says about itself: class names, task, input shape, front end, precision."""
    suffix = Path(path).suffix.lower()
    data = read_model_bytes(path)
    if not data:
        raise damaged(path, "the file is empty")
    if suffix == ".onnx":
        from edgeling.core.export.onnx_export import read_onnx_metadata

        try:
            return read_onnx_metadata(data)
        except Exception as e:  # noqa: BLE001 - onnx raises DecodeError and others for damaged files
            raise damaged(path, str(e)[:200]) from None
    if suffix == ".tflite":
        from edgeling.core.export.tflite_info import tflite_info

        return tflite_info(data, str(path))["metadata"]
    raise ExportError(f"{path} is not an exported model: choose a .onnx or .tflite file.")
