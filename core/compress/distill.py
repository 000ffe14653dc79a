"""Distillation: a small student learns from a trained teacher's soft targets plus the labels."""

from __future__ import annotations

import torch
from torch import nn


def distillation_loss(student_logits: torch.Tensor, teacher_logits: torch.Tensor, labels: torch.Tensor,
                      temperature: float = 4.0, alpha: float = 0.7, hard_loss=None) -> torch.Tensor:
    """Hinton et al.: alpha * T^2 * KL(teacher_T || student_T) + (1 - alpha) * cross-entropy(labels).
    ``hard_loss(logits, labels)`` replaces the plain cross-entropy (e.g. the run's class weights and label
    smoothing, so ``alpha=0`` is exactly the run's own training loss)."""
    t = temperature
    soft = nn.functional.kl_div(nn.functional.log_softmax(student_logits / t, dim=1),
                                nn.functional.softmax(teacher_logits / t, dim=1), reduction="batchmean")
    hard = (hard_loss or nn.functional.cross_entropy)(student_logits, labels)
    return alpha * (t * t) * soft + (1.0 - alpha) * hard
