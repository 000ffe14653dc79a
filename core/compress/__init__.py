"""Compression passes: int8 quantization (PTQ, QAT), pruning, distillation."""
