"""Cross-validation on the recordings of a few machines (the pump walk): core holds whole machines out per part
(``meta["few_subjects"]``), so with 5 pumps the panel proposes 5 parts, one pump each, and says so; with 4 pumps,
5 parts would fail ("too few for 5 folds"), so it proposes 4 and offers no more."""

from __future__ import annotations

from tests.core.test_subjects import write_pumps
from tests.gui.test_main_window import wait_imported


def _panel_after_import(window, qtbot, root):
    window.pages["home"].create_button.click()
    window.pages["data"].import_path(str(root))
    wait_imported(qtbot, window)
    assert window.state.dataset is not None
    window.show_page("evaluate")
    return window.pages["evaluate"].crossval


def test_five_pumps_give_five_parts_one_pump_each(window, qtbot, tmp_path):
    panel = _panel_after_import(window, qtbot, write_pumps(tmp_path / "pumps", pumps=5))
    assert window.state.dataset.meta["few_subjects"] == [f"pump{p}" for p in range(5)]
    assert panel.parts.value() == 5 and panel.parts.maximum() == 5
    said = panel.machines_note.text()
    assert panel.machines_note.isVisible()
    assert said.startswith("The file names name 5 machines (pump0, pump1, pump2, pump3, pump4): each "
                           "part holds whole ones out, so each is tested by a model that never met it")
    assert said.endswith("with 5 parts, one each.")
    panel.parts.setValue(3)
    assert panel.machines_note.text().endswith("with 3 parts, 1 or 2 in each.")


def test_four_pumps_never_offer_five_parts(window, qtbot, tmp_path):
    panel = _panel_after_import(window, qtbot, write_pumps(tmp_path / "pumps", pumps=4))
    assert panel.parts.value() == 4 and panel.parts.maximum() == 4       # 5 would fail in core
    panel.parts.setValue(5)
    assert panel.parts.value() == 4


def test_other_data_keeps_the_usual_parts_and_says_nothing_of_machines(window, qtbot, tmp_path):
    from tests.gui.test_main_window import make_images

    panel = _panel_after_import(window, qtbot, make_images(tmp_path / "pics", n=8))
    assert panel.parts.value() == 5 and panel.parts.maximum() == 20
    assert not panel.machines_note.isVisible()


def test_pumps_named_by_a_label_sheet_are_said_to_come_from_it(window, qtbot, tmp_path):
    """Recordings labelled by a sheet of file;state;Pump: the pumps come from its column, not the file names."""
    from tests.core.test_recording_sheet import write_logged_pumps

    write_logged_pumps(tmp_path / "logged", pumps=5)
    panel = _panel_after_import(window, qtbot, tmp_path / "logged")
    assert panel.parts.value() == 5
    assert panel.machines_note.text().startswith("The column 'Pump' of labels.csv names 5 machines (P1, P2, P3, P4, "
                                                 "P5): each part holds whole ones out")
