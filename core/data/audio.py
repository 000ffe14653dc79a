"""Audio importer: a folder with one subfolder per class of WAV files (or anything else soundfile reads:
FLAC, OGG, AIFF, MP3), or a folder of clips with a CSV naming each clip's label (``label_table.py``: a
researcher's ``file,word,child`` sheet; ``options.target`` names its label column).

Every clip becomes one float32 mono waveform in [-1, 1] at one sample rate and one length: stereo is mixed
down (mean of the channels), other rates are resampled with a band-limited filter (``resample.py``), short
clips are padded with silence at the end and long ones cut to their loudest stretch. ``meta`` keeps the
recipe so ``preprocess_audio`` prepares a new recording exactly the same way at prediction time.

Never trained on, each listed with the reason: files that cannot be read, WAVs cut off with less than half
of the sound their header promises (a copy that did not finish), and silent clips (unless a class holds
nothing else: then they are kept and said). Cut-off files with most of their sound, and very short clips,
are kept with a warning.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile as sf

from edgeling.core.data import audio_long, audio_report, audio_windows, import_progress
from edgeling.core.data import report as R
from edgeling.core.data.audio_files import cut_off_wav, describe_unreadable, list_audio_files
from edgeling.core.data.audio_long import AudioReadError
from edgeling.core.data.audio_report import seconds_words
from edgeling.core.data.checks import finish_dataset
from edgeling.core.data.dataset import DataError, Dataset
from edgeling.core.data.resample import resample
from edgeling.core.data.sample_array import new_sample_array, shrink
from edgeling.core.data.skipped_files import SkippedFiles
from edgeling.core.data.subjects import file_of
from edgeling.core.sentences import counted, verb

VERSION = 21  # 2: silent clips and cut-off WAVs are left out; very short clips are reported; 3: class folders whose
#                names differ only in capitals are reported; 4: clipped or beyond full scale (TOO_LOUD) reported
#             5: a label sheet read; a clip with no take number joins its speaker; LONG_RECORDING; a rate raised
#             6: a sheet's who column keeps each one's clips in one split; 7, 8: a file name as a speaker said
#             9: a sheet's 'label' column first; 10, 12: meta sheet_label_column, sheet_columns; 11: words
#             13: headers without accents, an only-who column said, 2-3 who said as few
#             14: long recordings cut into clips (audio_windows); 15: subjects from names ending in a date
#             16: short said padded, clips_per_prediction; 17: no speakers; 18: 'hives'; 19: '20 s'; 20: 8 kHz
#             21: recordings over 10 minutes read a piece at a time (44.1 kHz ones: 1e-7 off in a few samples)

DEFAULT_RATE = 16000
MIN_CLIP_S, MAX_CLIP_S = 0.25, 10.0
SILENCE_PEAK = 10 ** (-60 / 20)   # a clip whose loudest sample is below -60 dB of full scale is silent
MIN_SOUND_S = 0.05                # a recording shorter than this (or than SHORT_FRACTION of the clip
SHORT_FRACTION = 0.1              # length) holds a click or a false start, not a word
KEEP_BYTES_BUDGET = 256 << 20
MIN_FILE_RATE, MAX_FILE_RATE = 1000, 384000   # what real recordings use; anything else is a damaged header
LONG_CLIP = 3.0   # a recording this many times the clip length holds more than the one word the model hears


def import_dataset(path: Path, options) -> Dataset:
    root = Path(path)
    if not root.is_dir():
        raise DataError(f"{root} is not a folder. Choose a folder with one subfolder per class of WAV files.")
    report = R.Report()
    listing = list_audio_files(root, report, getattr(options, "target", None))
    files, class_names = listing.files, listing.class_names
    if not files and listing.labels_from != "folders":
        raise DataError(f"{listing.labels_from} in {root} does not give a label to any clip in the folder. "
                        "Check that its first column holds the clips' file names (for example "
                        "child07_yes_1.wav) and another their labels.", files=[str(root / listing.labels_from)])
    if not files:
        loose = [f for p in report.by_code(R.UNLABELLED_FILE) for f in p.files]
        where = (f"The {counted(len(loose), 'recording')} in {root} {verb(len(loose), 'sits', 'sit')} directly in it, not in class "
                 f"subfolders, so {verb(len(loose), 'its', 'their')} class is unknown. If this is one class, choose the folder above it. " if loose else
                 f"No audio files were found in class subfolders of {root}. ")
        raise DataError(where + "Put the recordings of each class in its own subfolder (for example yes/ "
                        "and no/), as WAV files.", files=[f for p in report.problems for f in p.files])
    skipped = SkippedFiles("audio")
    class_index = {c: i for i, c in enumerate(class_names)}

    # Pass 1: read each file, hash it, read its header (rate, length, channels); hours of sound are not held.
    probed = []  # (rel, class index, sha1, sf.info, bytes or None)
    cut_off = []  # (rel, seconds the header promises, seconds there, kept)
    kept = 0
    for k, (rel, label) in enumerate(files):
        import_progress.step(k, len(files), "reading the clips")
        got = _read_or_skip(skipped, rel, lambda rel=rel: _read_head(root / rel))
        if got is None:
            continue
        data, info, digest = got
        cut = cut_off_wav(data)
        if cut is not None:
            promised, there = cut
            # Most of the sound there: kept (and said). Less than half, or a few milliseconds: the word is
            # not in it, and a label on it would teach the model noise, so it is left out.
            usable = there >= max(MIN_SOUND_S, promised / 2)
            cut_off.append((rel, promised, there, usable))
            if not usable:
                continue
        keep = isinstance(data, bytes) and kept + len(data) <= KEEP_BYTES_BUDGET
        kept += len(data) if keep else 0
        probed.append((rel, class_index[label], digest, info, data if keep else None))
    import_progress.step(len(files), len(files), "reading the clips")

    rate = _choose_rate(options)
    durations = [info.frames / info.samplerate for *_, info, _ in probed]
    recordings = audio_windows.are_recordings(durations)
    clip_s = _choose_clip_s(options, durations, recordings)
    length = int(round(clip_s * rate))

    # Pass 2: decode, mix down, resample, pad or cut (or, for recordings, cut into clips).
    x = new_sample_array((audio_windows.estimate_clips(durations, clip_s) if recordings else len(probed), length),
                         np.float32)
    rows: list[_Clip] = []
    cut_up: list[tuple[str, float, int, int]] = []   # recordings: (file, seconds, clips, silent clips left out)
    for k, (rel, label, digest, info, data) in enumerate(probed):
        import_progress.step(k, len(probed), "decoding the recordings" if recordings else "decoding the clips")
        if recordings:
            got = _read_or_skip(skipped, rel, lambda rel=rel, data=data, info=info: _recording_clips(
                root / rel, data, info, rate, length))
            if got is None:
                continue
            clips, starts, sr, channels, frames, level = got
            keep, silent = audio_windows.kept_clips(clips)      # all silent: one row, said so
            for clip, start in zip(clips[keep], starts[keep]):
                x[len(rows)] = clip
                rows.append(_Clip(audio_windows.clip_source(rel, start / rate, clip_s), label, digest, sr, channels,
                                  "padded" if frames < sr * clip_s else "exact", frames / sr,
                                  bool(silent.all()), level))
            cut_up.append((rel, frames / sr, int((~silent).sum()), 0 if silent.all() else int(silent.sum())))
            continue
        got = _read_or_skip(skipped, rel, lambda rel=rel, data=data: _decode(
            data if data is not None else (root / rel).read_bytes()))
        if got is None:
            continue
        signal, sr, channels, level = got
        clip, how = fit_clip(_to_rate(signal, sr, rate), length)
        x[len(rows)] = clip
        rows.append(_Clip(rel, label, digest, sr, channels, how, len(signal) / sr,
                          float(np.max(np.abs(clip), initial=0.0)) < SILENCE_PEAK, level))
    import_progress.step(len(probed), len(probed), "decoding the recordings" if recordings else "decoding the clips")
    x = shrink(x, len(rows))
    # Silent clips are left out, unless they are all a class has (then they are kept, and said).
    loud = {r.label for r in rows if not r.silent}
    keep_rows = [i for i, r in enumerate(rows) if not r.silent or r.label not in loud]
    silent_out = [file_of(r.rel) for r in rows if r.silent and r.label in loud]
    silent_kept = [r for r in rows if r.silent and r.label not in loud]
    x = _take_rows(x, keep_rows)
    rows = [rows[i] for i in keep_rows]

    skipped.report_to(report)
    audio_report.report_cut_off(report, cut_off)
    audio_report.report_silent(report, silent_out, silent_kept, class_names)
    audio_windows.report_recordings(report, cut_up, clip_s)
    files = list({file_of(r.rel): replace(r, rel=file_of(r.rel)) for r in rows}.values())   # a row per file
    short_s = max(MIN_SOUND_S, SHORT_FRACTION * clip_s)
    audio_report.report_short(report, [(r.rel, r.seconds) for r in files if r.seconds < short_s and not r.silent],
                              short_s, clip_s)
    rates = Counter(r.rate for r in files)
    long = [(r.rel, r.seconds) for r in files if r.how == "cut" and r.seconds >= LONG_CLIP * clip_s]
    audio_report.report_conversions(report, rate, clip_s, rates, [(r.rel, r.rate) for r in files],
                                    [r.rel for r in files if r.channels > 1], [r.rel for r in files if r.how == "padded"],
                                    [r.rel for r in files if r.how == "cut" and r.seconds < LONG_CLIP * clip_s], long)
    audio_report.report_levels(report, [r.rel for r in files if r.level == "over"],
                               [r.rel for r in files if r.level == "clipped"])
    meta = {"sample_rate": rate, "clip_s": clip_s, "original_rates": {str(r): n for r, n in sorted(rates.items())},
            "mixdown": "mean of channels", "pad": "silence at the end",
            "cut": audio_windows.CUT if recordings else "loudest window",
            "labels_from": listing.labels_from, **listing.label_meta()}
    if recordings:
        meta.update(clips_per_recording=audio_windows.MAX_CLIPS, clips_per_prediction=audio_windows.PREDICTED_CLIPS)
    return finish_dataset(kind="audio", task="classification", x=x,
                          y=np.asarray([r.label for r in rows], dtype=np.int64), class_names=class_names,
                          sources=[r.rel for r in rows], groups=[r.digest for r in rows], root=str(root),
                          meta=meta, report=report, content_groups=True, seed=getattr(options, "seed", 0),
                          split=getattr(options, "split", None), sheet=listing.sheet_subjects())


@dataclass
class _Clip:
    """One decoded clip on its way into the dataset."""

    rel: str
    label: int
    digest: str
    rate: int
    channels: int
    how: str            # "padded", "cut" or "exact"
    seconds: float      # the recording's own length
    silent: bool
    level: str = ""     # "over", "clipped" or "" (``_decode``)


def _take_rows(x: np.ndarray, keep: list[int]) -> np.ndarray:
    """The rows ``keep`` (in increasing order) of ``x``, moved to its front in place (``x`` may be a
    memory map larger than RAM)."""
    for new, old in enumerate(keep):
        if new != old:
            x[new] = x[old]
    return shrink(x, len(keep))


def preprocess_audio(path, meta: dict, notes: list | None = None) -> np.ndarray:
    """Prepare one recording exactly as the clips of a dataset with ``meta`` were prepared: a ``(T,)``
    float32 waveform. Raises DataError naming the file when it cannot be read. ``notes``, when given, gets
    what the import would have left out or warned about (``clip_notes``): a silent clip, a cut-off WAV."""
    rate = int(meta["sample_rate"])
    data, signal, sr = _read_one(path)
    clip = fit_clip(_to_rate(signal, sr, rate), int(round(float(meta["clip_s"]) * rate)))[0]
    if notes is not None:
        notes.extend(clip_notes(data, clip))
        if len(signal) >= LONG_CLIP * float(meta["clip_s"]) * sr:   # the speech walk: a 12 s recording, unsaid
            notes.append(f"the recording is {len(signal) / sr:.1f} s long and the model hears "
                         f"{float(meta['clip_s']):g} s of it, its loudest stretch: the answer is about "
                         "that stretch only; cut the recording into one clip per word")
    return clip


def _read_one(path) -> tuple[bytes, np.ndarray, int]:
    """(the file's bytes, its mono samples, their rate); DataError naming the file when it cannot be read."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        _probe(data)
        signal, sr, _, _level_said = _decode(data)
    except OSError as e:
        raise DataError(f"{path} could not be opened ({e.strerror or e}).", files=[str(path)]) from None
    except AudioReadError as e:
        raise DataError(f"{path} could not be read as audio: {e.reason}. Copy it again from the recorder, or choose "
                        "another recording (WAV, FLAC, OGG, AIFF or MP3).",
                        files=[str(path)]) from None
    return data, signal, sr


def prediction_clips(path, meta: dict, notes: list | None = None) -> tuple[np.ndarray, list[str]]:
    """(float32 (n, clip length) clips, what follows the file's name in each one's source) of one recording,
    prepared as the dataset with ``meta`` was: one clip ("") for a model of clips; for a model of recordings cut
    into clips (``audio_windows``), its clips ("#t=0.00-1.00", ...), silent ones left out and said in ``notes``."""
    if meta.get("cut") != audio_windows.CUT:
        return preprocess_audio(path, meta, notes)[None], [""]
    rate, clip_s = int(meta["sample_rate"]), float(meta["clip_s"])
    most, length = int(meta.get("clips_per_prediction") or audio_windows.PREDICTED_CLIPS), int(round(clip_s * rate))
    spread = audio_windows.read_spread(path, rate, length, most)     # hours of sound: read only where needed
    if spread is not None:
        data, (clips, starts, seconds) = b"", spread
    else:
        data, signal, sr = _read_one(path)
        clips, starts = audio_windows.cut_clips(_to_rate(signal, sr, rate), length, most)
        seconds = len(signal) / sr
    keep, silent = audio_windows.kept_clips(clips)
    if notes is not None:
        notes.extend(clip_notes(data, clips[keep][0]))      # cut off; silent when every clip is
        if silent.any() and not silent.all():
            notes.append(audio_windows.silence_note(int(silent.sum()), clip_s))
        if seconds < clip_s:
            notes.append(audio_windows.short_note(seconds, clip_s))
        elif seconds // clip_s > most:
            notes.append(audio_windows.spread_note(seconds, most))
    if seconds < clip_s:            # one clip, padded: named as the whole file, not "from 0.0 s to 1.0 s"
        return clips[keep], [""]
    return clips[keep], [audio_windows.clip_source("", s / rate, clip_s) for s in starts[keep]]


SAYS_NOTHING = "says nothing about it"
"""In a clip's note: the import leaves such a clip out (silent, or mostly cut off), so a test leaves it out too."""


def clip_notes(data: bytes, clip: np.ndarray) -> list[str]:
    """What a prediction on this recording (its bytes, and its clip as the model gets it) must say about it,
    by the import's own tests: a WAV cut off (``cut_off_wav``; with less than half of its sound the import
    leaves such a file out) and a silent clip (nothing louder than -60 dB; left out too). An answer on
    either comes with the same confidence as any other, so it has to be said."""
    notes = []
    cut = cut_off_wav(data)
    if cut is not None:
        promised, there = cut
        usable = there >= max(MIN_SOUND_S, promised / 2)
        notes.append(f"the file is cut off: its header promises {seconds_words(promised)} of sound, only "
                     f"{seconds_words(there)} is there, so the answer "
                     + ("is about that part only" if usable else SAYS_NOTHING)
                     + "; copy the file again from the original")
    if float(np.max(np.abs(clip), initial=0.0)) < SILENCE_PEAK:
        notes.append(f"the clip is silent (nothing louder than -60 dB): the answer {SAYS_NOTHING}; "
                     "check the microphone and record it again")
    return notes


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


def _read_head(path: Path):
    """(the file's bytes, its header, their sha1); hours of sound are not held (``audio_long.FileBytes``)."""
    got = audio_long.probe(path)
    if got is not None:
        return got[0], _check_header(got[1], got[0]), got[2]
    data = path.read_bytes()
    return data, _probe(data), hashlib.sha1(data).hexdigest()


def _recording_clips(path: Path, data: bytes | None, info, rate: int, length: int):
    """(clips, their starts, the file's rate, channels, frames, level) of a recording cut into clips
    (``audio_windows``); one of hours is read a block at a time, keeping only where its clips are."""
    if audio_long.is_long(info):
        return audio_long.read_clips(path, rate, length, audio_windows.MAX_CLIPS)
    signal, sr, channels, level = _decode(data if data is not None else path.read_bytes())
    return (*audio_windows.cut_clips(_to_rate(signal, sr, rate), length), sr, channels, len(signal), level)


def _probe(data: bytes):
    if not data:
        raise AudioReadError(R.EMPTY_FILE, "the file is empty (0 bytes)")
    try:
        info = sf.info(io.BytesIO(data))
    except Exception:  # soundfile raises several kinds; any means "not audio we can read"
        raise AudioReadError(R.CORRUPT_FILE, describe_unreadable(data)) from None
    return _check_header(info, data)


def _check_header(info, data):
    """``info`` (the header of a file of bytes ``data``), or AudioReadError when it cannot be right."""
    if not MIN_FILE_RATE <= info.samplerate <= MAX_FILE_RATE or info.channels <= 0:
        raise AudioReadError(R.CORRUPT_FILE, f"the file's header is damaged (it claims {info.samplerate} "
                                             f"samples per second and {info.channels} channels)")
    if info.frames <= 0:
        raise AudioReadError(R.CORRUPT_FILE, "the file is cut off: its header promises sound, but none of it "
                                             "is there" if cut_off_wav(data) else
                                             "the file has a header but no sound in it (0 samples)")
    return info


def _decode(data: bytes) -> tuple[np.ndarray, int, int, str]:
    """Mono float32 samples in [-1, 1], the sample rate, the number of channels in the file, and its level:
    "over" (a float file louder than full scale: cut there), "clipped" (too loud when recorded: many samples
    at the limit) or "" (``audio_long.level``: the speech walk's clipped files were read without a word)."""
    try:
        samples, sr = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except Exception:
        raise AudioReadError(R.CORRUPT_FILE, describe_unreadable(data)) from None
    if samples.size == 0:
        raise AudioReadError(R.CORRUPT_FILE, "the file has a header but no sound in it (0 samples)")
    channels = samples.shape[1]
    level = audio_long.level(samples)
    # the mean of the channels (a matrix product: numpy's mean over a short axis is very slow)
    mono = samples @ np.full(channels, 1.0 / channels, np.float32) if channels > 1 else samples[:, 0]
    mono = np.clip(np.nan_to_num(mono, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)
    return mono.astype(np.float32, copy=False), int(sr), int(samples.shape[1]), level


def _choose_rate(options) -> int:
    rate = getattr(options, "audio_rate", None)
    if rate is None:
        return DEFAULT_RATE
    if not 1000 <= int(rate) <= 192000:
        raise DataError(f"The sample rate {rate} Hz is outside 1000..192000 Hz. Choose a rate such as 16000.")
    return int(rate)


def _choose_clip_s(options, durations: list[float], recordings: bool = False) -> float:
    """The clip length chosen, else 1 s for recordings (``audio_windows``), else long enough for 90% of the clips."""
    clip_s = getattr(options, "clip_s", None)
    if clip_s is not None:
        if not 0.05 <= float(clip_s) <= 60:
            raise DataError(f"The clip length {clip_s} s is outside 0.05..60 seconds. Choose a length such "
                            "as 1 second.")
        return float(clip_s)
    if not durations or recordings:
        return audio_windows.WINDOW_S
    p90 = float(np.percentile(durations, 90))
    return float(np.clip(round(p90, 1), MIN_CLIP_S, MAX_CLIP_S))
