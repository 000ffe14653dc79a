"""The shop walk, Data page at 1024 x 700: in the preview of a table, the column to predict ('Retourné', the
last of nine columns) was out of view to the right, behind the scroll bar; its bold marking only helped when it
came first. It is shown first now, the other columns in the file's order."""

from __future__ import annotations

from edgeling.gui.qt import QApplication
from tests.gui.test_main_window import wait_imported

COLUMNS = ["Numéro de commande", "Date", "Catégorie", "Montant (€)", "Remise %", "Pays", "Délai livraison (j)",
           "Mode de paiement", "Retourné"]


def _table(path) -> None:
    cats = ["Chaussures", "Électronique", "Beauté", "Jouets"]
    lines = [";".join(COLUMNS)]
    for i in range(80):
        lines.append(";".join([f"CMD-{100000 + i}", f"{1 + i % 28:02d}/0{1 + i % 9}/2025", cats[i % 4],
                               f"{20 + (i * 7) % 90},{i % 100:02d}", str(5 * (i % 4)), ["France", "Belgique"][i % 2],
                               str(1 + i % 6), ["Carte bancaire", "Virement"][i % 2], ["Oui", "Non"][i % 3 == 0]]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_column_to_predict_is_in_view(window, qtbot, tmp_path):
    csv = tmp_path / "commandes_export.csv"
    _table(csv)
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(csv))
    wait_imported(qtbot, window)
    box = page.target_box
    if box.currentText() != "Retourné":
        i = box.findText("Retourné")
        box.setCurrentIndex(i)
        box.activated.emit(i)
        wait_imported(qtbot, window)
    qtbot.waitUntil(lambda: window.state.dataset is not None and window.state.dataset.meta.get("target") == "Retourné",
                    timeout=60000)
    QApplication.processEvents()
    preview = page.preview
    assert preview.objectName() == "tablePreview"
    header = preview.horizontalHeader()
    target = COLUMNS.index("Retourné")
    assert preview.horizontalHeaderItem(target).text() == "Retourné" and preview.horizontalHeaderItem(target).font().bold()
    assert header.visualIndex(target) == 0                       # shown first
    left = header.sectionViewportPosition(target)
    assert 0 <= left and left + header.sectionSize(target) <= preview.viewport().width()     # in view, whole
    # the others in the file's order, after it
    assert [preview.horizontalHeaderItem(header.logicalIndex(v)).text() for v in range(1, len(COLUMNS))] == COLUMNS[:-1]
    assert preview.item(0, target).text() in ("Oui", "Non")     # the cells move with their column
