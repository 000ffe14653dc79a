"""The vineyard walk: a folder of photos labelled by a sheet of file;diagnosis;parcel learnt the parcels (the
sheet's last column), and the Data page had no way to choose the diagnosis: its "Column to predict" box showed
for tables only. It shows for a folder whose label sheet has two or more columns to read the labels from
(core's meta ``sheet_columns``), the column used first chosen; choosing another reads the folder again with it
(``options["target"]``, the CLI's --target), kept in the project and passed on to the plan and the training."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgeling.gui.pages.model_plan import import_args


def sheet_folder(root: Path) -> Path:
    """12 small PNGs and labels.csv: file;Befund;Reihe (no column called 'label': the last one is taken)."""
    from PIL import Image

    root.mkdir(parents=True)
    rng = np.random.default_rng(0)
    rows = ["file;Befund;Reihe"]
    for i in range(12):
        finding = ("gesund", "mehltau")[i % 2]
        pixels = (rng.random((16, 16, 3)) * (100 if finding == "gesund" else 250)).astype("uint8")
        Image.fromarray(pixels).save(root / f"blatt{i:02d}.png")
        rows.append(f"blatt{i:02d}.png;{finding};R{i % 3}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def test_the_column_of_a_label_sheet_can_be_chosen(window, qtbot, tmp_path):
    folder = sheet_folder(tmp_path / "Weinberg")
    window.pages["home"].create_button.click()
    window.show_page("data")
    page = window.pages["data"]
    with qtbot.waitSignal(page.sig_imported, timeout=60000):
        page.import_path(str(folder))
    ds = window.state.dataset
    assert ds.kind == "images" and ds.meta["sheet_label_column"] == "Reihe"     # taken by its place
    box = page.target_box
    assert box.isVisible() and page.target_label.isVisible()
    assert not page.leave_out_button.isVisible()            # a table's option only
    assert [box.itemText(i) for i in range(box.count())] == ["Reihe", "Befund"]
    assert box.currentText() == "Reihe"
    assert "labels.csv" in box.toolTip()

    with qtbot.waitSignal(page.sig_imported, timeout=60000):
        box.setCurrentIndex(1)
        box.activated.emit(1)
    ds = window.state.dataset
    assert ds.kind == "images" and ds.meta["sheet_label_column"] == "Befund"
    assert list(ds.class_names) == ["gesund", "mehltau"]
    assert box.isVisible() and box.currentText() == "Befund"
    project = window.state.project
    assert project.data["kind"] == "images" and project.data["options"]["target"] == "Befund"
    args = import_args(project.data)
    assert args[args.index("--target") + 1] == "Befund" and args[args.index("--kind") + 1] == "images"
    params = window.pages["train"].job_params(tmp_path / "run")
    assert params["import_options"]["target"] == "Befund" and params["kind"] == "images"


def test_no_column_box_for_a_sheet_with_one_column(window, qtbot, tmp_path):
    folder = sheet_folder(tmp_path / "Weinberg")
    (folder / "labels.csv").write_text("file;label\n" + "".join(
        f"blatt{i:02d}.png;{('gesund', 'mehltau')[i % 2]}\n" for i in range(12)), encoding="utf-8")
    window.pages["home"].create_button.click()
    window.show_page("data")
    page = window.pages["data"]
    with qtbot.waitSignal(page.sig_imported, timeout=60000):
        page.import_path(str(folder))
    assert not page.target_box.isVisible() and not page.target_label.isVisible()
