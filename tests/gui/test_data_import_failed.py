"""A failed import: the message said "see the list of problems" while the Data page's list stayed on its
placeholder, and once the message was closed the status line said "see the message", which was gone. The
status line keeps the reason now, and the list holds the error with the files it names."""

from __future__ import annotations

from edgeling.gui.qt import QApplication
from edgeling.gui.widgets.report_list import NOTHING_CHECKED
from tests.gui.conftest import close_error_dialogs

MESSAGE = ("No usable sensor recordings were found in /data/bad-data: every file was left out (see the list of "
           "problems). Check that you chose the right folder or file.")
FILES = ["/data/bad-data/a/rec1.csv: no numeric columns", "/data/bad-data/b/rec2.csv: 3 rows, fewer than a window"]


def test_a_failed_import_keeps_its_reason_and_lists_its_files(window, qtbot):
    window.pages["home"].create_button.click()
    window.show_page("data")
    page = window.pages["data"]
    assert page.report.topLevelItem(0).text(0) == NOTHING_CHECKED
    page._thread_project = window.state.project            # as an import of this project that failed
    page._on_import_error(MESSAGE, "Files:\n" + "\n".join(FILES))
    assert close_error_dialogs(qtbot) == [MESSAGE]
    QApplication.processEvents()
    said = page.status.text()
    assert said.startswith("The data could not be imported: No usable sensor recordings were found in "
                           "/data/bad-data: every file was left out")
    assert "see the message" not in said and "Check that you chose" not in said     # the first sentence
    top = page.report.topLevelItem(0)
    assert page.report.topLevelItemCount() == 1 and "No usable sensor recordings" in top.text(0)
    shown = [top.child(i).text(0) for i in range(top.childCount())]
    shown += [c.child(i).text(0) for c in (top.child(j) for j in range(top.childCount())) for i in range(c.childCount())]
    assert all(any(f in s for s in shown) for f in FILES), shown
