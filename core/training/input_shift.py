"""Files a model is tested on that differ from the ones it learnt from, said in words (``evaluate --on``).

The vineyard walk: a model of grape leaves scored 76.9% on its test photos and 57.1% on a second season's photos
taken with another phone (warmer and brighter), and nothing said why. The run keeps up to 300 of its training
samples (``run_samples.py``, the int8 calibration samples), as the importer produced them; the files tested are
read the same way. Each sample gets a few plain measures (a photo's brightness and colour; a clip's loudness), and
the two sets are compared class by class, so a test of one class alone is not "different" for holding other
classes than training did. A measure is said when it moved the same way in most classes shared by both, by more
than half the spread of the training samples within a class and three standard errors, and only to explain a
drop in accuracy. numpy only.
"""

from __future__ import annotations

import numpy as np

MIN_PER_CLASS = 3
"""A class is compared when both sets hold at least this many of its samples."""
SPREADS = 0.5
"""A measure moved when its median moved by more than this many spreads (std) of the training samples' values
within the class, ..."""
STANDARD_ERRORS = 3.0
"""... and by more than this many standard errors of the difference of the two medians (few samples: more)."""
MOST = 2 / 3
"""... in at least this share of the compared classes, all the same way."""


def _measures(kind: str, x: np.ndarray) -> dict[str, tuple[np.ndarray, float, tuple]]:
    """{name: (one value per sample, the least change worth saying, (words up, words down))}."""
    x = np.asarray(x)
    n = len(x)
    if kind == "images" and x.ndim == 4:
        px = x.reshape(n, -1, x.shape[-1]).astype(np.float64) / (255.0 if x.dtype == np.uint8 else 1.0)
        means = px.mean(axis=1)                                           # (n, channels)
        out = {"brightness": (means.mean(axis=1), 0.05, ("brighter", "darker"))}
        if x.shape[-1] >= 3:
            total = means[:, :3].sum(axis=1) + 1e-6
            out["warmth"] = ((means[:, 0] - means[:, 2]) / total, 0.02,
                             ("warmer in colour (more red, less blue)", "cooler in colour (more blue, less red)"))
        return out
    if kind == "audio":
        rms = np.sqrt((x.reshape(n, -1).astype(np.float64) ** 2).mean(axis=1))
        return {"loudness": (20 * np.log10(rms + 1e-9), 6.0, ("louder", "quieter"))}
    return {}


def _moved(ref: np.ndarray, new: np.ndarray, ref_y: np.ndarray, new_y: np.ndarray,
           least: float) -> tuple[int, float, dict]:
    """(+1, -1 or 0: which way the measure moved in most classes, the median change over those classes, and each
    class that moved: {class index: (way, change)})."""
    ways, changes, each = [], [], {}
    for c in np.intersect1d(ref_y, new_y):
        a, b = ref[ref_y == c], new[new_y == c]
        if len(a) < MIN_PER_CLASS or len(b) < MIN_PER_CLASS:
            continue
        change = float(np.median(b) - np.median(a))
        spread = float(np.std(a))
        error = 1.25 * spread * np.sqrt(1 / len(a) + 1 / len(b))      # a median's standard error: 1.25 x a mean's
        ways.append(int(np.sign(change)) if abs(change) > max(SPREADS * spread, STANDARD_ERRORS * error, least) else 0)
        changes.append(change)
        if ways[-1]:
            each[int(c)] = (ways[-1], change)
    for way in (1, -1):
        if ways and sum(w == way for w in ways) >= max(1, MOST * len(ways)):
            return way, float(np.median(changes)), each
    return 0, 0.0, each


WHAT = {"images": "pictures", "audio": "clips"}
"""Sensor windows are not compared: a recording's windows are alike (their spread says nothing of a new
recording's), and a pump mounted at another angle reads other levels on each axis, which the model is made not to
mind (the held-out pump: "lower on x" at 100% right)."""
DROP = 0.05
"""Said only when the accuracy on the files tested is this much below the run's own test accuracy: it explains a
drop; files a little brighter that score as well need no warning."""


def run_shift_words(run, kind: str, new_x, new_y, accuracy: float | None,
                    class_names: list[str] | None = None) -> str | None:
    """``shift_words`` against the training samples the run keeps, when ``accuracy`` (on the files tested) is
    ``DROP`` below the run's; None otherwise, for a run that keeps none (older runs) or other kinds of data."""
    from edgeling.core import runs
    from edgeling.core.run_samples import calibration_samples

    if kind not in WHAT or not isinstance(accuracy, (int, float)):
        return None
    run = run if isinstance(run, runs.Run) else runs.load_run(run)
    own = (run.metrics or {}).get("accuracy")
    if not isinstance(own, (int, float)) or accuracy > own - DROP:
        return None
    kept = calibration_samples(run.path)
    return None if kept is None else shift_words(kind, *kept, new_x, new_y, WHAT[kind], class_names)


def _amount(name: str, change: float) -> str:
    return (f" (by {abs(change):.0%} of full brightness)" if name == "brightness" else
            f" (by about {abs(change):.0f} dB)" if name == "loudness" else "")


def shift_words(kind: str, ref_x, ref_y, new_x, new_y, what: str = "files",
                class_names: list[str] | None = None) -> str | None:
    """'The photos tested are brighter and warmer in colour (more red, less blue) than those the model learnt
    from (in 3 of its 3 classes). ...' or None when nothing moved (or too few samples per class to tell)."""
    ref_y, new_y = np.asarray(ref_y), np.asarray(new_y)
    if len(ref_y) == 0 or len(new_y) == 0:
        return None
    ref_m = _measures(kind, ref_x)
    new_m = _measures(kind, new_x)
    said, by_class = [], {}
    for name, (ref_values, least, words) in ref_m.items():
        way, change, each = _moved(ref_values, new_m[name][0], ref_y, new_y, least)
        if way:
            said.append((words[0] if way > 0 else words[1]) + _amount(name, change))
        for c, (way_c, change_c) in each.items():     # one class alone (the regression walk: healthy darker)
            by_class.setdefault(c, []).append((words[0] if way_c > 0 else words[1]) + _amount(name, change_c))
    if not said and by_class and class_names:
        parts = []
        for c, moved in list(by_class.items())[:2]:
            listed = moved[0] if len(moved) == 1 else ", ".join(moved[:-1]) + " and " + moved[-1]
            parts.append(f"the '{class_names[c]}' {what} tested are {listed} than the '{class_names[c]}' ones the "
                         "model learnt from")
        said_all = " and ".join(parts)
        return (f"{said_all[0].upper()}{said_all[1:]}: a model answers best on {what} like the ones it learnt from. "
                "To make it answer these well, add some of them to the training data and train again; then test on "
                "others.")
    if not said:
        return None
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return (f"The {what} tested are {listed} than those the model learnt from, in most of their classes: a model "
            f"answers best on {what} like the ones it learnt from. To make it answer these well, add some of them "
            "(of every class) to the training data and train again; then test on others.")


MIX_MIN_SAMPLES = 30
"""The run's own test samples (its data's mix of classes, split by class) must be at least this many."""
MIX_POINTS = 0.15
"""A class whose share of the samples tested differs from its share in the run's test samples by this much (15
points) or more, and by half again or more, is said."""


def class_mix_words(run_metrics: dict | None, class_names: list[str], new_y, kind: str,
                    accuracy: float | None = None) -> str | None:
    """'The rows tested hold 9% 'Oui' against 39% in the data the model learnt from: ...' (the shop walk's quiet
    month: 0 of 11 returns found, and nothing said that returns were four times rarer than in training), from
    the run's own test samples' class counts; None when the mix is alike, or not known."""
    per_class = (run_metrics or {}).get("per_class") or {}
    support = {c: d.get("support") for c, d in per_class.items() if isinstance(d, dict)}
    total = sum(v for v in support.values() if isinstance(v, int))
    new_y = np.asarray(new_y)
    own = (run_metrics or {}).get("accuracy")
    if not isinstance(accuracy, (int, float)) or not isinstance(own, (int, float)) or accuracy > own - DROP:
        return None      # it explains a drop (the GUI walk: said beside 100% right, as if they were wrong)
    if total < MIX_MIN_SAMPLES or len(new_y) < 20 or not all(isinstance(support.get(c), int) for c in class_names):
        return None
    what = "rows" if kind == "table" else "files"
    moved = []
    for k, c in enumerate(class_names):
        was, now = support[c] / total, float(np.mean(new_y == k))
        if abs(now - was) >= MIX_POINTS and max(now, was) >= 1.5 * min(now, was):
            moved.append((abs(now - was), c, now, was))
    if not moved:
        return None
    _, c, now, was = max(moved)
    effect = (f"so where '{c}' is rarer, more of its '{c}' answers are wrong" if now < was else
              f"so where '{c}' is more common, more of its other answers are wrong ('{c}' taken for another class)")
    return (f"The {what} tested hold {now:.0%} '{c}' against {was:.0%} in the run's own data: a model "
            f"answers each class about as often as it learnt to, {effect}. Judge it on data with the mix it will "
            "meet.")


def say_how_they_differ(result: dict, run, kind: str, new_x, new_y, class_names: list[str]) -> None:
    """``result["input_shift"]`` and ``result["class_mix"]`` for files tested on ``run`` (a run or its folder),
    each when there is something to say."""
    from edgeling.core import runs

    run = run if isinstance(run, runs.Run) else runs.load_run(run)
    for key, said in (("input_shift", run_shift_words(run, kind, new_x, new_y, result.get("accuracy"), class_names)),
                      ("class_mix", class_mix_words(run.metrics, class_names, new_y, kind, result.get("accuracy")))):
        if said:
            result[key] = said


OUTSIDE_WORDS = {"brightness": ("brighter", "darker"), "warmth": ("warmer in colour", "cooler in colour"),
                 "loudness": ("louder", "quieter")}
THING = {"images": "picture", "audio": "clip"}


def _value_words(name: str, value: float) -> str:
    return (f"{value:.0%} of full brightness" if name == "brightness" else
            f"{value:.0f} dB" if name == "loudness" else "")


def outside_training_notes(kind: str, x, kept_x) -> list[list[str]]:
    """For each sample of ``x`` (a file predicted), a note when it is brighter, darker, warmer, cooler, louder or
    quieter than every training sample the run keeps (``kept_x``), by more than a change worth saying: a model
    gives such a file an answer as sure as any other (the shop walk's "99% sure" outlier; the speech walk's
    session recorded 20 dB quieter), so the answer needs saying to be a guess. Sensor windows are not compared
    (see ``WHAT``)."""
    if kind not in THING or kept_x is None or len(kept_x) == 0 or len(x) == 0:
        return [[] for _ in range(len(x))]
    ref, new = _measures(kind, kept_x), _measures(kind, x)
    thing = THING[kind]
    out: list[list[str]] = [[] for _ in range(len(x))]
    for name, (values, least, _words) in ref.items():
        # near-silent training clips (a recorder started before it was placed) say nothing of the sound's level, nor
        # does one odd sample: the review's -79 dB training clip kept a recording 40 dB quieter from being said
        values = values[values > -60] if name == "loudness" else values
        if len(values) == 0:
            continue
        lo, hi = (float(v) for v in np.percentile(values, [1, 99]))
        for i, v in enumerate(new[name][0]):
            v = float(v)
            if lo - least <= v <= hi + least:
                continue
            word = OUTSIDE_WORDS[name][0 if v > hi else 1]
            numbers = (f" ({_value_words(name, v)}; nearly all those it learnt from: {_value_words(name, lo).split(' ')[0]}"
                       f" to {_value_words(name, hi)})" if _value_words(name, v) else "")
            out[i].append(f"the {thing} is {word} than nearly every {thing} the model learnt from{numbers}: its answer, "
                          f"however sure, is a guess; add {thing}s like it (of every class) to the training data "
                          "and train again")
    return out


def outside_training_summary(kind: str, x, kept_x) -> list[str]:
    """``outside_training_notes`` for the clips of one recording (``audio_windows``), said once for it: '40 of its
    180 clips are quieter than every clip the model learnt from: ...'."""
    each = outside_training_notes(kind, x, kept_x)
    said = []
    for words in OUTSIDE_WORDS.values():
        for word in words:
            n = sum(any(f" is {word} than nearly every" in note for note in notes) for notes in each)
            if n:
                said.append(f"{n} of its {len(each)} clips {'is' if n == 1 else 'are'} {word} than nearly every clip the "
                            f"model learnt from: {'its answer is a guess' if n == 1 else 'their answers are guesses'}, "
                            "however sure; add recordings like it (of every class) to the training data and train "
                            "again")
    return said
