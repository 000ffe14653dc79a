"""Decoding one image file the way Edgeling always does it, at import and at prediction time alike.

Formats are recognised by content (Pillow), not by file name: PNG, JPEG, BMP and WebP. The EXIF orientation
is applied, transparency is flattened onto white, 16-bit greyscale is scaled to 8 bits, and the image is
made square without squashing it: the short side is scaled to the target side and the centre is cropped
(``RESIZE``). Failures raise ``ImageReadError`` with a reason in plain words.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from edgeling.core.data import report as R

RESIZE = "short-side+center-crop"
RESAMPLE = "bilinear"
ALPHA = "composited on white"

# Pillow's format name -> the name users know. MPO is how Pillow names many phone-camera JPEGs.
SUPPORTED_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "BMP": "BMP", "DIB": "BMP", "WEBP": "WebP"}
GREY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
_SIXTEEN_BIT = {"I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
_ORIENTATION = 0x0112
TRUNCATED = "the file ends early (truncated)"
_NOT_SUPPORTED = "Edgeling reads PNG, JPEG, BMP and WebP images; convert it to PNG or JPEG"


class ImageReadError(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass
class ImageHeader:
    width: int
    height: int
    mode: str
    format: str


def probe(data: bytes) -> ImageHeader:
    """Read only the header of an image held in ``data``: size, colour mode and format."""
    return open_image(data)[1]


@contextlib.contextmanager
def quiet_pillow():
    """Silence Pillow's warnings (odd EXIF, large pictures): problems are reported, not printed. An import
    enters this once around its loop and passes ``quiet=False`` to skip the per-image cost."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def open_image(data: bytes, quiet: bool = True) -> tuple[Image.Image, ImageHeader]:
    """Open (but do not decode) the image held in ``data``; raise ImageReadError if it is not one we read."""
    if not data:
        raise ImageReadError(R.EMPTY_FILE, "the file is empty (0 bytes)")
    try:
        with quiet_pillow() if quiet else contextlib.nullcontext():
            im = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise ImageReadError(R.CORRUPT_FILE, "the picture is too large to open safely "
                                             "(more than about 180 million pixels)") from None
    except Exception:  # Pillow raises many kinds; any of them means "not an image we can read"
        raise ImageReadError(R.CORRUPT_FILE, describe_unreadable(data)) from None
    fmt = im.format or "unknown"
    if fmt not in SUPPORTED_FORMATS:
        if _looks_like_text(data):
            raise ImageReadError(R.CORRUPT_FILE, "the file holds text, not an image")
        raise ImageReadError(R.CORRUPT_FILE, f"it is a {fmt} image, and {_NOT_SUPPORTED}")
    w, h = im.size
    if w < 1 or h < 1:
        raise ImageReadError(R.CORRUPT_FILE, "the picture has no pixels (its width or height is 0)")
    return im, ImageHeader(int(w), int(h), im.mode, SUPPORTED_FORMATS[fmt])


def describe_unreadable(data: bytes) -> str:
    """Why ``data`` is not an image, in words a user understands."""
    head = data[:16]
    if head.startswith(b"\x89PNG"):
        return TRUNCATED if b"IEND" not in data[-64:] else "the PNG data is damaged"
    if head.startswith(b"\xff\xd8"):
        return TRUNCATED if b"\xff\xd9" not in data[-1024:] else "the JPEG data is damaged"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return f"it is an AVIF picture, and {_NOT_SUPPORTED}"
        if brand[:3] in (b"hei", b"hev", b"mif", b"msf"):
            return f"it is a HEIC photo (the iPhone format), and {_NOT_SUPPORTED}"
        return "it is a video or other media file, not an image"
    if head.startswith(b"%PDF"):
        return "it is a PDF document, not an image"
    if head.startswith(b"PK\x03\x04"):
        return "it is a ZIP archive (or an Office document), not an image; unpack it first"
    if _looks_like_text(data):
        return "the file holds text, not an image"
    return "its content is not a PNG, JPEG, BMP or WebP image"


def _looks_like_text(data: bytes) -> bool:
    sample = data[:1024]
    if not sample or b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return sum(c.isprintable() or c in "\r\n\t" for c in text) >= 0.95 * len(text)


def _reason_for_decode_error(err: BaseException) -> str:
    msg = str(err).lower()
    if isinstance(err, EOFError) or any(s in msg for s in ("truncat", "ends early", "broken data stream",
                                                           "premature end", "incomplete")):
        return TRUNCATED
    if isinstance(err, Image.DecompressionBombError):
        return "the picture is too large to open safely (more than about 180 million pixels)"
    if isinstance(err, MemoryError):
        return "the picture is too large to decode in the memory available"
    return "the image data is damaged"


def decode_square(source, side: int, grey: bool, checked: bool = False, quiet: bool = True) -> np.ndarray:
    """Decode ``source`` (bytes, a path or a PIL image) into a ``(side, side, C)`` uint8 array, C = 1 when
    ``grey`` else 3. ``checked`` says ``probe`` already accepted these bytes. Raises ImageReadError."""
    try:
        with quiet_pillow() if quiet else contextlib.nullcontext():
            if isinstance(source, Image.Image):
                im = source
            else:
                data = source if isinstance(source, bytes | bytearray) else _read(source)
                if not checked:
                    probe(data)
                im = Image.open(io.BytesIO(data))
            im = _square(im, side, "L" if grey else "RGB")
            arr = np.asarray(im, dtype=np.uint8)
    except ImageReadError:
        raise
    except Exception as e:  # a damaged file must never crash an import: say what is wrong with it
        raise ImageReadError(R.CORRUPT_FILE, _reason_for_decode_error(e)) from None
    return arr[:, :, None] if arr.ndim == 2 else arr


def _read(path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise ImageReadError(R.CORRUPT_FILE, f"the file could not be opened ({e.strerror or e})") from None


def _square(im: Image.Image, side: int, mode: str) -> Image.Image:
    if im.format in ("JPEG", "MPO"):
        # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while decoding (much faster for photos);
        # the requested size keeps the short side at least ``side``.
        w, h = im.size
        s = min(w, h)
        if s > 2 * side:
            im.draft(mode, (math.ceil(w * side / s), math.ceil(h * side / s)))
    im.load()
    if im.getexif().get(_ORIENTATION, 1) != 1:
        im = ImageOps.exif_transpose(im)
    im = _to_mode(im, mode)
    w, h = im.size
    s = min(w, h)
    box = ((w - s) / 2, (h - s) / 2, (w + s) / 2, (h + s) / 2)
    if (w, h) == (side, side):
        return im
    return im.resize((side, side), Image.BILINEAR, box=box)


def _to_mode(im: Image.Image, mode: str) -> Image.Image:
    if im.mode in _SIXTEEN_BIT:
        a = np.asarray(im).astype(np.float64)
        top = 65535.0 if im.mode.startswith("I;16") or a.max(initial=0) > 255 else 255.0
        if im.mode == "F" and a.max(initial=0) <= 1.0:
            top = 1.0
        im = Image.fromarray(np.clip(a * (255.0 / top) + 0.5, 0, 255).astype(np.uint8), "L")
    if im.mode == mode:
        return im
    has_alpha = im.mode in ("RGBA", "LA", "La", "RGBa", "PA") or (
        im.mode in ("P", "L", "RGB") and "transparency" in im.info)
    if has_alpha:
        rgba = im.convert("RGBA")
        bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(bg, rgba)
    return im.convert(mode)


def is_grey(arr: np.ndarray) -> bool:
    """True when an (H, W, 3) image has equal red, green and blue everywhere."""
    return bool(np.array_equal(arr[..., 0], arr[..., 1]) and np.array_equal(arr[..., 1], arr[..., 2]))

