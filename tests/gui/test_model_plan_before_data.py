"""The GUI walk (finding 9): "Find networks that fit" pressed before any data opened a modal error box, "Choose
your data first, on the Data page. The log is in …/edgeling-studio.log", which read like a crash. A step to take
first is now a plain note under the button; Train and cross-validation still say it in a message, without a log."""

from __future__ import annotations

from edgeling.gui.qt import QApplication, QMessageBox
from tests.gui.conftest import close_error_dialogs

NANO = "arduino-nano-33-ble-sense"


def _boxes() -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_find_networks_before_any_data_is_a_plain_note(window, qtbot):
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    window.show_page("model")
    page = window.pages["model"]
    started = []
    page._plan_cli.start = lambda args: started.append(args) or True
    page.plan_button.click()
    assert _boxes() == [] and started == []
    assert page.explanation.text() == "Choose your data first, on the Data page: the networks are sized for it."
    assert page.explanation.isVisibleTo(window) and page.plan_button.isEnabled()
    assert "log" not in page.explanation.text()

    window.state.project.data = {"path": "/somewhere/photos", "kind": None, "options": {}}   # data, no device
    page.plan_button.click()
    assert _boxes() == [] and started == []
    assert page.explanation.text().startswith("Choose a device first")


def test_train_and_cross_validation_before_any_data_name_no_log(window, qtbot):
    window.pages["home"].create_button.click()
    assert not window.pages["train"].start_training()
    assert [(b.text(), b.informativeText()) for b in _boxes()] == [("Choose your data first, on the Data page.", "")]
    close_error_dialogs(qtbot)
    assert not window.pages["evaluate"].crossval.start()
    assert [(b.text(), b.informativeText()) for b in _boxes()] == [("Choose your data first, on the Data page.", "")]
    close_error_dialogs(qtbot)
