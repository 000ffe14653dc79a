"""What the audio importer says about the clips it read: cut-off files, silent and very short clips, and the
conversions (sample rate, length, stereo) it made. Called by ``audio.import_dataset``."""

from __future__ import annotations

from edgeling.core.data import report as R
from edgeling.core.sentences import counted, verb
from edgeling.core.terminal_hint import in_terminal


def seconds_words(s: float) -> str:
    return f"{s:.2f} s" if s >= 0.1 else f"{s:.3f} s"


def report_cut_off(report, cut_off) -> None:
    for kept in (False, True):
        group = [(rel, promised, there) for rel, promised, there, k in cut_off if k == kept]
        if not group:
            continue
        n = len(group)
        if n == 1:
            rel, promised, there = group[0]
            message = (f"{rel} is cut off: its header promises {seconds_words(promised)} of sound, only "
                       f"{seconds_words(there)} is there. "
                       + ("It was kept, as most of the sound is there." if kept else "It was left out."))
        else:
            shown = "; ".join(f"{rel}: {seconds_words(p)} promised, {seconds_words(t)} there" for rel, p, t in group[:3])
            more = f"; and {n - 3} more" if n > 3 else ""
            message = (f"{n} files are cut off: their headers promise more sound than is there ({shown}{more}). "
                       + ("They were kept, as most of the sound is there." if kept else "They were left out."))
        it = "it" if n == 1 else "them"
        advice = (f"Listen to {it}; if the end of the sound is missing, record {it} again or copy {it} again "
                  "from the original." if kept else
                  f"Record {it} again, or copy {it} again from the original (a copy or download that did not "
                  "finish cuts a file off).")
        report.add(R.CUT_OFF_FILE, message, advice, files=[g[0] for g in group], severity="warning")


def report_silent(report, left_out: list[str], kept: list, class_names: list[str]) -> None:
    if left_out:
        n = len(left_out)
        one = n == 1
        report.add(R.SILENT_CLIP,
                   f"{n} {'clip is' if one else 'clips are'} silent (nothing louder than -60 dB) and "
                   f"{'was' if one else 'were'} left out: the model cannot learn a class from silence, and "
                   f"{'it may be a failed recording' if one else 'these may be failed recordings'}.",
                   f"Listen to {'it' if one else 'them'}; record {'it' if one else 'them'} again or delete "
                   f"{'it' if one else 'them'}.", files=left_out, severity="warning")
    if kept:
        names = sorted({class_names[r.label] for r in kept})
        report.add(R.SILENT_CLIP,
                   f"Every clip of the class {', '.join(names)} is silent (nothing louder than -60 dB): {len(kept)} in "
                   "all. They were kept, since leaving them out would remove the class, but the model cannot "
                   "learn a class from silence.",
                   "Listen to them: they may be failed recordings, or the microphone was off. Record that "
                   "class again.", files=[r.rel for r in kept], severity="warning")


def report_short(report, short: list[tuple[str, float]], short_s: float, clip_s: float) -> None:
    if not short:
        return
    n = len(short)
    one = n == 1
    shown = ", ".join(f"{rel} lasts {seconds_words(s)}" for rel, s in short[:3]) + (", ..." if n > 3 else "")
    report.add(R.SHORT_CLIP,
               f"{n} {'clip is' if one else 'clips are'} very short, under {seconds_words(short_s)} where the clips "
               f"are {clip_s:g} s long ({shown}). Padded with silence, {'it holds' if one else 'they hold'} "
               f"almost nothing, and may be {'a click or a false start' if one else 'clicks or false starts'}. "
               f"{'It was' if one else 'They were'} kept.",
               f"Listen to {'it' if one else 'them'}; if the sound of the class is not in "
               f"{'it' if one else 'them'}, record {'it' if one else 'them'} again or delete "
               f"{'it' if one else 'them'}.", files=[rel for rel, _ in short], severity="warning")


def report_conversions(report, rate, clip_s, rates, source_rates, stereo, padded, cut, long=()) -> None:
    """Said about making every clip alike: other sample rates, lengths, stereo. ``long``: (file, seconds) of
    the recordings much longer than a clip, of which the model hears one stretch."""
    other = {r: n for r, n in rates.items() if r != rate}
    if other:
        parts = [f"{counted(n, 'file')} from {r} Hz" for r, n in sorted(other.items())]
        files = [s for s, r in source_rates if r != rate]
        raised = sorted(r for r in other if r < rate)
        said = f"Resampled {' and '.join(parts)} to {rate} Hz, so every clip has the same sample rate."
        if any(r > rate for r in other):
            said += f" Sounds above {rate / 2000:g} kHz (half the new rate) are removed from the files recorded faster."
        if raised and len(other) == 1 and rate not in rates:    # every file at one lower rate: none to tell apart
            said += (f" Raising a rate adds no sound: every file was recorded at {raised[0]} Hz, so nothing above "
                     f"{raised[0] / 2000:g} kHz is there; importing at {raised[0]} Hz"
                     f"{in_terminal(f'--audio-rate {raised[0]}')} gives a smaller, faster model from the same sound.")
            raised = []      # (the late review: 'the files recorded at 16000 Hz may have sound', of which there were none)
        elif raised:   # the speech walk: 188 clips raised from 16 kHz were told "sounds above ... are removed"
            n = sum(other[r] for r in raised)
            said += (f" Raising a rate adds no sound: the {counted(n, 'file')} recorded at {' or '.join(f'{r} Hz' for r in raised)} "
                     f"{verb(n, 'has', 'have')} nothing above {raised[-1] / 2000:g} kHz, where the files recorded at "
                     f"{rate} Hz may have sound, so a model can learn to tell them apart by that alone.")
        report.add(R.SAMPLE_RATE_MISMATCH, said,
                   f"Nothing to do if most of your device's recordings are made at {rate} Hz or faster. If it "
                   "records slower, choose its rate for the import." if raised else
                   "Nothing to do. If your device records at another rate, choose that rate for the import.",
                   files=files, severity="warning" if raised else "info")
    if long:
        names = [f for f, _ in long]
        longest = max(s for _, s in long)
        report.add(R.LONG_RECORDING,
                   f"{counted(len(long), 'recording')} {verb(len(long), 'is', 'are')} much longer than the clip "
                   f"length ({', '.join(names[:3])}{', ...' if len(names) > 3 else ''}; up to "
                   f"{longest:.1f} s): the model hears only the loudest {clip_s:g} s of each, "
                   "and the rest is not used.",
                   "If they hold several words (or one word said many times), cut them into one clip per word. If "
                   "the sound you care about is that long, choose a longer clip length.",
                   files=names, severity="warning")
    if padded or cut:
        words = []
        if padded:
            words.append(f"{counted(len(padded), 'clip')} shorter than {clip_s:g} s "
                         f"{verb(len(padded), 'was', 'were')} padded with silence at the end")
        if cut:
            words.append(f"{counted(len(cut), 'longer clip')} {verb(len(cut), 'was', 'were')} cut to "
                         f"{verb(len(cut), 'its', 'their')} loudest {clip_s:g} s")
        report.add(R.LENGTH_MISMATCH,
                   f"The clips have different lengths: {'; '.join(words)}.",
                   "Nothing to do unless the sound you care about is longer than the clip length; then "
                   "choose a longer clip length.", files=padded + cut, severity="info")
    if stereo:
        report.add(R.STEREO_MIXED_DOWN,
                   f"{counted(len(stereo), 'recording')} {verb(len(stereo), 'has', 'have')} two or more channels "
                   f"(stereo) and {verb(len(stereo), 'was', 'were')} mixed down to one.",
                   "Nothing to do: most small devices record one channel.", files=stereo, severity="info")


def report_levels(report, over: list[str], clipped: list[str]) -> None:
    """Recordings louder than a file can hold: said, as a methods section needs it and a person can record
    them again; they are kept."""
    if over:
        one = len(over) == 1
        report.add(R.TOO_LOUD,
                   f"{len(over)} recording{'' if one else 's'} in floating-point format "
                   f"{'goes' if one else 'go'} beyond full scale (louder than a 16-bit file can hold); the sound "
                   f"was cut at full scale, which changes it where it is loudest. {'It was' if one else 'They were'} "
                   "kept.", "Lower the volume of those files (normalise them to -1 dB in an audio editor), or "
                   "keep them if your device records as loud.", files=over, severity="warning")
    if clipped:
        one = len(clipped) == 1
        report.add(R.CLIPPED_CLIP,
                   f"{len(clipped)} recording{' is' if one else 's are'} clipped: too loud when recorded, many "
                   f"samples sit at the limit of what the recorder could take. {'It was' if one else 'They were'} "
                   "kept.", "Nothing to do unless many are: then record them again a little further from the "
                   "microphone, or with a lower input volume.", files=clipped, severity="info")
