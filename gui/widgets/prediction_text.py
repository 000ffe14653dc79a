"""What the model said about a file dropped on *Try it*, as a few lines of HTML (``edgeling predict --json``
output in, text out; no Qt objects).

The pump walk: a recording whose readings never change (zeros.csv, the sensor dead) read in bold "The model says:
normal (100% sure)", and the note that the answer meant nothing came last, in italics, below the fold. Now a file
whose prediction has ``no_reading`` leads with a plain sentence saying there is no answer (the class only after,
in grey), and the notes, which change what an answer means, come before the class list."""

from __future__ import annotations

from html import escape

ANSWERS_LISTED = 12
SECONDARY = "color: gray"   # the class of a file with no reading: said, but not as the answer


def no_reading_words(name: str, label: str) -> str:
    """The lead of an answer about a recording whose readings never change (the sensor stuck or dead), in core's
    words (``stuck_sensor.NO_READING``, which ``edgeling predict`` says too)."""
    from edgeling.core.data.stuck_sensor import NO_READING

    return f"No answer for {name or 'this file'}: {NO_READING} (it said '{label}')."


def mean_words(p: dict) -> str:
    """Why the whole recording's answer may not be the class most of its clips said: it is the mean of their
    answers (their probabilities), not a count (the beekeeper walk read "111 clips: 67 queenright, 44 swarming"
    over "Over the whole recording: swarming (53%)" as a contradiction). Clips for sound (core's ``parts``),
    windows for sensor data."""
    parts = str(p.get("parts") or "windows")
    counted = [w for w in p.get("windows") or [] if "label" in w and not w.get("no_reading")]
    counts: dict[str, int] = {}
    for w in counted:
        counts[str(w["label"])] = counts.get(str(w["label"]), 0) + 1
    said = (f"This is the mean of the {len(counted)} {parts}' answers (how sure each {parts[:-1]} is of each "
            f"class), not a count of the {parts}")
    label = str(p.get("label", ""))
    if counts and counts.get(label, 0) < max(counts.values()):
        return said + f": {label} comes first although fewer {parts} said it."
    return said + "."


def prediction_html(obj: dict, name: str = "") -> str:
    """``edgeling predict --json`` output as a few lines: the answer, the notes, then the top confidences; for a
    file of several rows every row's answer (the first ``ANSWERS_LISTED``) with how many each class got; for a
    long recording how its clips (sound) or windows (sensor data) were answered. ``name``: the file's name, said when it gave no reading."""
    from edgeling.core.commands.predict import windows_summary

    notes = [f"<i>Note: {escape(str(n))}</i>" for n in obj.get("notes") or []]
    preds = obj.get("predictions") or []
    if not preds:
        return "<br>".join(["The model gave no answer for this file.", *notes])
    if len(preds) == 1:
        p = preds[0]
        summary = windows_summary(p, detail_hint="")
        if "value" in p:
            said = f"<b>{p['value']:.4g}</b>"
            top = []
        else:
            said = f"<b>{escape(str(p.get('label', '?')))}</b> ({p.get('confidence', 0):.0%} sure)"
            top = [f"{escape(str(t['label']))}: {t['confidence']:.1%}" for t in (p.get("top") or [])[:5]]
        if p.get("no_reading"):     # a dead sensor's "normal (100% sure)" is no answer: the class only in grey
            label = f"{p['value']:.4g}" if "value" in p else str(p.get("label", "?"))
            details = [f"What the model said anyway: {escape(label)}"
                       + ("" if "value" in p else f" ({p.get('confidence', 0):.0%})"), *top]
            if summary:
                details.append(escape(summary))
            return "<br>".join([escape(no_reading_words(name, label)), *notes,
                                f"<span style='{SECONDARY}'>" + "<br>".join(details) + "</span>"])
        lead = [f"The model says: {said}"]
        labels = {str(w.get("label")) for w in p.get("windows") or [] if "label" in w}
        if summary and len(labels) > 1:   # the average hides a change: lead with the windows
            lead = [f"<b>The answer changes along the recording</b>: {escape(summary)}.",
                    f"Over the whole recording: {said}. {escape(mean_words(p))}"]
        elif summary:
            top.append(escape(summary))
        return "<br>".join([*lead, *notes, *top])
    counts: dict[str, int] = {}
    for p in preds:
        key = f"{p['value']:.4g}" if "value" in p else str(p.get("label", "?"))
        counts[key] = counts.get(key, 0) + 1
    lines = [f"{len(preds)} answers" + ("" if any("value" in p for p in preds) else ": " + ", ".join(
        f"<b>{escape(k)}</b> {n}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1])))]
    lines += notes
    for p in preds[:ANSWERS_LISTED]:
        where = str(p.get("source", "")).rpartition("#")[2].replace("row=", "row ")
        if p.get("row_id"):          # the row's order number or reference, as the table names it
            where += f", {p['row_id']}"
        said = (f"<b>{p['value']:.4g}</b>" if "value" in p else
                f"<b>{escape(str(p.get('label', '?')))}</b> ({p.get('confidence', 0):.0%} sure)")
        lines.append(f"{escape(where)}: {said}")
    if len(preds) > ANSWERS_LISTED:
        lines.append(f"… and {len(preds) - ANSWERS_LISTED} more (the first {ANSWERS_LISTED} are shown).")
    return "<br>".join(lines)
