"""The Data page says it also reads a folder of files with a CSV list giving each file's class (photos, sound
clips and sensor recordings: ``file,label[,speaker or pump]``); it said only "a folder with one subfolder per
class, or a CSV table". The words keep the page as tall as it was at 1024 x 700: the intro two lines, the drop
box's words one."""

from __future__ import annotations

OLD_HINT = ("Choose the files to learn from: a folder with one subfolder per class (photos, sound clips, "
            "sensor recordings), or a CSV table. Nothing leaves this computer.")
OLD_DROP = "Drop a folder (one subfolder per class) or a CSV file here"


def _lines(label) -> int:
    return round(label.heightForWidth(label.width()) / label.fontMetrics().lineSpacing())


def _height_of(label, text: str) -> int:
    """The height ``label`` would take, as wide as it is, with ``text`` in it."""
    from edgeling.gui.qt import QLabel

    other = QLabel(text)
    other.setFont(label.font())
    other.setWordWrap(label.wordWrap())
    return other.heightForWidth(label.width()) if label.wordWrap() else other.sizeHint().height()


def test_the_data_page_says_a_folder_with_a_csv_list_of_classes_is_read(window, qtbot):
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    window.show_page("data")
    qtbot.wait(100)
    page = window.pages["data"]
    hint, drop = page.hint_label.text(), page.drop.label.text()
    for words in ("one subfolder per class", "CSV list giving each file's class", "CSV table", "photos",
                  "sound clips", "sensor recordings"):
        assert words in hint, words
    assert "one subfolder per class" in drop and "CSV list of their classes" in drop and "CSV table" in drop
    tip = page.drop.toolTip()                    # the list's lines, and the speaker's or machine's column
    assert "its name, then its class" in tip and "(speaker, pump)" in tip and "Choose the folder" in tip
    assert _lines(page.hint_label) <= 2 and _lines(page.drop.label) == 1     # the page is no taller
    assert page.hint_label.height() <= _height_of(page.hint_label, OLD_HINT)
    assert page.drop.label.height() <= _height_of(page.drop.label, OLD_DROP)


def test_the_try_it_box_keeps_its_own_words(window):
    window.pages["home"].create_button.click()
    box = window.pages["evaluate"].try_drop
    assert box.label.text().startswith("Drop a file here") and box.toolTip() == ""
