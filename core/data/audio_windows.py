"""Long recordings of an ongoing sound (a beehive, a machine, a room), cut into clips.

The beekeeper walk: per class, a folder of hive recordings of 30 s to 20 minutes. Each became one clip, its
loudest 10 s, so 40 minutes of sound taught the model 90 clips, and a prediction on a 3-minute recording said
"the model hears 2 s of it ... cut the recording into one clip per word". A word is a short event in a clip; a
hive's hum fills its recording. So when most files of a folder are long (``RECORDING_S`` or more), each is cut
into consecutive clips of the clip length (1 s unless chosen), every one a sample of the recording's class, as
a sensor recording is cut into windows. A recording's clips all stay in one split (training, validation or
test), so the test is on recordings the model never heard; names that say which hive or machine keep its
recordings together too (``subjects``). Silent clips (nothing louder than -60 dB: the recorder running before
it was placed) are left out and said by recording. A very long recording gives at most ``MAX_CLIPS`` clips,
spread evenly over it, so one file does not outweigh the others. A prediction on a recording cuts it the same
way and answers for each clip and for the whole file (``recording_clips``). numpy only.
"""

from __future__ import annotations

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.sentences import counted, verb

RECORDING_S = 15.0
"""Files this long or longer are recordings of an ongoing sound when they are at least half of the folder."""
WINDOW_S = 1.0
"""The clip length of a folder of recordings unless one is chosen."""
MAX_CLIPS = 300
"""A recording gives at most this many clips (5 minutes of 1 s clips), spread evenly over it."""
PREDICTED_CLIPS = 600
"""A prediction (or a test on other files) answers at most this many clips of one recording, spread evenly over
it: an hour of 1 s clips took 1.1 GB (the review), and one long file would outweigh the others in a test."""
CUT = "clips of each recording"
"""``meta["cut"]`` of a folder of recordings (a folder of clips: "loudest window")."""
SILENCE_PEAK = 10 ** (-60 / 20)


def are_recordings(durations: list[float]) -> bool:
    """Whether a folder whose files last ``durations`` seconds holds recordings of an ongoing sound."""
    return bool(durations) and sum(d >= RECORDING_S for d in durations) * 2 >= len(durations)


def clip_starts(samples: int, length: int, most: int | None = None) -> np.ndarray:
    """Where each clip of ``length`` samples starts in a recording of ``samples``: one after another from the
    start, or ``most`` spread evenly over it; one clip (padded at its end) for a recording shorter than a clip."""
    count = samples // length
    most = MAX_CLIPS if most is None else most
    if count <= 1:
        return np.zeros(1, np.int64)
    if count <= most:
        return np.arange(count, dtype=np.int64) * length
    return np.round(np.linspace(0, samples - length, most)).astype(np.int64)


def cut_clips(signal: np.ndarray, length: int, most: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(float32 (n, length) clips, their starts in samples) of a mono ``signal``."""
    starts = clip_starts(len(signal), length, most)
    out = np.zeros((len(starts), length), np.float32)
    for k, s in enumerate(starts):
        piece = signal[s:s + length]
        out[k, :len(piece)] = piece
    return out, starts


def is_silent(clips: np.ndarray) -> np.ndarray:
    return np.max(np.abs(clips), axis=1, initial=0.0) < SILENCE_PEAK


def kept_clips(clips: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(which clips of a recording are kept, which are silent): the silent ones are left out, unless all are
    (then the first is kept, to be said silent). The import and a prediction keep the same ones."""
    silent = is_silent(clips)
    return (~silent if not silent.all() else np.arange(len(clips)) == 0), silent


def clip_source(rel: str, start_s: float, clip_s: float) -> str:
    """'queenless/hive03.wav#t=12.00-13.00', named as a sensor recording's windows are."""
    return f"{rel}#t={start_s:.2f}-{start_s + clip_s:.2f}"


def estimate_clips(durations: list[float], clip_s: float) -> int:
    """At most how many clips recordings of ``durations`` give."""
    return int(sum(min(MAX_CLIPS, max(1, int(d // clip_s) + 1)) for d in durations))


def report_recordings(report: R.Report, recordings: list[tuple[str, float, int, int]], clip_s: float) -> None:
    """One info finding for the cut (recordings: (file, seconds, clips kept, silent clips left out)), and a
    warning naming the recordings with silent stretches left out."""
    if not recordings:
        return
    kept = sum(r[2] for r in recordings)
    lengths = [r[1] for r in recordings]
    capped = [r[0] for r in recordings if r[1] // clip_s > MAX_CLIPS]
    spread = (f" {counted(len(capped), 'recording')} longer than {MAX_CLIPS * clip_s / 60:g} minutes "
              f"{verb(len(capped), 'gives', 'give')} {MAX_CLIPS} clips spread evenly over {verb(len(capped), 'it', 'them')}, "
              "so that no file outweighs the others." if capped else "")
    report.add(R.RECORDINGS_CUT,
               f"Most files are long recordings ({_span(lengths)}), so each was "
               f"cut into clips of {clip_s:g} s, one after another: {counted(len(recordings), 'recording')} gave "
               f"{kept:,} clips, each a sample of its recording's class. A recording's clips all stay in one "
               f"split, so the test is on recordings the model never heard.{spread}",
               "Nothing to do. If the sound you care about lasts longer than a clip, choose a longer clip length.",
               files=capped, severity="info")
    silent = [(r[0], r[3]) for r in recordings if r[3]]
    if silent:
        shown = [f"{f} ({n * clip_s:g} s)" for f, n in silent]
        report.add(R.SILENT_CLIP,
                   f"{counted(len(silent), 'recording')} {verb(len(silent), 'has', 'have')} silent stretches "
                   "(nothing louder than -60 dB), left out: the recorder may have been running before it was "
                   "placed, or the microphone was off.",
                   "Nothing to do if those stretches are meant to be there; otherwise check the recorder.",
                   files=shown, severity="warning")


def _span(lengths: list[float]) -> str:
    """'18 s to 32 s', or '20 s' when they are all as long (the newcomer read '20 s to 20 s')."""
    low, high = _seconds(min(lengths)), _seconds(max(lengths))
    return low if low == high else f"{low} to {high}"


def _seconds(s: float) -> str:
    if s >= 120:
        return f"{s / 60:.0f} minutes"
    return f"{s:.0f} s" if s >= 10 else f"{s:.1f} s"


def short_note(seconds: float, clip_s: float) -> str:
    """A prediction's note on a recording shorter than one clip."""
    return (f"the recording is {seconds:.2f} s long, shorter than the {clip_s:g} s clips the model learnt from: it "
            "was padded with silence to that length, so the answer is less sure to be right")


def spread_note(seconds: float, clips: int) -> str:
    """A prediction's note on a recording longer than ``PREDICTED_CLIPS`` clips."""
    return (f"the recording is {_seconds(seconds)} long: the answer is from {clips} clips spread evenly over it "
            "(cut it into shorter files for an answer on every moment)")


def silence_note(clips: int, clip_s: float) -> str:
    """A prediction's note on a recording with silent clips, left out as the import leaves them out."""
    return (f"{clips * clip_s:g} s of the recording is silent (nothing louder than -60 dB) and left out: the "
            "answer is about the rest")


LONG_READ_S = 600.0
"""A recording longer than this is read, for a prediction, only where the clips it answers are (``read_spread``),
not whole: an hour of 48 kHz sound took 1.1 GB to predict on (the review), most of it the decoded file."""


def read_spread(path, rate: int, length: int, most: int) -> tuple[np.ndarray, np.ndarray, float] | None:
    """(float32 (n, length) clips, their starts at ``rate``, the recording's seconds) of a recording longer than
    ``LONG_READ_S`` whose clips are spread evenly (more than ``most``), read stretch by stretch (``stretches``):
    the same samples as reading it whole, resampling it and cutting ``clip_starts``. None for any other file
    (read it whole). The import reads such a file once from its start instead (``audio_long``)."""
    import soundfile as sf

    try:
        info = sf.info(str(path))
    except Exception:  # noqa: BLE001 - soundfile raises several kinds: read it whole, which says why
        return None
    sr, frames = int(info.samplerate), int(info.frames)
    if sr <= 0 or frames <= 0 or frames / sr <= LONG_READ_S:
        return None
    n_out, starts, firsts, need = stretches(sr, frames, rate, length, most)
    if n_out // length <= most:
        return None
    clips = np.zeros((len(starts), length), np.float32)
    with sf.SoundFile(str(path)) as f:
        for i, (s, first) in enumerate(zip(starts.tolist(), firsts)):
            f.seek(first)
            piece = stretch_clip(f.read(need, dtype="float32", always_2d=True), s, first, sr, rate, length)
            clips[i, :len(piece)] = piece
    return clips, starts, frames / sr


STEPS = 32
"""``stretches`` start on a multiple of this many of the resampler's steps (BLAS sums rows in groups of 4 to 16)."""


def stretches(sr: int, frames: int, rate: int, length: int, most: int) -> tuple[int, np.ndarray, list[int], int]:
    """(the recording's samples at ``rate``, its clips' starts there (``clip_starts``), the frame of the file
    where the stretch read for each begins, how many frames each stretch is): each stretch starts on a multiple
    of the resampler's step, with its filter's reach read on both sides, so ``stretch_clip`` gives the samples
    resampling the whole file gives."""
    import math

    from edgeling.core.data.resample import MAX_TABLE_PHASES, _setup

    g = math.gcd(sr, rate)
    up, down = rate // g, sr // g
    n_out = -(-frames * up // down)
    starts = clip_starts(n_out, length, most)
    # BLAS sums the resampler's rows in groups of a few: a stretch starting on a multiple of STEPS steps, and
    # reaching STEPS steps past what the filter needs (its last rows, summed apart, are past the clip), groups
    # them as the whole file does, so the sums are the same to the last bit. (With several BLAS threads the whole
    # file's rows are split between them, and those near a split differ by about 1e-7 from one thread's sums:
    # reading the whole file is not the same to the last bit on every computer either.)
    step = down * (STEPS if sr != rate and up <= MAX_TABLE_PHASES else 1)   # else: each row summed alone
    pad = _setup(up, down)[1] + 2 * down + 2        # input samples the filter reaches, and some
    firsts = [max(0, (s * down // up - pad) // step * step) for s in starts.tolist()]
    return n_out, starts, firsts, -(-length * down // up) + 2 * pad + 2 * step


def stretch_clip(block: np.ndarray, start: int, first: int, sr: int, rate: int, length: int) -> np.ndarray:
    """The clip at ``start`` (at ``rate``) from the file's frames ``block`` (float32 (n, channels)) read from
    frame ``first`` (``stretches``): mixed down, resampled, at most ``length`` samples (fewer at the end)."""
    import math

    from edgeling.core.data.resample import resample

    mono = block @ np.full(block.shape[1], 1.0 / block.shape[1], np.float32) if block.shape[1] > 1 else block[:, 0]
    mono = np.clip(np.nan_to_num(mono, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)
    out = mono if sr == rate else np.clip(resample(mono, sr, rate), -1.0, 1.0)
    g = math.gcd(sr, rate)
    return out[start - first * (rate // g) // (sr // g):][:length]
