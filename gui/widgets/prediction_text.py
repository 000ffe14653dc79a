"""What the model said about a file dropped on *Try it*, as a few lines of HTML (``edgeling predict --json``
output in, text out; no Qt objects)."""

from __future__ import annotations

ANSWERS_LISTED = 12


def prediction_html(obj: dict) -> str:
    """``edgeling predict --json`` output as a few lines: the answer and the top confidences; for a file of
    several rows every row's answer (the first ``ANSWERS_LISTED``) with how many each class got; for a long
    recording how its windows were answered; then the notes (values never seen in training...)."""
    from html import escape

    from edgeling.core.commands.predict import windows_summary

    preds = obj.get("predictions") or []
    if not preds:
        return "The model gave no answer for this file."
    if len(preds) == 1:
        p = preds[0]
        if "value" in p:
            lines = [f"The model says: <b>{p['value']:.4g}</b>"]
        else:
            lines = [f"The model says: <b>{escape(str(p.get('label', '?')))}</b> ({p.get('confidence', 0):.0%} sure)"]
            lines += [f"{escape(str(t['label']))}: {t['confidence']:.1%}" for t in (p.get("top") or [])[:5]]
        summary = windows_summary(p, detail_hint="")
        labels = {str(w.get("label")) for w in p.get("windows") or [] if "label" in w}
        if summary and len(labels) > 1:   # the average hides a change: lead with the windows
            lines = [f"<b>The answer changes along the recording</b>: {escape(summary)}.",
                     "Over the whole recording: " + lines[0].removeprefix("The model says: "), *lines[1:]]
        elif summary:
            lines.append(escape(summary))
    else:
        counts: dict[str, int] = {}
        for p in preds:
            key = f"{p['value']:.4g}" if "value" in p else str(p.get("label", "?"))
            counts[key] = counts.get(key, 0) + 1
        lines = [f"{len(preds)} answers" + ("" if any("value" in p for p in preds) else ": " + ", ".join(
            f"<b>{escape(k)}</b> {n}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1])))]
        for p in preds[:ANSWERS_LISTED]:
            where = str(p.get("source", "")).rpartition("#")[2].replace("row=", "row ")
            if p.get("row_id"):          # the row's order number or reference, as the table names it
                where += f", {p['row_id']}"
            said = (f"<b>{p['value']:.4g}</b>" if "value" in p else
                    f"<b>{escape(str(p.get('label', '?')))}</b> ({p.get('confidence', 0):.0%} sure)")
            lines.append(f"{escape(where)}: {said}")
        if len(preds) > ANSWERS_LISTED:
            lines.append(f"… and {len(preds) - ANSWERS_LISTED} more (the first {ANSWERS_LISTED} are shown).")
    lines += [f"<i>Note: {escape(str(n))}</i>" for n in obj.get("notes") or []]
    return "<br>".join(lines)
