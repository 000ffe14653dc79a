"""Photos that are the same picture saved again: resized, recompressed or converted (a copy sent through a
messaging app and saved back, a photo exported smaller), which a hash of the file's bytes does not find.

Each photo's fingerprint is taken from the picture the import has just decoded, so it costs no second
decode: its greyscale version box-averaged down to 16 x 17 cells. Two photos are near-duplicates when

1. their 256-bit difference hashes (dHash: is each cell brighter than its left neighbour?) differ in at most
   ``MAX_BITS`` bits, which finds the candidates quickly, and
2. no cell differs by more than ``MAX_CELL_DIFF`` grey levels, which leaves out two photos of one scene that
   differ in one place: the same leaf with and without spots has nearly the same hash.

Measured at the 224-pixel import size phone photos get, on 16 photos (12 real, 4 synthetic leaves, one of
them dull and low in contrast) saved again in 14 ways, each compared with the original:

- found: all 16 for JPEG quality 95 to 30, PNG, WebP, halved, thirded or doubled (at most 36 bits and 8.1
  grey levels apart); 15 for JPEG quality 15 (not the dull leaf: 94 bits) and for a 64-pixel thumbnail;
- mostly not found, as edits rather than copies: +20% contrast (4 found), +15% brightness (0), 2% cropped
  off (2);
- not found: the same photos with 3 or 6 spots painted on (0 of 32: their hashes are only 3 to 19 bits
  apart, so the hash alone would take them for copies, but some cell differs by 11.2 to 194 grey levels),
  the framing moved by 2%, 5% or 10% (0 of 36), and the 120 pairs of different photos (75 bits or more).

At 96 and 64 pixels the results are the same, but for the 64-pixel thumbnails (all 16 found). The hashes
of dull photos with smooth backgrounds vary most: resized copies of such synthetic leaves (the ones in
``tests/core/test_near_duplicates.py``) are up to 41 bits apart, though no cell differs by 2.5 grey levels.

On a reviewer's 612 vineyard photos (single lobed leaves on blurred backgrounds, all much alike, with 6
exact and 4 re-saved copies), at 224, 96 and 64 pixels: the 3 resized copies filed in the wrong class and the
re-saved copy in its own class are found (0 to 8 bits, at most 0.6 grey levels apart), and none of the other
185,735 pairs (the nearest 73 bits apart at 224 pixels; at 64 pixels one pair is 63 bits apart, and its
cells rule it out). A 64-bit dHash (8 x 9 cells) was measured too: there the copies are up to 1 bit apart
and two different leaves 3 bits, too close to choose a limit between them; the 256-bit one costs nearly the
same.

The check runs only on photos: pictures imported at ``MIN_SIDE`` pixels or more (at 32 pixels the same photo
decoded from a JPEG or from a PNG differs by up to 35 grey levels at sharp edges, so copies are missed), from
files ``MIN_PHOTO_SIDE`` pixels or more on their short side, that are not one flat colour. Small drawings and
scans are left out: their copies are nearly always exact (found by their bytes), and two people draw a 1
alike: in the bundled 16 x 16 digits, the hash alone pairs 785,680 of the 1,613,706 pairs of different
digits within 64 bits (1,002,721 when imported at 64 pixels); the cell check rejects them all, but there is
nothing to gain from comparing them.

The fingerprint is grey, so a pair must also have the same average colour, within ``MAX_COLOUR_DIFF``
levels per channel: the scale walk's green and purple stripes of one brightness were paired. On 8 of the
synthetic leaves saved again in 11 of the ways above (JPEG quality 95 to 15, halved, thirded, doubled, WebP,
PNG, a 64-pixel thumbnail), a copy's average colour moved by at most 3.5 levels.

Candidates are found with numpy on the packed hashes (XOR and bit count, a block of rows at a time), not
with a Python loop over pairs: 0.17 s for 3,000 photos, 1 s for 10,000. Taking the fingerprints adds about
0.15 s to the import of 600 photos (of about 9 s, nearly all of it decoding).

Each photo is also compared turned by 90, 180 and 270 degrees: a phone photo sent through a messaging app
often loses its EXIF rotation and comes back turned (the vineyard re-walk's copy in the wrong class was
missed). That is four fingerprints per photo (0.5 ms each at 224 pixels) and three more passes over the
pairs: 0.56 s for 3,000 photos here, measured with random fingerprints. Each is also compared mirrored (a
selfie camera's copy, or one flipped in an editor), four passes more: 3,000 random fingerprints took 0.54-0.61 s
with them against 0.27-0.35 s without, measured side by side.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

ROWS, COLUMNS = 16, 17  # cells of a fingerprint; a dHash compares each with its left neighbour: 16 x 16 bits
MAX_BITS = 64           # bits (of 256) in which the hashes of two copies of one photo may differ
MAX_CELL_DIFF = 10.0    # grey levels by which a cell of one copy may differ from the other's
MAX_COLOUR_DIFF = 12.0  # levels (of 255) by which a copy's average red, green or blue may differ
MIN_SIDE = 64           # pictures imported smaller than this are not compared
TURNS = 8               # a photo is also compared turned by 90, 180 and 270 degrees, and mirrored (each turn)
MIN_PHOTO_SIDE = 64     # files smaller than this on their short side are not compared
FLAT_STD = 1.0          # grey levels: a picture spread less than this (one flat colour) is not compared
_WORDS = ROWS * (COLUMNS - 1) // 64
_BLOCK_CELLS = 1 << 22   # pairs compared at once (a few tens of MB of work space)
_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def applies(side: int) -> bool:
    """Whether pictures imported at ``side`` x ``side`` pixels are compared at all."""
    return side >= MIN_SIDE


def comparable(width: int, height: int, grey: np.ndarray) -> bool:
    """Whether one photo (its file's size, and its decoded greyscale picture) is compared with the others."""
    return min(width, height) >= MIN_PHOTO_SIDE and float(grey.std()) >= FLAT_STD


def fingerprint(grey: np.ndarray) -> np.ndarray:
    """The fingerprints of a greyscale picture (``(H, W)`` float32) as it is and turned a quarter, a half and
    three quarters (a copy whose EXIF rotation a messaging app dropped is the same photo turned), then the same
    four of its mirror image (a selfie camera's copy, or one flipped in an editor):
    ``(TURNS, ROWS, COLUMNS)`` float32, each its mean grey level in ``ROWS`` x ``COLUMNS`` cells."""
    grey = np.asarray(grey, dtype=np.float32)
    return np.stack([np.asarray(Image.fromarray(np.ascontiguousarray(np.rot90(side, k)), "F")
                                .resize((COLUMNS, ROWS), Image.BOX), dtype=np.float32)
                     for side in (grey, grey[:, ::-1]) for k in range(TURNS // 2)])


def colour(picture: np.ndarray) -> np.ndarray:
    """A picture's average colour (``(H, W, C)`` uint8 -> ``(3,)`` float32; grey pictures repeat their grey):
    the fingerprint is grey, and two photos alike in grey but not in colour are not copies (the scale walk's
    green and purple stripes were paired)."""
    mean = np.asarray(picture, dtype=np.float32).reshape(-1, np.shape(picture)[-1]).mean(axis=0)
    return np.resize(mean, 3).astype(np.float32)


def hashes(prints: np.ndarray) -> np.ndarray:
    """The difference hashes of fingerprints ``(N, ROWS, COLUMNS)``: ``(N, 4)`` uint64."""
    bits = prints[:, :, 1:] > prints[:, :, :-1]
    return np.packbits(bits.reshape(len(prints), -1), axis=1).view(np.uint64)


def distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Bits differing between each hash of ``a`` (rows) and each of ``b`` (columns): ``(len(a), len(b))``."""
    a, b = np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64)
    out = np.zeros((len(a), len(b)), dtype=np.uint16)
    for w in range(a.shape[1]):
        x = a[:, w, None] ^ b[None, :, w]
        if hasattr(np, "bitwise_count"):        # numpy 2
            out += np.bitwise_count(x)
        else:                                    # numpy 1: count each byte's bits from a table
            out += _POPCOUNT[x.view(np.uint8).reshape(x.shape + (8,))].sum(axis=-1, dtype=np.uint16)
    return out


def close_pairs(codes: np.ndarray, max_bits: int = MAX_BITS) -> np.ndarray:
    """Every pair ``(i, j)``, i < j, of rows of ``codes`` (``(N, 4)`` uint64 hashes) within ``max_bits``
    bits, in order: ``(K, 2)`` int64."""
    codes = np.asarray(codes, dtype=np.uint64).reshape(-1, _WORDS)
    n = len(codes)
    found = [np.empty((0, 2), dtype=np.int64)]
    block = max(1, _BLOCK_CELLS // max(1, n))
    for start in range(0, n, block):
        d = distances(codes[start:start + block], codes[start:])
        rows, cols = np.nonzero(d <= max_bits)
        keep = cols > rows                       # column c is sample start + c: only pairs i < j
        found.append(np.stack([rows[keep], cols[keep]], axis=1).astype(np.int64) + start)
    return np.concatenate(found)


def close_pairs_between(a: np.ndarray, b: np.ndarray, max_bits: int = MAX_BITS) -> np.ndarray:
    """Every pair ``(i, j)``, i != j, with row i of ``a`` within ``max_bits`` bits of row j of ``b`` (the same
    photos' hashes taken two ways): ``(K, 2)`` int64."""
    a = np.asarray(a, dtype=np.uint64).reshape(-1, _WORDS)
    b = np.asarray(b, dtype=np.uint64).reshape(-1, _WORDS)
    found = [np.empty((0, 2), dtype=np.int64)]
    block = max(1, _BLOCK_CELLS // max(1, len(b)))
    for start in range(0, len(a), block):
        rows, cols = np.nonzero(distances(a[start:start + block], b) <= max_bits)
        rows = rows + start
        keep = rows != cols
        found.append(np.stack([rows[keep], cols[keep]], axis=1).astype(np.int64))
    return np.concatenate(found)


def find(prints: list, groups: list[str], colours: list | None = None) -> np.ndarray:
    """Pairs of samples ``(i, j)``, i < j, that look like the same photo saved again, as ``(K, 2)`` int64:
    ``prints[i]`` is sample i's fingerprint, or None when it is not compared; ``colours[i]`` its average
    colour (``colour``), which a copy's may differ from by at most ``MAX_COLOUR_DIFF`` per channel. Exact
    copies (the same ``groups``) are left out: they are duplicates already."""
    compared = np.array([i for i, p in enumerate(prints) if p is not None], dtype=np.int64)
    if len(compared) < 2:
        return np.empty((0, 2), dtype=np.int64)
    stacked = np.stack([np.asarray(prints[i]).reshape(-1, ROWS, COLUMNS) for i in compared.tolist()])
    upright = hashes(stacked[:, 0])
    found = []
    for turn in range(stacked.shape[1]):        # i upright against j upright, then j turned
        candidates = close_pairs(upright) if turn == 0 else close_pairs_between(upright, hashes(stacked[:, turn]))
        alike = np.zeros(len(candidates), dtype=bool)
        step = _BLOCK_CELLS // (ROWS * COLUMNS)
        for start in range(0, len(candidates), step):
            a, b = candidates[start:start + step].T
            alike[start:start + step] = np.abs(stacked[a, 0] - stacked[b, turn]).max(axis=(1, 2)) <= MAX_CELL_DIFF
        found.append(np.sort(candidates[alike], axis=1))
    pairs = compared[np.unique(np.concatenate(found), axis=0)] if found else np.empty((0, 2), dtype=np.int64)
    if colours is not None and len(pairs):
        tint = np.stack([np.asarray(c if c is not None else np.full(3, np.nan), np.float32) for c in colours])
        pairs = pairs[~(np.abs(tint[pairs[:, 0]] - tint[pairs[:, 1]]) > MAX_COLOUR_DIFF).any(axis=1)]
    _, group_ids = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    return pairs[group_ids[pairs[:, 0]] != group_ids[pairs[:, 1]]]


def components(n: int, pairs) -> np.ndarray:
    """For nodes 0..n-1 joined by ``pairs``, the smallest node of each one's connected set (numpy: a photo
    saved again many times, or thousands of frames of a still camera, make many pairs)."""
    label = np.arange(n)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return label
    a, b = pairs[:, 0], pairs[:, 1]
    while True:
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]                           # jump to the smallest node found so far
        if np.array_equal(new, label):
            return label
        label = new


def sets_of(pairs) -> list[list[int]]:
    """The pairs joined into sets of samples (a photo, its copy and the copy's copy), each sorted, in the
    order of their first sample."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return []
    members = np.unique(pairs)
    label = components(int(members[-1]) + 1, pairs)[members]
    order = np.lexsort((members, label))
    members, label = members[order], label[order]
    cuts = np.flatnonzero(np.diff(label)) + 1
    return [part.tolist() for part in np.split(members, cuts)]


def merge_groups(groups: list[str], pairs) -> list[str]:
    """``groups`` with the groups of each near-duplicate pair joined into one, named by the smallest of them
    (so the result does not depend on the order of the files): a photo and its copy then always share a
    split, and so do the exact copies of either."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return list(groups)
    names, ids = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)  # sorted names
    label = components(len(names), ids[pairs])
    return names[label[ids]].tolist()
