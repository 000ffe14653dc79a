"""A run's test results in sentences: what they were measured on, how sure they are, what the model
mixed up. Shared by the results files (``results_files.py``), the CLI, the model card and the app.
No torch, no Qt."""

from __future__ import annotations

from edgeling.core.sentences import counted as counted_words
from edgeling.core.sentences import verb
from edgeling.core.terminal_hint import in_terminal

CROSSVAL_SPLIT = "cross-validation"
"""The ``split`` of pooled cross-validation results (``training/crossval.py``): every sample, each tested once."""
OTHER_FILES_SPLIT = "other files"
"""The ``split`` of results measured on files that are not part of the run's data (``evaluate --on``)."""



SUBJECT_WORDS = {"speaker": ("speaker", "speakers", "heard"), "machine": ("machine (or person)", "machines", "met"),
                 "subject": ("photographed subject", "photographed subjects", "saw"),   # a plant, a parcel, a person
                 "source": ("hive, machine or place", "hives, machines or places", "heard")}   # long recordings
"""What the names in the file names are, by the metrics' ``subjects["who"]`` (sound: speakers; sensors: machines)."""


def subjects_file(metrics: dict) -> str:
    """The results file with each held-out subject's right answers: per_speaker.csv for sound clips,
    per_machine.csv for sensor recordings (the pump walk: a pump user got per_speaker.csv), else
    per_speaker_or_machine.csv."""
    who = (metrics.get("subjects") or {}).get("who")
    return f"per_{who}.csv" if who in SUBJECT_WORDS else "per_speaker_or_machine.csv"


def subject_words(metrics: dict) -> tuple[str, str, str]:
    """(one, several, what the model did not do to them in training) for the held-out subjects."""
    who = (metrics.get("subjects") or {}).get("who")
    return SUBJECT_WORDS.get(who, ("speaker (or machine)", "speakers (or machines)", "met"))


def subjects_sentence(metrics: dict) -> str:
    """How the test split held whole speakers (or machines) out, read from the file names (or a label sheet's
    column, ``subjects["from"]``), and how each of them did (the accuracy on a new one varies as theirs does)."""
    sub = metrics["subjects"]
    one, _, did = subject_words(metrics)
    whose = one.replace(" (", "'s (").replace(")", "'s)") if "(" in one else one + "'s"
    read_from = f"read from {sub['from']}" if sub.get("from") else "read from the file names"
    if metrics.get("split") == CROSSVAL_SPLIT:
        said = (f"Each {whose} files were kept together, {read_from}: each of the "
                f"{len(sub['test'])} was tested by a model that never {did} them in training.")
    elif metrics.get("split") == OTHER_FILES_SPLIT:     # evaluate --on: the files' own speakers or machines
        who = sub.get("who")
        many = {"speaker": "speakers", "machine": "machines", "source": "hives, machines or places"}.get(
            who, "subjects (people, plants or machines)")
        said = f"{read_from[0].upper()}{read_from[1:]}, these files are from {len(sub['test'])} {many}."
        met = sub.get("learnt") or []
        if met:      # the speech walk: a new session of the same children, said to be all new
            said += (f" {len(met)} of them {'was' if len(met) == 1 else 'were'} in the run's training data "
                     f"({', '.join(met[:4])}{', ...' if len(met) > 4 else ''}), so on them the model is not meeting "
                     f"new {many}.")
    else:
        said = (f"The split keeps each {whose} files together, {read_from}: the "
                f"{len(sub['test'])} of {sub['count']} in the test split ({', '.join(sub['test'])}) are ones the "
                f"model never {did} in training.")
    if sub.get("unnamed"):       # the speech walk: 'Léa 3 – oui.wav' was not among them, unsaid
        n = int(sub["unnamed"])
        which = (f"with no one named in {sub['from']}" if sub.get("from") else
                 f"whose {verb(n, 'name does', 'names do')} not say whose {verb(n, 'it is', 'they are')}")
        said += f" Not so for {counted_words(n, 'file')} {which}: {verb(n, 'it was', 'they were')} split one by one."
    right = sub.get("right") or {}
    if right and len(right) <= MANY_SUBJECTS:
        each = "; ".join(f"{name} {d['right'] / d['samples']:.0%} ({d['right']} of {d['samples']})"
                         for name, d in sorted(right.items()))
        said += f" Right answers for each of them: {each}."
    elif right:
        # each end with its counts: a child scored on 1 clip is no child who does worse (the GUI walk read
        # "from 0% (Child31) to 100% (1 of 32 at that)", both ends single clips)
        shares = sorted((d["right"] / d["samples"], name) for name, d in right.items())
        low, high = shares[0][0], shares[-1][0]
        most = lambda at: max((n for s, n in shares if s == at), key=lambda n: (right[n]["samples"], n))  # noqa: E731
        worst, best = most(low), most(high)        # at each end, the one measured on the most samples
        also = sum(share == high for share, _ in shares) - 1
        said += (f" Right answers for each of them: from {low:.0%} ({worst}, {right[worst]['right']} of "
                 f"{right[worst]['samples']}) to {high:.0%} ({best}, {right[best]['right']} of "
                 f"{right[best]['samples']}{f'; {also} more at that' if also else ''}); the middle one "
                 f"{shares[len(shares) // 2][0]:.0%} (each one in results.md and {subjects_file(metrics)}"
                 # written by cross-validation, else only when saved (the speech walk looked for them)
                 + ("" if metrics.get("split") == CROSSVAL_SPLIT else " when the results are saved") + ").")
    return said


MANY_SUBJECTS = 8
"""More speakers than this are summed up in a sentence and listed in a table of their own."""


def subjects_table(metrics: dict) -> list[str]:
    """'## Each speaker (or machine)': right answers per held-out speaker, when there are many."""
    right = (metrics.get("subjects") or {}).get("right") or {}
    if len(right) <= MANY_SUBJECTS:
        return []
    lines = ["", "## Each speaker (or machine)", "", "| speaker or machine | right | samples | share right |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {name} | {d['right']} | {d['samples']} | {d['right'] / d['samples']:.1%} |"
              for name, d in sorted(right.items())]
    return lines


FEW_PER_CLASS = 10


def wrong_answers(metrics: dict, most: int = 10) -> list[str]:
    """'commandes.csv row 394 (N° commande CMD-10392): is oui, the model said non (65% sure)', for the
    worst samples the model got wrong, the one it was surest of first (a wrong label often hides there)."""
    listed = metrics.get("wrong_samples")      # every wrong answer; results saved before it: the worst ten's
    wrong = [w for w in (listed if listed is not None else metrics.get("worst_samples") or [])
             if "predicted" in w and w.get("true") != w.get("predicted")]
    wrong.sort(key=lambda w: -w["confidence"] if isinstance(w.get("confidence"), (int, float)) else 0.0)
    return [sample_words(w) for w in wrong[:most]]


def learnt_clearly(accuracy: float, baseline: float, accuracy_range=None) -> bool:
    """True when a test accuracy is clearly above always answering the most common class: it gets at
    least a third of that answer's mistakes right, and the low end of its 95% range is above it too."""
    if accuracy - baseline < (1.0 - baseline) / 3:
        return False
    low = accuracy_range[0] if isinstance(accuracy_range, (list, tuple)) and accuracy_range else None
    return not isinstance(low, (int, float)) or low > baseline


VERDICT_WORDS = {"worse": "Worse than", "no better": "No better than", "not clearly better": "Not clearly better than",
                 "a little better": "Only a little better than", "better": "Better than"}


def baseline_verdict(metrics: dict) -> str | None:
    """How a classifier's accuracy compares with always answering its most common class: "worse", "no
    better", "not clearly better", "a little better" (its range is above it, but it gets fewer than a third of
    that answer's mistakes right) or "better" (``learnt_clearly``); None for a number model or without a
    yardstick. Pages decide from this whether to warn; ``baseline_sentence`` says it."""
    acc, base = metrics.get("accuracy"), metrics.get("majority_baseline")
    if not isinstance(acc, (int, float)) or not isinstance(base, dict) or \
            not isinstance(base.get("accuracy"), (int, float)):
        return None
    n = metrics.get("num_samples") or 0
    if acc < base["accuracy"] - 0.5 / max(n, 1):
        return "worse"
    span = metrics.get("accuracy_range")
    if not learnt_clearly(acc, base["accuracy"], span):
        if acc <= base["accuracy"] + 0.5 / max(n, 1):
            return "no better"
        low = span[0] if isinstance(span, (list, tuple)) and span else None
        # above it, surely, but by little (the shop walk: "Not clearly better than 60.9%" beside a range of 67-72%)
        return "a little better" if isinstance(low, (int, float)) and low > base["accuracy"] else "not clearly better"
    return "better"


def baseline_sentence(metrics: dict) -> str | None:
    """The verdict against always answering the most common class, which a non-programmer needs next to any
    accuracy: "Worse than always answering 'nein' (88.1%); it finds 78 of the 95 'ja', and of the 348 it
    answered 'ja', 78 were (22%)." (the rarest class's catch, and how often its answer of that class is right,
    when one class is most of the data: the shop walk read "ja (67% sure)" as two chances in three). None for a number model or without a yardstick."""
    verdict = baseline_verdict(metrics)
    if verdict is None:
        return None
    base = metrics["majority_baseline"]
    answer = (f"always answering '{base.get('class')}'" if base.get("tied", 1) == 1
              else "always answering any one class")
    said = f"{VERDICT_WORDS[verdict]} {answer} ({base['accuracy']:.1%})"
    span, n = metrics.get("accuracy_range"), metrics.get("num_samples")
    if verdict == "not clearly better" and isinstance(span, (list, tuple)) and span and isinstance(n, int):
        # why, when the accuracy is well above it (the upgrade walk: "67.9%, not clearly better than the 35.7%")
        said += (f": on {independent_samples(metrics)[1]} its {metrics['accuracy']:.1%} could really be as low as {span[0]:.0%} "
                 "(the 95% range)")
    per_class = {c: d for c, d in (metrics.get("per_class") or {}).items()
                 if isinstance(d, dict) and d.get("support") and isinstance(d.get("recall"), (int, float))}
    if len(per_class) >= 2 and base["accuracy"] >= 0.6:       # one class is most of the data
        rare, d = min(per_class.items(), key=lambda kv: kv[1]["support"])
        found = round(d['recall'] * d['support'])
        said += f"; it finds {found} of the {d['support']} '{rare}'"
        answered = d.get("predicted")
        if isinstance(answered, int) and answered > found:    # its answers of the rare class: how many were
            said += f", and of the {answered} it answered '{rare}', {found} were ({found / answered:.0%})"
    return said + "."


def sample_words(sample: dict) -> str:
    """One sample and the model's answer, for a person: "commandes.csv row 394 (N° commande CMD-10392): is
    oui, the model said non (65% sure)" (the app's sample lists and results.md's wrong answers alike)."""
    from edgeling.core.data.row_names import place_words

    def shown(v) -> str:
        return f"{v:.4g}" if isinstance(v, float) else str(v)
    sure = f" ({sample['confidence']:.0%} sure)" if isinstance(sample.get("confidence"), (int, float)) else ""
    return (f"{place_words(sample) or '?'}: is {shown(sample.get('true'))}, the model said "
            f"{shown(sample.get('predicted'))}{sure}")


def few_samples_sentence(metrics: dict) -> str | None:
    """How coarse the numbers are when the test has few samples of a class (a paper's per-word recall on 4
    clips moves in steps of 25 points), and which classes it has none of; None when every class has
    ``FEW_PER_CLASS`` or more."""
    per_class = metrics.get("per_class") or {}
    support = {str(c): int(v.get("support") or 0) for c, v in per_class.items() if isinstance(v, dict)}
    few = {c: n for c, n in support.items() if 0 < n < FEW_PER_CLASS}
    none = [c for c, n in support.items() if n == 0]
    said = []
    if few:
        fewest = min(few.values())
        listed = ", ".join(f"{c} {n}" for c, n in sorted(few.items(), key=lambda kv: kv[1])[:6])
        more = ", ..." if len(few) > 6 else ""
        classes = "1 class has" if len(few) == 1 else f"{len(few)} classes have"
        said.append(f"Few samples to judge by: {classes} fewer than {FEW_PER_CLASS} "
                    f"({listed}{more}), so one sample more or less right moves a class's recall by up to "
                    f"{100 / fewest:.0f} points. More files kept apart for testing give firmer numbers: 'Test on "
                    f"other files…' on the Evaluate page{in_terminal('edgeling evaluate RUN --on FOLDER')}.")
    if none:
        said.append(f"There is no sample of {', '.join(map(repr, none[:6]))} here, so how well the model "
                    "recognises it is not measured.")
    return " ".join(said) or None


def independent_samples(metrics: dict) -> tuple[int, str, str]:
    """(how many independent samples the test is worth, what measured it, why fewer): a recording's windows
    are alike, and so are one speaker's (or machine's) clips when their scores differ, so the test counts
    fewer samples than it has. ``(n, "n samples", "")`` when each sample counts."""
    n = int(metrics.get("num_samples") or 0)
    recordings = metrics.get("recordings")
    counted = recordings if isinstance(recordings, int) and 0 < recordings < n else n
    part = "clips" if metrics.get("kind") == "audio" else "windows"     # a sound recording's: its clips
    what, why = (f"{n} {part} from {counted} recordings", f", each recording counted once: its {part} are alike") \
        if counted < n else (f"{n} samples", "")
    right = (metrics.get("subjects") or {}).get("right") or {}
    if len(right) >= 2:           # held-out speakers: their clips are alike, as a recording's windows are
        from edgeling.core.training.metrics import clustered_samples

        worth = clustered_samples(right)
        if worth is not None and worth < 0.95 * counted:     # "about 348 of 349" says nothing (the GUI walk)
            counted = max(1, round(worth))
            one, many, _ = subject_words(metrics)
            what = f"{n} samples from {len(right)} {many}"
            why = (f", counted as about {counted} independent samples: one {one.split(' ')[0]}'s samples are "
                   f"alike, and the {many.split(' ')[0]}' scores differ")
    return counted, what, why


def stored_range(metrics: dict) -> list[float] | None:
    """The 95% range of ``metrics``' accuracy as its sentence gives it (``independent_samples``: windows of a
    recording, and clips of one held-out speaker or machine, counted as alike), for ``accuracy_range`` in
    the results: the pump walk's crossval said "between 50% and 94%" and stored [0.717, 0.860]."""
    from edgeling.core.training.metrics import accuracy_range

    acc, n = metrics.get("accuracy"), metrics.get("num_samples")
    if not isinstance(acc, (int, float)) or not isinstance(n, int) or n <= 0:
        return None
    found = accuracy_range(acc, independent_samples(metrics)[0])
    return list(found) if found else None


def new_things(metrics: dict) -> str:
    """What new samples are to their user: "rows" of a table (the shop walk read "new files"), else "files"."""
    return "rows" if metrics.get("kind") == "table" else "files"


def accuracy_range_sentence(metrics: dict) -> str | None:
    """How far the measured accuracy can be trusted, from how many samples measured it: "59 samples measure
    the accuracy only roughly: on new files like these it is likely between 86% and 98% (95% range)."
    Computed from ``accuracy`` and ``num_samples``, so results saved before it was stored get it too."""
    from edgeling.core.training.metrics import accuracy_range

    acc, n = metrics.get("accuracy"), metrics.get("num_samples")
    if not isinstance(acc, (int, float)) or not isinstance(n, int) or n <= 0:
        return None
    if (metrics.get("trained_on") or {}).get("count"):
        return None     # files the run learnt from score better than new ones: no range for new files
    counted, what, why = independent_samples(metrics)
    lo, hi = accuracy_range(acc, counted)
    # one decimal when whole percents would say 100% of a range short of it (the speech walk: 99.5% said as 100%)
    fmt = ".1%" if hi - lo < 0.02 or 0.995 <= hi < 1 or 0 < lo < 0.005 else ".0%"
    how = "only roughly" if hi - lo >= 0.1 else "closely" if hi - lo < 0.02 else "fairly well"
    said = (f"{what} measure the accuracy {how}: on new {new_things(metrics)} like these it is likely between "
            f"{lo:{fmt}} and {hi:{fmt}} (95% range{why}).")
    held = sorted((metrics.get("subjects") or {}).get("right") or {})
    if 0 < len(held) < FEW_HELD_OUT and metrics.get("split") in ("test", "validation"):
        one, many, _ = subject_words(metrics)   # the speech walk: 36 clips of 3 children, "between 90% and 100%"
        said += (f" But the test holds only {counted_words(len(held), one, many)} ({', '.join(held)}), and a new "
                 f"{one} can do much better or worse than these did: so few cannot say how much. Use \"Check every "
                 f"sample\" on the Evaluate page{in_terminal('edgeling crossval')}: cross-validation tests every "
                 f"{one} with a model that never met them.")
    elif isinstance(metrics.get("same_subjects"), dict) and metrics.get("split") in ("test", "validation"):
        same = metrics["same_subjects"]     # the pump walk: 5 pumps, each in training and in the test
        said += (f" But the test holds files of {_same_words(same)} as training, so one "
                 f"the model never met may score lower. Use \"Check every sample\" on the Evaluate page"
                 f"{in_terminal('edgeling crossval')}: its parts hold whole ones out.")
    elif hi - lo >= WIDE_RANGE and metrics.get("split") in ("test", "validation"):
        said += (" For a closer number, use \"Check every sample\" on the Evaluate page"
                 f"{in_terminal('edgeling crossval')}: cross-validation tests each sample with a model that never "
                 "saw it.")
    return said


def _same_words(same: dict) -> str:
    """'the same 4 machines', or '3 of the same 4 machines' when the test holds files of only some of them."""
    count, of = same.get("count"), same.get("of")
    if isinstance(of, int) and isinstance(count, int) and count < of:
        return f"{count} of the same {of} {same.get('who')}"
    return f"the same {count} {same.get('who')}"


WIDE_RANGE = 0.3
FEW_HELD_OUT = 5
"""A test split holding fewer speakers (machines) than this says how little they tell of a new one."""
"""A test's 95% range this wide (30 points) points to cross-validation: its split holds too few samples."""


def copies_sentence(metrics: dict) -> str | None:
    """When the test samples include photos that are also filed under another label (copies, exact or saved
    again): how many, which, and that one copy of each pair counts as wrong whatever the model answers."""
    copies = metrics.get("copies_under_two_labels") or []
    if not copies:
        return None
    named = ", ".join(copies[:3]) + (" …" if len(copies) > 3 else "")
    return (f"{len(copies)} of these samples are photos also filed under another label ({named}): whatever "
            "the model answers, a copy under the wrong label counts as a mistake. Keep each photo in its right "
            "folder only, then train again: the Data page lists the copies" + in_terminal("edgeling inspect DATA")
            + ".")


def samples_phrase(metrics: dict) -> str:
    """``"36 test samples"``, or ``"20 samples in /path"`` for other files."""
    n, split = metrics.get("num_samples"), metrics.get("split", "test")
    if split == CROSSVAL_SPLIT:
        return f"{n} samples (all of them, by cross-validation)"
    return f"{n} samples in {metrics.get('data')}" if split == OTHER_FILES_SPLIT else f"{n} {split} samples"


def learnt_warning(metrics: dict) -> str | None:
    """For results on other files: a warning when some of them are samples the run learnt from."""
    learnt = metrics.get("trained_on") or {}
    if learnt.get("checked") is False and metrics.get("split") == OTHER_FILES_SPLIT:
        return ("NOTE: these files could not be compared with the data the run learnt from (" +
                str(learnt.get("why") or "it could not be read here").rstrip(".") + "), so whether the run "
                "learnt from some of them is not known.")
    if not learnt.get("count"):
        return None
    return (f"WARNING: {learnt['count']} of the {metrics.get('num_samples')} samples are ones the run learnt from "
            f"(or chose its best epoch with), e.g. {', '.join(learnt['examples'][:3])}; the numbers are better than new files would get. "
            "Test on files that are not in the training data.")


def measured_on(metrics: dict) -> str:
    """Where the numbers come from, and how far to trust them, as one sentence."""
    n, split = metrics.get("num_samples"), metrics.get("split", "test")
    if split == OTHER_FILES_SPLIT:
        learnt = metrics.get("trained_on") or {}
        if learnt.get("count"):
            return f"Measured on the {samples_phrase(metrics)}. {learnt_warning(metrics)}"
        if learnt.get("checked"):
            return (f"Measured on the {samples_phrase(metrics)}: none of them is in the data the run learnt "
                    "from, so the model never saw them.")
        return (f"Measured on the {samples_phrase(metrics)}. They could not be compared with the run's training "
                "data (it could not be read here), so whether the model saw some of them is not known.")
    if split == CROSSVAL_SPLIT:
        k = metrics.get("folds")
        spread = metrics.get("fold_accuracy") or {}
        said = (f"Measured by cross-validation: the data was cut into {k} parts, and {k} models were each trained "
                f"without one part and tested on it, so each of the {n} samples was tested once by a model that "
                "never saw it (nor chose its best epoch with it). The numbers pool all of them.")
        if spread:
            said += (f" The {k} models' own accuracies: {spread['mean']:.1%} on average, give or take "
                     f"{spread['std']:.1%} (" + ", ".join(f"{f['accuracy']:.1%}" for f in metrics.get("per_fold") or []
                                                       if isinstance(f.get("accuracy"), (int, float))) + ").")
        return said
    if split == "validation":
        return (f"Measured on the {n} samples of the validation split (the data was too small to set a test split "
                "aside): the model did not learn from them, but they chose its best epoch, so the numbers may "
                "be a little optimistic.")
    said = (f"Measured on the {n} samples of the {split} split, which the model never saw while it was trained or "
            "while its best epoch was chosen.")
    same = metrics.get("same_subjects")
    if isinstance(same, dict):      # the pump walk: all 5 pumps were in training and in the test, unsaid here
        said += (f" But they come from {_same_words(same)} as the training samples (each one's files were split one "
                 "by one), so one the model never met may score lower.")
    return said


def model_words(arch: str) -> str:
    """'audio_cnn (a small sound model: turns each clip into ...)': the architecture and what it is."""
    from edgeling.core.data.dataset import DataError
    from edgeling.core.models import zoo

    try:
        said = zoo.describe(arch)
    except (DataError, ImportError, AttributeError):   # a run from an architecture no longer in the zoo
        return arch
    word = said.split(" ", 1)[0]
    first = said[:1] if sum(c.isupper() for c in word) > 1 else said[:1].lower()   # "a small ..."; "DS-CNN: ..."
    return f"{arch} ({first}{said[1:].rstrip('.')})"


def times(n: int) -> str:
    """'1 time', '3 times' (not '1 time(s)')."""
    from edgeling.core.sentences import counted

    return counted(n, "time")
