"""int8 arithmetic of the TFLite quantization specification.

- weights: int8 symmetric (zero point 0, range [-127, 127]); per-channel on the output channel for conv
  (axis 0) and on axis 3 for depthwise conv, per-tensor for fully connected;
- activations: int8 asymmetric per-tensor, from calibrated ranges widened to include 0;
- biases: int32, scale = input_scale * weight_scale (per channel), zero point 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class QParams:
    scale: np.ndarray
    zero_point: np.ndarray
    axis: int = 0

    @property
    def scalar_scale(self) -> float:
        return float(self.scale.reshape(-1)[0])

    @property
    def scalar_zero_point(self) -> int:
        return int(self.zero_point.reshape(-1)[0])


SOFTMAX_OUTPUT = QParams(np.array([1.0 / 256.0], np.float32), np.array([-128], np.int64))


def activation_qparams(lo: float, hi: float) -> QParams:
    """Asymmetric int8 parameters for a tensor whose real values lie in [lo, hi] (0 always included)."""
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if not np.isfinite(lo) or not np.isfinite(hi):
        raise ValueError("calibration produced a non-finite value (the model outputs NaN or infinity)")
    scale = (hi - lo) / 255.0
    if scale <= 0.0:
        scale = 1.0 / 255.0
    scale = float(np.float32(scale))
    zp = int(np.clip(round(-128.0 - lo / scale), -128, 127))
    return QParams(np.array([scale], np.float32), np.array([zp], np.int64))


def clamp_for_activation(lo: float, hi: float, activation: str) -> tuple[float, float]:
    """The output range of an op with a fused ReLU / ReLU6: the clamp is what implements it in int8."""
    if activation == "relu":
        return 0.0, max(hi, 0.0)
    if activation == "relu6":
        return 0.0, min(max(hi, 0.0), 6.0)
    return lo, hi


WEIGHT_AXIS = {"conv2d": 0, "depthwise_conv2d": 3, "dense": None}
"""The axis each layer kind's weights are quantized along in the .tflite layout (None: one scale for the whole
tensor). QAT's fake quantization (``compress.fakequant``) takes its scales from here, as the writer does."""


def weight_scales(w: np.ndarray, axis: int | None) -> np.ndarray:
    """The symmetric int8 scales of weights ``w``: per-channel along ``axis``, or one when ``axis`` is None."""
    w = np.asarray(w, np.float32)
    if axis is None:
        amax = np.array([np.max(np.abs(w))], np.float32)
    else:
        other = tuple(i for i in range(w.ndim) if i != axis)
        amax = np.max(np.abs(w), axis=other).astype(np.float32)
    return np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)


def quantize_weights(w: np.ndarray, axis: int | None) -> tuple[np.ndarray, QParams]:
    """Symmetric int8 weights; per-channel along ``axis`` or per-tensor when ``axis`` is None."""
    w = np.asarray(w, np.float32)
    scale = weight_scales(w, axis)
    shape = [1] * w.ndim
    if axis is not None:
        shape[axis] = -1
    q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, QParams(scale, np.zeros(scale.shape, np.int64), axis or 0)


def quantize_bias(bias: np.ndarray, input_scale: float, weight: QParams) -> tuple[np.ndarray, QParams]:
    """int32 bias with scale input_scale * weight_scale (as many scales as the weights have), zp 0."""
    scale = (np.float64(input_scale) * weight.scale.astype(np.float64)).astype(np.float32)
    q = np.round(np.asarray(bias, np.float64) / scale.astype(np.float64))
    q = np.clip(q, -(2 ** 31) + 1, 2 ** 31 - 1).astype(np.int32)
    return q, QParams(scale, np.zeros(scale.shape, np.int64), 0)


def quantize(x: np.ndarray, qp: QParams) -> np.ndarray:
    return np.clip(np.round(np.asarray(x, np.float32) / qp.scalar_scale) + qp.scalar_zero_point,
                   -128, 127).astype(np.int8)


def dequantize(q: np.ndarray, qp: QParams) -> np.ndarray:
    return (np.asarray(q, np.float32) - qp.scalar_zero_point) * qp.scalar_scale
