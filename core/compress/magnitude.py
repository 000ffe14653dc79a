"""Global magnitude pruning: zero the smallest weights across all conv and dense layers at once.

While fine-tuning, masks (torch.nn.utils.prune) keep pruned weights at zero; ``make_permanent`` then
folds the masks into plain weights so the state dict has its ordinary keys. Zeros do not shrink a dense
TFLite file or speed up its kernels; they make the file compress well (zip) and are the first step
towards sparse kernels. ``structured.py`` is the pass that really cuts MACs, flash and RAM.
"""

from __future__ import annotations

from torch import nn
from torch.nn.utils import prune


def prunable_weights(model: nn.Module) -> list[tuple[nn.Module, str]]:
    return [(m, "weight") for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


def apply_global_magnitude(model: nn.Module, fraction: float) -> nn.Module:
    if not 0.0 <= fraction < 1.0:
        raise ValueError("the pruning fraction must be at least 0 and below 1")
    params = prunable_weights(model)
    if fraction > 0 and params:
        prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=float(fraction))
    return model


def make_permanent(model: nn.Module) -> nn.Module:
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)) and prune.is_pruned(m):
            prune.remove(m, "weight")
    return model


def sparsity(model: nn.Module) -> float:
    """Fraction of conv and dense weights that are exactly zero."""
    total = zeros = 0
    for m, _ in prunable_weights(model):
        w = m.weight.detach()
        total += w.numel()
        zeros += int((w == 0).sum())
    return zeros / max(1, total)

