"""First import vs cached reopen of 10,000 small images, measured side by side in one run.

    python bench/import_cache.py [--images 10000] [--size 24] [--rounds 3]

Each round makes a fresh cache folder, imports the folder (decode + checks + splits, then the cache is
written), and reopens it (cache key over every file's path, size and mtime, then memory-mapped arrays).
Prints the median of each and the ratio. Target: ratio >= 10.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def make_images(root: Path, n: int, size: int, classes: int = 10) -> None:
    from PIL import Image

    rng = np.random.default_rng(0)
    for c in range(classes):
        (root / f"class_{c}").mkdir(parents=True, exist_ok=True)
    for i in range(n):
        c = i % classes
        arr = rng.integers(0, 256, (size, size), dtype=np.uint8)
        arr[: size // 2, : c + 1] = 255  # a little class signal, and no two files alike
        Image.fromarray(arr).save(root / f"class_{c}" / f"img_{i:05d}.png")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=10000)
    ap.add_argument("--size", type=int, default=24)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from edgeling.core.data.load import open_dataset

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "images"
        t0 = time.perf_counter()
        make_images(data, args.images, args.size)
        print(f"made {args.images} PNG files of {args.size}x{args.size} in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)
        firsts, reopens = [], []
        for r in range(args.rounds):
            os.environ["EDGELING_CACHE_DIR"] = str(Path(tmp) / f"cache{r}")
            t0 = time.perf_counter()
            ds = open_dataset(data)
            firsts.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            again = open_dataset(data)
            int(np.asarray(again.x[-1]).sum())  # touch the data so a lazy load is not free
            reopens.append(time.perf_counter() - t0)
            assert again.num_samples == ds.num_samples == args.images
            print(f"round {r + 1}: first import {firsts[-1]:.3f} s, cached reopen {reopens[-1]:.3f} s",
                  file=sys.stderr)
        first, reopen = statistics.median(firsts), statistics.median(reopens)
        ratio = first / reopen
        print(f"images: {args.images}  first import (median): {first:.3f} s  cached reopen (median): "
              f"{reopen:.3f} s  ratio: {ratio:.1f}x  (target >= 10x: {'met' if ratio >= 10 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
