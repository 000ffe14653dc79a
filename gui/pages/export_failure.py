"""What the Export page says when a file fails its check: the check that failed and what to do for this run on its
device (moved out of ``export.py``, which re-exports both functions)."""

from __future__ import annotations

from pathlib import Path

from edgeling.gui.pages.export_words import FORMAT_SHORT, INT8_FORMATS, MICRO, failed_checks, fitting_formats


def failure_advice(fmt: str | None, device=None, passes=()) -> str:
    """What to do after a format failed: for an int8 file, int8 with re-training (quantization-aware) on the
    Compress page, or, for a run made that way, a longer training first; another format only when one fits
    the device."""
    fits = fitting_formats(device)
    if fmt in INT8_FORMATS:
        if "qat" in {str(p) for p in passes or []}:
            said = ("This run was already made int8 with re-training: train a new run for longer on the Train "
                    "page, compress it with int8 with re-training (quantization-aware), then export again.")
        else:
            said = ("Compress the run with int8 with re-training (quantization-aware) on the Compress page, then "
                    "export the new run again.")
        others = [f for f in fits if f not in INT8_FORMATS]
    else:
        said = ""
        others = [f for f in fits if f != fmt]
    if others:
        names = " or ".join(FORMAT_SHORT[f] for f in others[:2])
        alt = (f"export {names} instead, which {device.name} also runs." if device is not None
               else f"export another format instead, such as {names}.")
        said = f"{said} Or {alt}" if said else alt[0].upper() + alt[1:]
    elif not said:
        said = ("No other format runs on this device: send the log file with a note of what you were doing, so "
                "the fault can be fixed.")
    return said


def failed_check_words(result, device=None, passes=(), fmt: str | None = None) -> str | None:
    """The app's sentence for an export whose file failed its check (``export --json`` printed its result,
    then exited with an error), naming the check that failed and what to do for this run on its device;
    None for any other failure, whose own message is shown."""
    v = result.get("verification") if isinstance(result, dict) else None
    if not isinstance(v, dict) or v.get("passed") is not False:
        return None
    name = Path(str(result.get("path") or "the file")).name
    why = "; ".join(str(f) for f in v.get("failures") or [])
    failures = [str(f) for f in v.get("failures") or []]
    if result.get("hardly_learnt"):     # core's words: the model's answers are near ties; train it longer first
        advice = str(result["hardly_learnt"])
    elif failures and all(f.startswith(MICRO) for f in failures):    # LiteRT's check passed: not the model's fault
        advice = ("TensorFlow Lite Micro and LiteRT's reference kernels compute the same arithmetic, so this is "
                  "a fault in Edgeling's file, not in your model: send the log file with a note of what you were "
                  "doing, so it can be fixed.")
    else:
        advice = failure_advice(result.get("format") or fmt, device, passes)
    return (f"{name} did not pass its check in {failed_checks(v)}, so it was not written"
            + (f" ({why})" if why else "") + ". " + advice)
