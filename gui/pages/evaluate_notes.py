"""What "Test on other files…" found about the rows it tested, under the Evaluate page's summary, and each wrong
answer's row named as the terminal names it.

The shop walk: ``edgeling evaluate RUN --on new.csv`` prints core's notes ("new.csv rows 4, 8, … : 'Montant (€)'
is outside what the model learnt from (4.79 to 294.18) …; its answer there is a guess", a category never seen in
training, blanks filled) and the page showed none of them; its wrong answers read "row 682: is Oui …" where the
terminal says "row 682 (Numéro de commande CMD-300680)". Here the first ``NOTES_SHOWN`` notes are said (those
that change what an answer means before the blanks filled as in training), the rest behind a "more" link."""

from __future__ import annotations

from html import escape

from edgeling.core.sentences import counted
from edgeling.gui.qt import QLabel, Qt

NOTES_SHOWN = 2      # at 1024 px a note takes two lines: more would push the matrix out of view
MORE, FEWER = "more", "fewer"
ROW_NAME_KEYS = ("row_id", "row_id_column")


def notes_label(page) -> QLabel:
    """``page.notes_label``: the notes of the files tested, hidden while there are none."""
    label = QLabel("")
    label.setObjectName("evalNotes")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    label.setOpenExternalLinks(False)
    label.hide()
    page.notes_label = label
    page._notes_all = False
    label.linkActivated.connect(lambda link: _show_notes(page, link == MORE))
    return label


def ordered_notes(notes) -> list[str]:
    """Core's notes, those that change what an answer means first (a value outside what the model learnt from, a
    category never seen), then the blanks that were filled as in training."""
    notes = [str(n) for n in notes or [] if str(n).strip()]
    return [n for n in notes if " is blank;" not in n] + [n for n in notes if " is blank;" in n]


def notes_html(notes: list[str], every: bool) -> str:
    """The notes as lines of HTML: the first ``NOTES_SHOWN`` and a link to the rest, or all of them and a link
    to fewer."""
    if not notes:
        return ""
    shown = notes if every else notes[:NOTES_SHOWN]
    lines = [f"<i>Note: {escape(n)}</i>" for n in shown]
    if len(notes) > NOTES_SHOWN:
        lines.append(f"<a href='{FEWER}'>Show fewer notes</a>" if every else
                     f"<a href='{MORE}'>Show {counted(len(notes) - NOTES_SHOWN, 'more note')}…</a>")
    return "<br>".join(lines)


def show_notes(page, metrics: dict) -> None:
    """The notes of ``metrics`` (those of "Test on other files…"; the test split's results have none), folded."""
    page._notes = ordered_notes(metrics.get("notes"))
    _show_notes(page, False)


def _show_notes(page, every: bool) -> None:
    notes = getattr(page, "_notes", [])
    page._notes_all = every
    page.notes_label.setText(notes_html(notes, every))
    page.notes_label.setVisible(bool(notes))


def named_rows(samples: list[dict], metrics: dict) -> list[dict]:
    """``samples`` (every answer, as core gives them: no row names) with the row names core put on its listed
    wrong and least sure answers (``row_id``, ``row_id_column``), so each reads "row 682 (Numéro de commande
    CMD-300680)" as the terminal says it."""
    names = {}
    for s in (metrics.get("wrong_samples") or []) + (metrics.get("worst_samples") or []):
        if isinstance(s, dict) and s.get("row_id") is not None and s.get("source") is not None:
            names[s["source"]] = {k: s[k] for k in ROW_NAME_KEYS if k in s}
    if not names:
        return samples
    return [dict(s, **names[s.get("source")]) if s.get("source") in names else s for s in samples]
