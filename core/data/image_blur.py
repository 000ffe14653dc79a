"""Photos much blurrier than the rest of their class, and photos that show almost nothing.

Sharpness is the variance of the Laplacian of the greyscale picture, divided by the picture's own variance
(its contrast), so a dark or dull photo is not taken for a blurry one. It is measured on the picture the
import has just decoded, at the import's common size (224x224 for phone photos), so it does not depend on
a photo's resolution and costs no second decode.

A photo is flagged when its sharpness is an outlier far below its class's (robust statistics on the log:
median and MAD), and at least ``MIN_RATIO`` times below the class's median, so a class of photos that are
all equally soft flags nothing; and always at ``MAX_RATIO`` times below it, however widely the class varies. A class with fewer than ``MIN_PHOTOS`` photos is compared with the whole
folder instead. A photo of nearly one flat colour (a lens cap, a pocket) is flagged when its class's photos
are not flat. The check runs only for pictures imported at ``MIN_SIDE`` pixels or more (small drawings,
scans and icons are not photos) and for ``MIN_PHOTOS`` or more pictures (fewer have no typical sharpness).
"""

from __future__ import annotations

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.sentences import counted, verb

MIN_SIDE = 64          # pictures imported smaller than this are not checked
MIN_PHOTOS = 20        # photos needed to know what a typical one looks like
OUTLIER_Z = 3.5        # robust z-score (median and MAD of the log sharpness) below which a photo is blurry
MIN_RATIO = 4.0        # ... and at least this many times less sharp than the median of its class
MAX_RATIO = 25.0       # ... and always when this many times less sharp, however widely the class's photos vary
FLAT_STD = 4.0         # levels: a picture whose grey and colour values spread less than this shows almost nothing
_GREY = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601, as Pillow's convert("L")


def applies(side: int, count: int) -> bool:
    """Whether an import of ``count`` pictures at ``side`` x ``side`` pixels is checked at all."""
    return side >= MIN_SIDE and count >= MIN_PHOTOS


def grey(arr: np.ndarray) -> np.ndarray:
    """The greyscale version of one decoded ``(H, W, C)`` uint8 picture, as ``(H, W)`` float32."""
    return arr[..., 0].astype(np.float32) if arr.shape[-1] == 1 else arr.astype(np.float32) @ _GREY


def measure(arr: np.ndarray, g: np.ndarray | None = None) -> tuple[float, float]:
    """(sharpness, contrast) of one decoded ``(H, W, C)`` uint8 picture: the variance of the Laplacian of
    its greyscale version over the variance of that greyscale version (plus one, so a flat picture divides
    by no zero), and its contrast: the standard deviation of the greyscale values, or of a colour channel when
    that is larger (``colour_spread``). ``g``: that greyscale version, when the
    caller has it already (``grey(arr)``)."""
    g = grey(arr) if g is None else g
    lap = g[1:-1, :-2] + g[1:-1, 2:] + g[:-2, 1:-1] + g[2:, 1:-1] - 4.0 * g[1:-1, 1:-1]
    spread = float(g.var())
    return float(lap.var()) / (spread + 1.0), max(spread ** 0.5, colour_spread(arr))


def colour_spread(arr: np.ndarray) -> float:
    """The largest standard deviation of one colour channel: a green leaf on brown soil can be one grey (the
    vineyard walk: such a photo was called "nearly one flat colour") but its red and green channels spread
    widely. 0 for a grey picture (its grey spread says it all)."""
    if arr.ndim < 3 or arr.shape[-1] < 3:
        return 0.0
    return float(max(arr[..., c].std(dtype=np.float64) for c in range(3)))


def find_blurry(sharpness, contrast, labels) -> tuple[list[int], list[int]]:
    """Indices of the blurry photos (blurriest first) and of the flat ones, compared with their class, or
    with all the photos for a class of fewer than MIN_PHOTOS. Nothing when there are fewer than MIN_PHOTOS
    photos in all."""
    sharpness = np.asarray(sharpness, dtype=np.float64)
    contrast = np.asarray(contrast, dtype=np.float64)
    labels = np.asarray(labels)
    if len(sharpness) < MIN_PHOTOS:
        return [], []
    log_s = np.log(sharpness + 1e-9)
    flat = contrast < FLAT_STD
    everyone = np.ones(len(labels), dtype=bool)
    blurry, flats, how_far = [], [], {}
    for label in np.unique(labels):
        mine = labels == label
        ref = mine if mine.sum() >= MIN_PHOTOS else everyone
        if np.median(contrast[ref]) >= 3 * FLAT_STD:   # a class of flat pictures (colour swatches) is normal
            flats += np.flatnonzero(mine & flat).tolist()
        ref = ref & ~flat
        if ref.sum() < MIN_PHOTOS // 2:
            continue
        median = float(np.median(log_s[ref]))
        spread = 1.4826 * float(np.median(np.abs(log_s[ref] - median)))   # MAD, scaled like a std
        # A class whose photos vary widely (mixed phones, JPEG qualities and noise) had a limit 265 times below
        # its median: none of its 18 blurred photos was flagged while a softer class's were (the vineyard walk)
        limit = median - min(max(OUTLIER_Z * spread, float(np.log(MIN_RATIO))), float(np.log(MAX_RATIO)))
        for i in np.flatnonzero(mine & ~flat & (log_s < limit)).tolist():
            blurry.append(i)
            how_far[i] = log_s[i] - median
    blurry.sort(key=lambda i: how_far[i])
    return blurry, sorted(flats)


def _named(files: list[str], shown: int = 3) -> str:
    head = files[:shown]
    text = ", ".join(head[:-1]) + (" and " if len(head) > 1 else "") + head[-1]
    return text if len(files) <= shown else f"{', '.join(head)} and {len(files) - shown} more"


def report_blurry(sources: list[str], labels, sharpness, contrast, side: int, enlarged: list[bool],
                  report: R.Report) -> None:
    """Add one BLURRY_IMAGE finding to ``report`` when some photos are much blurrier than their class or
    show almost nothing. ``enlarged[i]``: photo i was smaller than ``side`` and was blown up to it."""
    if not applies(side, len(sources)):
        return
    blurry, flat = find_blurry(sharpness, contrast, labels)
    if not blurry and not flat:
        return
    parts = []
    if blurry:
        names = [sources[i] for i in blurry]
        parts.append(f"{counted(len(blurry), 'photo')} {verb(len(blurry), 'looks', 'look')} much blurrier than "
                     f"most photos of their class ({_named(names)}).")
        small = sum(enlarged[i] for i in blurry)
        if small:
            parts.append(f"{small} of them {'is' if small == 1 else 'are'} smaller than {side}x{side} pixels "
                         "and had to be enlarged, which blurs a picture too.")
    if flat:
        parts.append(f"{counted(len(flat), 'photo')} {verb(len(flat), 'shows', 'show')} almost nothing, nearly "
                     f"one flat colour ({_named([sources[i] for i in flat])}).")
    if blurry:
        parts.append("A blurry photo may not show what tells its class apart (the spots of a disease, say), "
                     "so the model learns little or the wrong thing from it, and a blurry test photo makes the "
                     "score less reliable. If the camera the model will run on takes sharp photos, blurry ones "
                     "also test the model on a different kind of photo than it will see.")
    else:     # only photos of nothing: the blur words did not fit them (the regression walk)
        parts.append("A photo of nothing (a lens cap, a pocket) teaches the model nothing about its class, and "
                     "in the test it counts as a photo the model should have known.")
    report.add(R.BLURRY_IMAGE, " ".join(parts),
               "Look at these photos. Remove (or retake) the ones that are out of focus or show nothing; "
               "keep them if the camera in the field blurs its photos too, so the model learns that kind "
               "as well.",
               files=[sources[i] for i in flat + blurry], severity="warning")
