"""The confusion matrix as an SVG picture for a paper, written by core (so the CLI has one too)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from edgeling.core.confusion_picture import confusion_svg

NS = "{http://www.w3.org/2000/svg}"
NAMES = ["ja", "nein", "zurück & <weiter>"]
MATRIX = [[18, 2, 0], [5, 15, 0], [0, 0, 0]]


def _texts(root):
    return [t.text for t in root.iter(NS + "text")]


def test_every_cell_has_its_count_and_row_share_and_every_class_its_name_on_both_axes():
    root = ET.fromstring(confusion_svg(MATRIX, NAMES, title="Test results of run-001"))
    texts = _texts(root)
    assert root.find(NS + "title").text == "Test results of run-001"
    assert texts.count("zurück & <weiter>") == 2 and texts.count("ja") == 2 and texts.count("nein") == 2
    assert "True class" in texts and "Predicted class" in texts
    counts = [t for t in texts if t.isdigit()]
    assert counts == ["18", "2", "0", "5", "15", "0", "0", "0", "0"]      # row by row
    assert ["90%", "10%", "0%", "25%", "75%", "0%"] == [t for t in texts if t.endswith("%")]  # no share for an empty row


def test_cells_are_darker_the_larger_their_share_of_the_row():
    root = ET.fromstring(confusion_svg(MATRIX, NAMES))
    cells = [r for r in root.iter(NS + "rect") if r.get("width") == r.get("height") and r.get("stroke-width") == "0.5"]
    assert len(cells) == 9
    lightness = [sum(int(r.get("fill")[k:k + 2], 16) for k in (1, 3, 5)) for r in cells]
    assert lightness[0] < lightness[4] < lightness[3] < lightness[1] < lightness[2]   # 90% < 75% < 25% < 10% < 0%
    assert lightness[2] == lightness[6] == lightness[8]        # nothing there: all the same light colour


def test_long_names_are_slanted_and_the_picture_grows_to_hold_them():
    short = ET.fromstring(confusion_svg([[1, 0], [0, 1]], ["a", "b"]))
    long = ET.fromstring(confusion_svg([[1, 0], [0, 1]], ["a", "black rot (Guignardia bidwellii)"]))
    assert not any("rotate(-45" in (t.get("transform") or "") for t in short.iter(NS + "text"))
    assert sum("rotate(-45" in (t.get("transform") or "") for t in long.iter(NS + "text")) == 2
    assert float(long.get("width")) > float(short.get("width")) + 150
    assert float(long.get("height")) > float(short.get("height")) + 100


def test_a_matrix_that_does_not_match_its_names_is_refused():
    with pytest.raises(ValueError):
        confusion_svg([[1, 2]], ["a", "b"])


def test_a_row_of_eighths_adds_up_to_100_percent():
    """The speech walk: 1 and 5 of 8 clips said "12%" and "62%" (rounded half to even): the row made 99%."""
    texts = _texts(ET.fromstring(confusion_svg([[1, 5, 2], [0, 8, 0], [0, 0, 3]], ["a", "b", "c"])))
    assert [t for t in texts if t.endswith("%")][:3] == ["12.5%", "62.5%", "25%"]
