"""Where training runs: CUDA or Apple MPS when present, the CPU otherwise; torch threads for the machine."""

from __future__ import annotations

import os
import sys

_freed_memory_kept: bool | None = None


def keep_freed_memory() -> bool:
    """Let this process keep the memory one training step frees for the next one (Linux with glibc).

    glibc hands large freed blocks back to the kernel (munmap, heap trimming), so every step page-faults
    its activation buffers in again and the kernel zeroes them: on the tutorial CNN that was 1,500-3,600
    page faults per batch and 17-40% of a step's time in the kernel. Raising the mmap threshold to glibc's
    maximum (32 MB) and the trim threshold to 256 MB keeps those buffers in the heap; peak memory is
    unchanged, only memory freed after the peak stays with the process until it exits. Elsewhere (macOS,
    Windows, musl) this does nothing. Returns whether the setting is in effect; runs once per process."""
    global _freed_memory_kept
    if _freed_memory_kept is None:
        _freed_memory_kept = False
        if sys.platform.startswith("linux") and os.environ.get("EDGELING_KEEP_FREED_MEMORY", "1") != "0":
            try:
                import ctypes
                import platform

                if platform.libc_ver()[0] == "glibc":
                    libc = ctypes.CDLL("libc.so.6")
                    m_trim_threshold, m_mmap_threshold = -1, -3
                    _freed_memory_kept = bool(libc.mallopt(m_trim_threshold, 256 << 20)
                                              and libc.mallopt(m_mmap_threshold, 32 << 20))
            except (OSError, AttributeError):
                _freed_memory_kept = False
    return _freed_memory_kept


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def set_threads(num_threads: int | None = None) -> int:
    """Use every core this process may run on (or ``num_threads``) for torch's intra-op pool."""
    import torch

    n = int(num_threads or os.environ.get("EDGELING_THREADS") or usable_cores())
    torch.set_num_threads(n)
    return n


def pick_device(prefer: str | None = None):
    """``prefer`` "cpu" / "cuda" / "mps" or None for the best present."""
    import torch

    if prefer:
        return torch.device(prefer)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int, deterministic: bool = True):
    """Seed torch's global RNG (weight init, dropout) and return a generator for shuffling and
    augmentation. Deterministic algorithms are switched on where that is cheap (warn-only)."""
    import torch

    torch.manual_seed(seed)
    if deterministic:
        torch.use_deterministic_algorithms(True, warn_only=True)
    gen = torch.Generator()
    gen.manual_seed(seed)
    return gen
