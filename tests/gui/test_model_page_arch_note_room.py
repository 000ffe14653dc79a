"""The network's description on the Model page is as tall as its text (the Model page walk, 1280 x 800: one
line of text in a 70 px band, a blank gap between the Network box and its description), and lines up under
the Network box."""

from __future__ import annotations

import pytest

from edgeling.core.models import zoo


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_the_network_description_takes_the_height_of_its_text(window, qtbot, size):
    window.resize(*size)
    window.pages["home"].create_button.click()
    window.show_page("model")
    page = window.pages["model"]
    box, note = page.arch_box, page.arch_note
    for arch in ("resnet8", "mobilenet_v2", "tutorial_cnn"):
        box.addItem(arch, arch)      # no data read: the box offers only Automatic
        box.setCurrentIndex(box.count() - 1)
        qtbot.wait(30)
        assert note.text() == zoo.describe(arch)
        needed = note.heightForWidth(note.width())
        assert needed <= note.height() <= needed + 4, arch
        assert abs(note.mapTo(window, note.rect().topLeft()).x() - box.mapTo(window, box.rect().topLeft()).x()) <= 8
        assert 0 <= note.mapTo(window, note.rect().topLeft()).y() - box.mapTo(window, box.rect().bottomLeft()).y() <= 12
