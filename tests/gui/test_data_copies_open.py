"""The vineyard walk's Data page: under "10 examples appear under two or more different labels ... Look at each
pair below", the list was headed "10 files" but held 10 pairs (20 files), and a pair could not be opened, so the
advice ("Open each pair below side by side") could not be followed. The list now says "10 pairs", and a
double-click on a pair opens both files in the system's viewer (``QDesktopServices``); a file listed under
another finding opens the same way."""

from __future__ import annotations

import shutil

from edgeling.gui.qt import Qt
from edgeling.gui.widgets import report_list
from tests.gui.test_main_window import make_images, wait_imported


class Opened:
    """Stands for ``QDesktopServices``: the files asked to be opened, instead of opening them."""

    def __init__(self):
        self.paths: list[str] = []

    def openUrl(self, url) -> bool:     # noqa: N802 - Qt's name
        self.paths.append(url.toLocalFile())
        return True


def test_pairs_of_copies_are_counted_as_pairs_and_a_pair_opens_both_files(window, qtbot, tmp_path, monkeypatch):
    photos = make_images(tmp_path / "leaves", classes=("healthy", "mildiou é"), n=10)
    for i in range(3):                          # the same photo under the other label
        shutil.copy(photos / "healthy" / f"{i}.png", photos / "mildiou é" / f"IMG {i}.png")
    shutil.copy(photos / "healthy" / "5.png", photos / "mildiou é" / "a = b.png")    # " = " in a name
    opened = Opened()
    monkeypatch.setattr(report_list, "QDesktopServices", opened, raising=False)
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(photos))
    wait_imported(qtbot, window)
    report = page.report
    tops = [report.topLevelItem(i) for i in range(report.topLevelItemCount())]
    top = next(t for t in tops if "under two or more different labels" in t.text(0))
    heading = next(top.child(i) for i in range(top.childCount()) if top.child(i).childCount())   # the list
    assert heading.text(0) == "4 pairs (double-click a pair to open both files)"     # not "4 files"
    assert heading.childCount() == 4
    entries = {heading.child(i).text(0): heading.child(i) for i in range(heading.childCount())}
    pair = entries["healthy/0.png (healthy) = mildiou é/IMG 0.png (mildiou é)"]
    both = [str(photos / "healthy" / "0.png"), str(photos / "mildiou é" / "IMG 0.png")]
    assert pair.data(0, report_list.PATHS) == both and "Double-click to open these 2 files" in pair.toolTip(0)
    odd = entries["healthy/5.png (healthy) = mildiou é/a = b.png (mildiou é)"]
    assert odd.data(0, report_list.PATHS) == [str(photos / "healthy" / "5.png"), str(photos / "mildiou é" / "a = b.png")]

    top.setExpanded(True)                       # as a user unfolds the finding, then its pairs
    heading.setExpanded(True)
    report.scrollToItem(pair)
    qtbot.wait(50)
    rect = report.visualItemRect(pair)
    assert rect.isValid() and report.viewport().rect().contains(rect.center())
    qtbot.mouseClick(report.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())    # a double-click: a
    qtbot.mouseDClick(report.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())   # click, then the second
    assert opened.paths == both


def test_an_entry_names_files_only_when_they_are_there(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ("x.png", "y, z.png", "w.png"):
        (tmp_path / "a" / name).write_bytes(b"")
    root, files_named = str(tmp_path), report_list.files_named
    a = tmp_path / "a"
    assert files_named("a/x.png", root) == [str(a / "x.png")]
    assert files_named("a/x.png looks like a/y, z.png and a/w.png", root) == [str(a / p)
                                                                              for p in ("x.png", "y, z.png", "w.png")]
    assert files_named("a/x.png = a/gone.png", root) == []        # a file deleted since: nothing half-opened
    assert files_named("rows 3 and 7", root) == [] and files_named("a/x.png", None) == []
