"""Recordings of hours (a hive, a machine: longer than ``audio_windows.LONG_READ_S``), imported without holding
them whole, and the level of a recording (clipped, or beyond full scale).

The import read a recording's bytes (for their digest) and decoded it whole to take its 300 clips: 8 hours at
48 kHz is 2.8 GB of bytes and 5.5 GB of samples. For a recording that long, here its digest is the hash of its
bytes read piece by piece (the same hash as of its bytes whole, so a copy is found whatever its length), the
header checks read only the bytes they look at (``FileBytes``), and its sound is read once from its start, a
block at a time, keeping only the stretches its clips come from: the same clips as decoding it whole
(``audio_windows.stretches``) and the same level. Once from its start, not by seeking to each clip: seeking in
an MP3 does not land on the same samples (and an MP3 is read whole: ``is_long``).
"""

from __future__ import annotations

import hashlib
import os

import numpy as np
import soundfile as sf

from edgeling.core.data import audio_windows
from edgeling.core.data import report as R
from edgeling.core.data.audio_files import describe_unreadable

CLIPPED_LEVEL = 0.999      # a sample this close to full scale is at the limit of what the recorder could take
CLIPPED_SAMPLES = 10       # ... and this many of them (and at least 1 in 1,000) say the recording was clipped
OVER_RANGE = 1.0001        # a float file's sample beyond full scale (+-1) is cut there
BLOCK = 1 << 16            # frames decoded at a time
HASH_CHUNK = 4 << 20       # bytes hashed at a time


class AudioReadError(Exception):
    """A file the audio importer cannot use: ``code`` is the report's, ``reason`` says why in plain words."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


def level(samples: np.ndarray) -> str:
    """"over" (a float file louder than full scale), "clipped" (many samples at the limit) or "" of ``samples``
    (all the file's channels)."""
    return _level_of(*_level_counts(samples))


def _level_counts(samples: np.ndarray) -> tuple[float, int, int]:
    peak = np.abs(np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0))
    return float(peak.max(initial=0.0)), int(np.count_nonzero(peak >= CLIPPED_LEVEL)), int(peak.size)


def _level_of(loudest: float, at_limit: int, size: int) -> str:
    if loudest > OVER_RANGE:
        return "over"
    return "clipped" if at_limit >= max(CLIPPED_SAMPLES, size // 1000) else ""


class FileBytes:
    """A file's bytes, read only where they are looked at (a slice; its length is the file's size): what
    ``cut_off_wav`` (a WAV's header) and ``describe_unreadable`` (its first bytes) read of a long recording."""

    def __init__(self, path):
        self.path = path
        self.size = os.path.getsize(path)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, part: slice) -> bytes:
        start, stop, _ = part.indices(self.size)
        with open(self.path, "rb") as f:
            f.seek(start)
            return f.read(max(0, stop - start))


def is_long(info) -> bool:
    """Whether a file with this header (``sf.info``) is read piece by piece. Not an MP3: libsndfile decodes one
    a little differently (by up to 0.2 in one tried) as it is read in other pieces: it is read whole, as before."""
    return info.samplerate > 0 and info.frames / info.samplerate > audio_windows.LONG_READ_S \
        and info.format != "MP3"


def probe(path) -> tuple[FileBytes, object, str] | None:
    """(its bytes as ``FileBytes``, its header, the sha1 of its bytes) of a recording longer than ``LONG_READ_S``;
    None for any other file, or one whose header soundfile cannot read (read it whole, which says why)."""
    try:
        info = sf.info(str(path))
    except Exception:  # noqa: BLE001 - soundfile raises several kinds
        return None
    if not is_long(info):
        return None
    digest = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(HASH_CHUNK), b""):
            digest.update(chunk)
    return FileBytes(path), info, digest.hexdigest()


def read_clips(path, rate: int, length: int, most: int) -> tuple[np.ndarray, np.ndarray, int, int, int, str]:
    """(float32 (n, length) clips at ``rate``, their starts, the file's rate, channels, frames, level) of a long
    recording, as ``audio_windows.cut_clips`` cuts it decoded whole (at most ``most`` clips), reading it once
    from its start a block at a time. AudioReadError when its sound cannot be read (OSError: not opened)."""
    try:
        return _read_clips(path, rate, length, most)
    except OSError:
        raise
    except Exception:  # noqa: BLE001 - soundfile raises several kinds; any means "not audio we can read"
        raise AudioReadError(R.CORRUPT_FILE, describe_unreadable(FileBytes(path))) from None


def _read_clips(path, rate: int, length: int, most: int) -> tuple[np.ndarray, np.ndarray, int, int, int, str]:
    with sf.SoundFile(str(path)) as f:
        sr, channels = int(f.samplerate), int(f.channels)
        _, starts, firsts, need = audio_windows.stretches(sr, int(f.frames), rate, length, most)
        clips = np.zeros((len(starts), length), np.float32)
        counts = [0.0, 0, 0]    # the loudest sample, how many are at the limit, how many there are
        reading: dict[int, np.ndarray] = {}     # clip -> its stretch, being filled
        pos = waiting = 0

        def finish(i: int, stretch: np.ndarray) -> None:
            piece = audio_windows.stretch_clip(stretch, int(starts[i]), firsts[i], sr, rate, length)
            clips[i, :len(piece)] = piece

        for block in f.blocks(BLOCK, dtype="float32", always_2d=True):
            loudest, at_limit, size = _level_counts(block)
            counts = [max(counts[0], loudest), counts[1] + at_limit, counts[2] + size]
            end = pos + len(block)
            while waiting < len(starts) and firsts[waiting] < end:
                reading[waiting] = np.zeros((need, channels), np.float32)
                waiting += 1
            for i in list(reading):
                low, high = max(pos, firsts[i]), min(end, firsts[i] + need)
                reading[i][low - firsts[i]:high - firsts[i]] = block[low - pos:high - pos]
                if firsts[i] + need <= end:
                    finish(i, reading.pop(i))
            pos = end
    if pos == 0:
        raise ValueError("no sound in the file")
    for i, stretch in reading.items():        # the last stretches stop at the end of the file
        finish(i, stretch[:pos - firsts[i]])
    return clips, starts, sr, channels, pos, _level_of(*counts)
