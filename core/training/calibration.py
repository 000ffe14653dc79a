"""Confidences that mean what they say: after training, one temperature T is fitted on the validation samples
(the T that gives their labels the highest likelihood, as Guo et al. 2017 calibrate networks) and folded into
the last layer, whose weights and bias are divided by T. Every answer stays the same (dividing all the logits
of a sample by one number keeps their order); only how sure the model says it is changes.

Why: training with label smoothing, dropout and augmentation leaves small networks unsure of answers they get
right. The speech walk's run was right 97% of the time while saying it was 72% sure on average, so a right
answer read "aide (43%)", which a reader takes as "probably wrong". Folded into the weights, the calibration is
in the run's best.pt and so in every file exported from it: the device says the same percentages as the app.

Left as it is: a regression, a run with fewer than ``MIN_SAMPLES`` validation samples (one temperature from a
handful of samples says little), a network whose last layer is not a plain ``nn.Linear`` giving the class
scores, a fit within 5% of 1, and a model surer than it is right (T above 1): flattening its scores would bring
the classes closer together, where int8's rounding flips answers (a model that has hardly learnt exported with
3 of 42 answers changed), and the app already warns of answers surer than the test bears out
(``answer_trust``).
"""

from __future__ import annotations

import math

import numpy as np
import torch

MIN_SAMPLES = 20
PRIOR_SAMPLES = 50
"""The fitted temperature is trusted in proportion n / (n + PRIOR_SAMPLES) of the n validation samples (on a log
scale, towards 1): the regression walk's word models, fitted on 36 clips that scored 42%, said 45% sure on a
test they got 31% right."""
TEMPERATURES = np.exp(np.linspace(math.log(0.05), math.log(5.0), 161))
"""The temperatures tried (from 0.05, twenty times surer, to 5, five times less sure)."""
NO_CHANGE = 0.05


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature (from ``TEMPERATURES``) that gives the labels ``y`` the highest mean log-likelihood, among
    those whose mean confidence stays at or below the accuracy counted with one right and one wrong answer more
    ((right + 1) / (n + 2)): when every validation answer is right, the likelihood grows without end as the
    temperature falls, and 36 right answers do not make a model 100% sure of the next one."""
    logits = np.asarray(logits, np.float64)
    y = np.asarray(y, np.int64)
    rows = np.arange(len(y))
    cap = (int((logits.argmax(1) == y).sum()) + 1) / (len(y) + 2)
    best, best_nll = None, math.inf
    for t in TEMPERATURES:
        logp = _log_softmax(logits / t)
        nll = -logp[rows, y].mean()
        if nll < best_nll and (np.exp(logp.max(axis=1)).mean() <= cap or t >= 1.0):
            best, best_nll = float(t), nll
    return best if best is not None else 1.0


def mean_confidence(logits: np.ndarray, temperature: float = 1.0) -> float:
    """How sure the model says it is of its answers, on average (the top class's probability)."""
    return float(np.exp(_log_softmax(np.asarray(logits, np.float64) / temperature).max(axis=1)).mean())


def final_layer(model, num_classes: int):
    """The ``nn.Linear`` that gives the class scores: the last one in the network, when it has one output per
    class; None otherwise."""
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    last = linears[-1] if linears else None
    return last if last is not None and last.out_features == num_classes and last.bias is not None else None


@torch.no_grad()
def _logits(model, data, channels_last: bool, batch_size: int = 512) -> np.ndarray:
    from edgeling.core.training.loop import to_layout

    out = [model(to_layout(data.inputs(slice(i, i + batch_size)), channels_last)).float().cpu().numpy()
           for i in range(0, len(data), batch_size)]
    return np.concatenate(out) if out else np.zeros((0, 0), np.float32)


@torch.no_grad()
def calibrate(model, val, num_classes: int, channels_last: bool = False) -> dict | None:
    """Fit a temperature on ``val`` (the validation ``TensorData``) and fold it into ``model``'s last layer, in
    place. Returns what was done (``temperature``, the validation accuracy and mean confidence before and
    after), with ``folded`` False when the model was left as it is; None when it cannot be calibrated."""
    if val is None or len(val) < MIN_SAMPLES:
        return None
    layer = final_layer(model, num_classes)
    if layer is None:
        return None
    was_training = model.training
    model.eval()
    try:
        logits = _logits(model, val, channels_last)
        y = val.y.detach().cpu().numpy().astype(np.int64)
        fitted = fit_temperature(logits, y)
        t = float(math.exp(math.log(fitted) * len(y) / (len(y) + PRIOR_SAMPLES)))
        found = {"temperature": round(t, 4), "fitted": round(fitted, 4), "samples": int(len(y)),
                 "val_accuracy": float((logits.argmax(1) == y).mean()),
                 "confidence_before": round(mean_confidence(logits), 4),
                 "confidence_after": round(mean_confidence(logits, t), 4), "folded": False}
        if t > 1.0 / (1.0 + NO_CHANGE):    # only an unsure model is made surer (see the module text)
            found["confidence_after"] = found["confidence_before"]
            return found
        weight, bias = layer.weight.detach().clone(), layer.bias.detach().clone()
        layer.weight.div_(t)
        layer.bias.div_(t)
        again = _logits(model, val, channels_last)
        if not np.allclose(again, logits / t, rtol=1e-4, atol=1e-4 * max(1.0, float(np.abs(logits).max()))):
            layer.weight.copy_(weight)     # something after the layer is not linear in it: left as it was
            layer.bias.copy_(bias)
            return None
        found["folded"] = True
        return found
    finally:
        model.train(was_training)


def calibration_words(found: dict | None) -> str | None:
    """The log's sentence: "How sure the model says it is was calibrated on the 36 validation samples: ..."."""
    if not found or not found.get("folded"):
        return None
    return (f"How sure the model says it is was calibrated on the {found['samples']} validation samples: it was right "
            f"on {found['val_accuracy']:.0%} of them and said it was {found['confidence_before']:.0%} sure on average; "
            f"now {found['confidence_after']:.0%}. Its answers are the same.")
