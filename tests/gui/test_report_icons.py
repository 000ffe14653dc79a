"""A user walk: the data report's error sign ⛔ showed as an empty box (DejaVu fonts have no such glyph). The
findings now carry the style's own icons for an error, a warning and a note, and their texts keep to
characters the list's font has."""

from __future__ import annotations

from edgeling.gui.qt import QFontMetrics, QStyle
from edgeling.gui.widgets.report_list import ReportList

PROBLEMS = [{"severity": "info", "message": "3 files are larger than the others.", "files": []},
            {"severity": "error", "message": "1 file could not be read.", "advice": "Replace or delete it.",
             "files": ["a/bad.png"]},
            {"severity": "warning", "message": "2 files look like copies of each other.", "files": []}]
PIXMAPS = {"error": QStyle.StandardPixmap.SP_MessageBoxCritical,
           "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
           "info": QStyle.StandardPixmap.SP_MessageBoxInformation}


def test_findings_show_the_styles_icons_and_no_missing_glyph(qtbot):
    report = ReportList()
    qtbot.addWidget(report)
    report.resize(500, 300)
    report.show()
    report.show_problems(PROBLEMS)
    metrics = QFontMetrics(report.font())
    for i, severity in enumerate(["error", "warning", "info"]):       # errors first
        item = report.topLevelItem(i)
        missing = [ch for ch in item.text(0) if not metrics.inFontUcs4(ord(ch))]
        assert not missing, (item.text(0), missing)                  # no empty box
        drawn = item.icon(0).pixmap(16).toImage()
        assert not drawn.isNull()
        assert drawn == report.style().standardIcon(PIXMAPS[severity]).pixmap(16).toImage(), severity
    assert report.topLevelItem(0).child(0).icon(0).isNull()         # "What to do: ..." has none
    assert report.severities() == ["error", "warning", "info"]
