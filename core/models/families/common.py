"""Plain helpers shared by the family modules (no torch): resolutions, defaults, grid ordering."""

from __future__ import annotations

from collections.abc import Callable

from edgeling.core.models import signal_features as sf

RESOLUTIONS = (16, 24, 32, 48, 64, 96, 128, 160, 224)


def native_side(spec) -> int:
    h, w = spec.sample_shape[:2]
    return int(min(h, w))


def image_resolutions(spec, minimum: int = 16, count: int = 3) -> list[int]:
    """Up to ``count`` input sides for images, the largest being the imported size (never upscaled)."""
    native = native_side(spec)
    sides = sorted({r for r in RESOLUTIONS if minimum <= r < native} | {native})
    return sides[-count:]


def default_resolution(spec, cap: int) -> int:
    native = native_side(spec)
    if native <= cap:
        return native
    return max(r for r in RESOLUTIONS if r <= cap)


def image_frontend(knobs: dict) -> dict:
    return {"type": "image", "resolution": int(knobs["resolution"])}


def has_axis_groups(spec) -> bool:
    c = spec.sample_shape[1] if len(spec.sample_shape) > 1 else 1
    return bool(sf.find_axis_groups(sf.channel_names(spec.meta, c)))


def default_orientation(spec) -> str:
    """Orientation-free features whenever the data has a 3-axis sensor (it may be held any way)."""
    return "invariant" if has_axis_groups(spec) else "axes"


def ordered(grid: list[dict], cost: Callable[[dict], float]) -> list[dict]:
    """Grid entries from small to large capacity (by a rough multiply-accumulate count), no repeats."""
    seen, out = set(), []
    for k in sorted(grid, key=cost):
        key = tuple(sorted(k.items()))
        if key not in seen:
            seen.add(key)
            out.append(k)
    return out
