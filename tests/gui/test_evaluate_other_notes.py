"""The shop walk, Evaluate → "Test on other files…" on a table: the notes core returns with the results (values
outside what the model learnt from, a category never seen in training, blanks filled), which the terminal prints
as "note: …", were not shown at all, and the wrong answers read "row 682: is Oui …" without the order number the
terminal gives ("row 682 (Numéro de commande CMD-300680)")."""

from __future__ import annotations

from edgeling.core.results_words import OTHER_FILES_SPLIT
from edgeling.gui.pages.evaluate_notes import NOTES_SHOWN
from edgeling.gui.qt import QApplication
from tests.gui.conftest import new_project_page

F = "nouveau.csv"
NOTES = [f"{F} rows 5, 16 and 76: 'Délai (j)' is blank; the model was given the column's middle value (3), as in training",
         f"{F} rows 4, 8 and 27: 'Montant (€)' is outside what the model learnt from (4.79 to 294.18): 2817.42, "
         "2330.39, 1935.93; its answer there is a guess",
         f"{F} rows 20 and 33: 'Jardin' in 'Catégorie' was never seen in training; the model treats it as none of "
         "the known values.",
         f"{F} rows 46 and 96: 'Montant (€)' is blank; the model was given the column's middle value (44.69), as "
         "in training",
         f"{F} rows 54 and 112: 'Pays' is blank; the model was given \"(missing)\", as blank cells were in training"]


def _results(tmp_path) -> dict:
    wrong = {"source": f"{F}#row=682", "true": "Oui", "predicted": "Non", "confidence": 0.99,
             "row_id": "CMD-300680", "row_id_column": "Numéro de commande"}
    return {"task": "classification", "accuracy": 0.68, "class_names": ["Non", "Oui"],
            "confusion_matrix": [[2, 0], [1, 1]], "split": OTHER_FILES_SPLIT, "num_samples": 4,
            "data": str(tmp_path / F), "root": str(tmp_path), "notes": list(NOTES),
            "wrong_samples": [wrong], "worst_samples": [dict(wrong)],
            "samples": [{"source": f"{F}#row={r}", "true": t, "predicted": p, "confidence": c}
                        for r, t, p, c in ((2, 0, 0, 0.9), (3, 0, 0, 0.8), (682, 1, 0, 0.99), (5, 1, 1, 0.7))]}


def test_the_notes_and_the_order_numbers_of_other_files_are_shown(window, qtbot, tmp_path):
    page = new_project_page(window, "evaluate", (1024, 700))
    page._on_evaluated(_results(tmp_path))
    QApplication.processEvents()
    assert page.worst.texts()[0] == (f"{F} row 682 (Numéro de commande CMD-300680): is Oui, the model said Non "
                                     "(99% sure)")
    label = page.notes_label
    assert label.isVisible()
    shown = label.text()
    # a few notes, those that change what an answer means first; the blanks filled as in training behind "more"
    assert shown.count("Note:") == NOTES_SHOWN and "outside what the model learnt from" in shown
    assert "&#x27;Jardin&#x27;" in shown and "is blank" not in shown
    assert f"Show {len(NOTES) - NOTES_SHOWN} more notes" in shown
    label.linkActivated.emit("more")
    assert label.text().count("Note:") == len(NOTES) and "Show fewer notes" in label.text()
    label.linkActivated.emit("fewer")
    assert label.text().count("Note:") == NOTES_SHOWN
    page.load_metrics()             # back to the test split (no run here): its results have no such notes
    assert not label.isVisible()
