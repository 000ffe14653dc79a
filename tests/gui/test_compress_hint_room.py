"""The Compress page's Distil hint ("To distil, a second finished run ...") took the height its two lines need at
about 230 pixels (84 pixels) and was centred in it: an empty band above it (the GUI walk). It now takes the
height its text needs at the width it has, at every window size, and never less."""

from __future__ import annotations

from tests.gui.test_compress_page import compress_window  # noqa: F401 - the fixture


def test_the_distil_hint_takes_the_height_its_text_needs(compress_window):  # noqa: F811
    from edgeling.gui.qt import QApplication

    hint = compress_window.pages["compress"].teacher_hint
    for size in ((1280, 800), (1024, 700), (1280, 800)):
        compress_window.resize(*size)
        for _ in range(3):
            QApplication.processEvents()
        assert hint.isVisible()
        needed = hint.heightForWidth(hint.width())
        assert needed <= hint.height() <= needed + 4, (size, hint.height(), needed)
