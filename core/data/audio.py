"""Audio importer: a folder with one subfolder per class of WAV files (or anything else soundfile reads:
FLAC, OGG, AIFF, MP3).

Every clip becomes one float32 mono waveform in [-1, 1] at one sample rate and one length: stereo is mixed
down (mean of the channels), other rates are resampled with a band-limited filter (``resample.py``), short
clips are padded with silence at the end and long ones cut to their loudest stretch. ``meta`` keeps the
recipe so ``preprocess_audio`` prepares a new recording exactly the same way at prediction time.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections import Counter
from pathlib import Path

import numpy as np
import soundfile as sf

from edgeling.core.data import report as R
from edgeling.core.data.checks import finish_dataset
from edgeling.core.data.dataset import DataError, Dataset
from edgeling.core.data.formats import AUDIO_EXTS
from edgeling.core.data.ordering import natural_key, order_by_class
from edgeling.core.data.resample import resample
from edgeling.core.data.sample_array import new_sample_array, shrink
from edgeling.core.data.skipped_files import SkippedFiles

VERSION = 1

DEFAULT_RATE = 16000
MIN_CLIP_S, MAX_CLIP_S = 0.25, 10.0
SILENCE_PEAK = 10 ** (-60 / 20)   # a clip whose loudest sample is below -60 dB of full scale is silent
KEEP_BYTES_BUDGET = 256 << 20
MIN_FILE_RATE, MAX_FILE_RATE = 1000, 384000   # what real recordings use; anything else is a damaged header


class AudioReadError(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


def import_dataset(path: Path, options) -> Dataset:
    root = Path(path)
    if not root.is_dir():
        raise DataError(f"{root} is not a folder. Choose a folder with one subfolder per class of WAV files.")
    report = R.Report()
    files, class_names = _list_audio_files(root, report)
    if not files:
        loose = [f for p in report.by_code(R.UNLABELLED_FILE) for f in p.files]
        where = (f"The {len(loose)} recording(s) in {root} sit directly in it, not in class subfolders, so "
                 "their class is unknown. If this is one class, choose the folder above it. " if loose else
                 f"No audio files were found in class subfolders of {root}. ")
        raise DataError(where + "Put the recordings of each class in its own subfolder (for example yes/ "
                        "and no/), as WAV files.", files=[f for p in report.problems for f in p.files])
    skipped = SkippedFiles("audio")
    class_index = {c: i for i, c in enumerate(class_names)}

    # Pass 1: read each file, hash it, read its header (rate, length, channels).
    probed = []  # (rel, class index, sha1, sf.info, bytes or None)
    kept = 0
    for rel, label in files:
        got = _read_or_skip(skipped, rel, lambda rel=rel: _with_probe((root / rel).read_bytes()))
        if got is None:
            continue
        data, info = got
        keep = kept + len(data) <= KEEP_BYTES_BUDGET
        kept += len(data) if keep else 0
        probed.append((rel, class_index[label], hashlib.sha1(data).hexdigest(), info, data if keep else None))

    rate = _choose_rate(options)
    clip_s = _choose_clip_s(options, [info.frames / info.samplerate for *_, info, _ in probed])
    length = int(round(clip_s * rate))

    # Pass 2: decode, mix down, resample, pad or cut.
    x = new_sample_array((len(probed), length), np.float32)
    y, sources, groups = [], [], []
    rates, src_rates, stereo, padded, cut, silent = Counter(), [], [], [], [], []
    for rel, label, digest, _info, data in probed:
        got = _read_or_skip(skipped, rel, lambda rel=rel, data=data: _decode(
            data if data is not None else (root / rel).read_bytes()))
        if got is None:
            continue
        signal, sr, channels = got
        clip, how = fit_clip(_to_rate(signal, sr, rate), length)
        x[len(y)] = clip
        y.append(label)
        sources.append(rel)
        groups.append(digest)
        rates[sr] += 1
        src_rates.append(sr)
        if channels > 1:
            stereo.append(rel)
        (padded if how == "padded" else cut if how == "cut" else []).append(rel)
        if float(np.max(np.abs(clip), initial=0.0)) < SILENCE_PEAK:
            silent.append(rel)
    x = shrink(x, len(y))

    skipped.report_to(report)
    _report_conversions(report, rate, clip_s, rates, zip(sources, src_rates), stereo, padded, cut, silent)
    meta = {"sample_rate": rate, "clip_s": clip_s, "original_rates": {str(r): n for r, n in sorted(rates.items())},
            "mixdown": "mean of channels", "pad": "silence at the end", "cut": "loudest window",
            "labels_from": "folders"}
    return finish_dataset(kind="audio", task="classification", x=x, y=np.asarray(y, dtype=np.int64),
                          class_names=class_names, sources=sources, groups=groups, root=str(root),
                          meta=meta, report=report, content_groups=True, seed=getattr(options, "seed", 0))


def preprocess_audio(path, meta: dict) -> np.ndarray:
    """Prepare one recording exactly as the clips of a dataset with ``meta`` were prepared: a ``(T,)``
    float32 waveform. Raises DataError naming the file when it cannot be read."""
    rate = int(meta["sample_rate"])
    try:
        with open(path, "rb") as f:
            data = f.read()
        _probe(data)
        signal, sr, _ = _decode(data)
    except OSError as e:
        raise DataError(f"{path} could not be opened ({e.strerror or e}).", files=[str(path)]) from None
    except AudioReadError as e:
        raise DataError(f"{path} could not be read as audio: {e.reason}. Choose a WAV file.",
                        files=[str(path)]) from None
    return fit_clip(_to_rate(signal, sr, rate), int(round(float(meta["clip_s"]) * rate)))[0]


def _to_rate(signal: np.ndarray, sr: int, rate: int) -> np.ndarray:
    """Resample to ``rate``; a band-limited filter can overshoot near full-scale edges, so clip again."""
    if sr == rate:
        return signal
    return np.clip(resample(signal, sr, rate), -1.0, 1.0)


def fit_clip(signal: np.ndarray, length: int) -> tuple[np.ndarray, str]:
    """Pad ``signal`` with silence at the end, or cut it to its loudest ``length`` samples. Returns the clip
    and "padded", "cut" or "exact"."""
    n = len(signal)
    if n == length:
        return signal.astype(np.float32, copy=False), "exact"
    if n < length:
        out = np.zeros(length, np.float32)
        out[:n] = signal
        return out, "padded"
    energy = np.concatenate([[0.0], np.cumsum(np.square(signal, dtype=np.float64))])
    window = energy[length:] - energy[:-length]
    start = int(np.argmax(window > window.max() * (1 - 1e-9)))  # the earliest of equally loud windows
    return np.ascontiguousarray(signal[start:start + length], dtype=np.float32), "cut"


def _read_or_skip(skipped, rel: str, read):
    """``read()``, or None after noting why ``rel`` was left out (unreadable, or not audio we can decode)."""
    try:
        return read()
    except OSError as e:
        skipped.add(R.CORRUPT_FILE, rel, f"the file could not be opened ({e.strerror or e})")
    except AudioReadError as e:
        skipped.add(e.code, rel, e.reason)
    return None


def _with_probe(data: bytes):
    return data, _probe(data)


def _probe(data: bytes):
    if not data:
        raise AudioReadError(R.EMPTY_FILE, "the file is empty (0 bytes)")
    try:
        info = sf.info(io.BytesIO(data))
    except Exception:  # soundfile raises several kinds; any means "not audio we can read"
        raise AudioReadError(R.CORRUPT_FILE, _describe_unreadable(data)) from None
    if not MIN_FILE_RATE <= info.samplerate <= MAX_FILE_RATE or info.channels <= 0:
        raise AudioReadError(R.CORRUPT_FILE, f"the file's header is damaged (it claims {info.samplerate} "
                                             f"samples per second and {info.channels} channels)")
    if info.frames <= 0:
        raise AudioReadError(R.CORRUPT_FILE, "the file has a header but no sound in it (0 samples)")
    return info


def _decode(data: bytes) -> tuple[np.ndarray, int, int]:
    """Mono float32 samples in [-1, 1], the sample rate and the number of channels in the file."""
    try:
        samples, sr = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except Exception:
        raise AudioReadError(R.CORRUPT_FILE, _describe_unreadable(data)) from None
    if samples.size == 0:
        raise AudioReadError(R.CORRUPT_FILE, "the file has a header but no sound in it (0 samples)")
    channels = samples.shape[1]
    # the mean of the channels (a matrix product: numpy's mean over a short axis is very slow)
    mono = samples @ np.full(channels, 1.0 / channels, np.float32) if channels > 1 else samples[:, 0]
    mono = np.clip(np.nan_to_num(mono, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)
    return mono.astype(np.float32, copy=False), int(sr), int(samples.shape[1])


def _describe_unreadable(data: bytes) -> str:
    head = data[:12]
    if head.startswith(b"RIFF") and len(data) < 12:
        return (f"it is a damaged or incomplete WAV file (its RIFF header stops after {len(data)} bytes, "
                "before any sound)")
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        if len(data) <= 44:
            return "the file has a header but no sound in it"
        return "the WAV data is damaged or uses an encoding Edgeling cannot read"
    if head[:4] in (b"\x89PNG", b"%PDF") or head[:2] == b"\xff\xd8":
        return "it is a picture or document, not a recording"
    try:
        data[:512].decode("utf-8")
        return "the file holds text, not sound"
    except UnicodeDecodeError:
        pass
    return "its content is not a WAV (or FLAC, OGG, AIFF, MP3) recording"


def _list_audio_files(root: Path, report: R.Report) -> tuple[list[tuple[str, str]], list[str]]:
    files, loose, other = [], [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX")
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for name in filenames:
            if name.startswith(".") or name.lower() in ("thumbs.db", "desktop.ini"):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if os.path.splitext(name)[1].lower() not in AUDIO_EXTS:
                other.append(rel)
            elif rel_dir == ".":
                loose.append(rel)
            else:
                files.append((rel, rel.split("/", 1)[0]))
    class_names, files = order_by_class(files)
    if loose:
        report.add(R.UNLABELLED_FILE,
                   f"{len(loose)} recording(s) sit directly in the chosen folder, not in a class subfolder, so "
                   "Edgeling does not know their class. They were not used.",
                   "Move each file into the subfolder named after its class (for example yes/).",
                   files=sorted(loose, key=natural_key), severity="warning")
    if other:
        report.add(R.IGNORED_FILE,
                   f"{len(other)} file(s) are not audio files by their name and were not read.",
                   "Nothing to do if they are notes or other files. If they are recordings, save them as WAV.",
                   files=sorted(other, key=natural_key), severity="info")
    return files, class_names


def _choose_rate(options) -> int:
    rate = getattr(options, "audio_rate", None)
    if rate is None:
        return DEFAULT_RATE
    if not 1000 <= int(rate) <= 192000:
        raise DataError(f"The sample rate {rate} Hz is outside 1000..192000 Hz. Choose a rate such as 16000.")
    return int(rate)


def _choose_clip_s(options, durations: list[float]) -> float:
    clip_s = getattr(options, "clip_s", None)
    if clip_s is not None:
        if not 0.05 <= float(clip_s) <= 60:
            raise DataError(f"The clip length {clip_s} s is outside 0.05..60 seconds. Choose a length such "
                            "as 1 second.")
        return float(clip_s)
    if not durations:
        return 1.0
    p90 = float(np.percentile(durations, 90))
    return float(np.clip(round(p90, 1), MIN_CLIP_S, MAX_CLIP_S))


def _report_conversions(report, rate, clip_s, rates, source_rates, stereo, padded, cut, silent) -> None:
    other = {r: n for r, n in rates.items() if r != rate}
    if other:
        parts = [f"{n} file(s) from {r} Hz" for r, n in sorted(other.items())]
        files = [s for s, r in source_rates if r != rate]
        report.add(R.SAMPLE_RATE_MISMATCH,
                   f"Resampled {' and '.join(parts)} to {rate} Hz, so every clip has the same sample rate. "
                   "Sounds above half the new rate are removed.",
                   "Nothing to do. If your device records at another rate, choose that rate for the import.",
                   files=files, severity="info")
    if padded or cut:
        words = []
        if padded:
            words.append(f"{len(padded)} clip(s) shorter than {clip_s:g} s were padded with silence at the end")
        if cut:
            words.append(f"{len(cut)} longer clip(s) were cut to their loudest {clip_s:g} s")
        report.add(R.LENGTH_MISMATCH,
                   f"The clips have different lengths: {'; '.join(words)}.",
                   "Nothing to do unless the sound you care about is longer than the clip length; then "
                   "choose a longer clip length.", files=padded + cut, severity="info")
    if stereo:
        report.add(R.STEREO_MIXED_DOWN,
                   f"{len(stereo)} recording(s) have two or more channels (stereo) and were mixed down to one.",
                   "Nothing to do: most small devices record one channel.", files=stereo, severity="info")
    if silent:
        report.add(R.SILENT_CLIP,
                   f"{len(silent)} clip(s) are silent (nothing louder than -60 dB). The model cannot learn a "
                   "class from silence, and these may be failed recordings.",
                   "Listen to them; record them again or delete them.", files=silent, severity="warning")
