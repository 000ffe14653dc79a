"""The Evaluate page's layout: the results (the confusion matrix or the scatter; beside it the per-class table,
the title of the list of answers and the list) over the Try it box, with a bar between them to drag.

At 1024 x 700 the column beside the matrix had less height than its rows, and the per-class table was drawn
over the list's title: the column scrolls instead (its parts keep their room), and the results get most of the
page's height, the Try it box the rest (it has room to spare until a file is tried).

Still, at 1024 x 700 the summary, the Try it box and cross-validation kept their heights and left the matrix
40 to 100 pixels (its class names cut to "c…"), the table two rows and the list one line: the page's body
scrolls now, and the results never get less than RESULTS_MIN pixels."""

from __future__ import annotations

from edgeling.gui.qt import (
    QApplication,
    QComboBox,
    QEvent,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from edgeling.gui.widgets.drop_area import DropArea
from edgeling.gui.widgets.per_class_table import PerClassTable
from edgeling.gui.widgets.result_charts import ConfusionHeatmap, RegressionScatter
from edgeling.gui.widgets.sample_list import SampleList

LIST_MIN = 70        # the list of answers' least height with no answer yet (two lines of text)
LIST_ROWS = 3        # the list keeps room for this many answers (thumbnails included), then it scrolls
RESULTS_SHARE = 3    # the results' part of the height, against the Try it box's 1
RESULTS_MIN = 300    # the results' least height: the matrix's names readable, the table's rows and some answers
ANSWER_LINES = 12    # the Try it box's answers get room for this many lines at least (more when the view has room)


class _LeastHeights(QVBoxLayout):
    """The column's layout, telling its scroll area the parts' least heights: a layout with a wrapped label
    asks for the preferred ones (every row of the table, a tall list), and the column scrolled at 1024 x 700
    though the table's first rows, the title and the list's first answers fitted."""

    def __init__(self, parent, label: QLabel):
        super().__init__(parent)
        self.label = label

    def hasHeightForWidth(self) -> bool:   # noqa: N802 - Qt's name
        return False

    def minimumSize(self):   # noqa: N802 - Qt's name: the title's lines at its width, not at a guessed one
        size = super().minimumSize()
        if self.label.isVisible() and self.label.width() > 0:
            extra = self.label.heightForWidth(self.label.width()) - self.label.minimumSizeHint().height()
            size.setHeight(size.height() + max(0, extra))
        return size


def build_results(page) -> QSplitter:
    """``page.views`` (``page.heatmap`` / ``page.scatter``) beside a column of ``page.per_class``,
    ``page.samples_label`` and ``page.worst`` that scrolls when it is taller than the room."""
    split = QSplitter(Qt.Orientation.Horizontal)
    page.views = QStackedWidget()
    page.heatmap = ConfusionHeatmap()
    page.heatmap.sig_cell_clicked.connect(page._on_cell_clicked)
    page.scatter = RegressionScatter()
    page.views.addWidget(page.heatmap)
    page.views.addWidget(page.scatter)
    split.addWidget(page.views)
    right = QWidget()
    page.samples_label = QLabel("")
    page.samples_label.setWordWrap(True)
    rv = _LeastHeights(right, page.samples_label)
    rv.setContentsMargins(0, 0, 0, 0)
    page.per_class = PerClassTable()
    rv.addWidget(page.per_class)             # as tall as its rows when there is room (its size hint)
    rv.addWidget(page.samples_label)
    page.worst = SampleList()
    page.worst.setObjectName("worstList")
    page.worst.setMinimumHeight(LIST_MIN)
    page.worst.keep_room_for(LIST_ROWS, LIST_MIN)
    rv.addWidget(page.worst, 1)
    page.results_column = QScrollArea()
    page.results_column.setObjectName("resultsColumn")
    page.results_column.setWidgetResizable(True)
    page.results_column.setFrameShape(QFrame.Shape.NoFrame)
    page.results_column.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    page.results_column.setWidget(right)
    split.addWidget(page.results_column)
    split.setStretchFactor(0, 4)     # a square matrix needs no more width than its height; the table's columns do
    split.setStretchFactor(1, 5)
    split.setSizes([400, 500])
    return split


def build_try_box(page) -> QGroupBox:
    """The Try it box: ``page.try_with``, ``page.try_drop``, ``page.try_result`` (scrolls) and
    ``page.save_answers_button``."""
    try_box = QGroupBox("Try it")
    box = QVBoxLayout(try_box)
    # Which model to ask, the width of the box: in the drop area's column, a third of it, "Ask the exported file
    # Children-words-r" was cut at 1024 px (the speech walk).
    page.try_with = QComboBox()
    page.try_with.setObjectName("tryWith")
    page.try_with.setToolTip("Ask the trained run, or one of this project's exported files.")
    box.addWidget(page.try_with)
    tv = QHBoxLayout()
    box.addLayout(tv, 1)
    left = QVBoxLayout()
    page.try_drop = DropArea(any_file=True)
    # Its two lines said, not wrapped: a wrapped label asks its layout for one line's height, and at 1024 x 700
    # the words were cut through at the top and the bottom ("Drop a file here to see what the model / says").
    page.try_drop.label.setWordWrap(False)
    page.try_drop.label.setText("Drop a file here\nto see what the model says")
    page.try_drop.sig_path_chosen.connect(page.try_file)
    left.addWidget(page.try_drop, 1)
    tv.addLayout(left, 1)
    page.try_result = QLabel("")
    page.try_result.setObjectName("tryResult")
    page.try_result.setWordWrap(True)
    page.try_result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    page.try_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    scroll = QScrollArea()        # many rows' answers and notes scroll, instead of squeezing the page
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(page.try_result)
    page.try_scroll = scroll
    answers = QVBoxLayout()
    answers.addWidget(scroll, 1)
    page.answers_saved = QLabel("")   # "Answers saved in …": beside the button, never scrolled out of view
    page.answers_saved.setObjectName("answersSaved")
    page.answers_saved.setWordWrap(True)
    page.answers_saved.hide()
    page.save_answers_button = QPushButton("Save the answers…")
    page.save_answers_button.setObjectName("saveAnswers")
    page.save_answers_button.setToolTip("Save every row's answer as a spreadsheet (CSV), with the row's "
                                        "order number or reference when the table has one.")
    page.save_answers_button.clicked.connect(page.save_answers)
    page.save_answers_button.setVisible(False)
    saved_row = QHBoxLayout()
    saved_row.addWidget(page.answers_saved, 1)
    saved_row.addWidget(page.save_answers_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    answers.addLayout(saved_row)
    tv.addLayout(answers, 2)       # the answers get two thirds (at 1024 px the notes took a line less); the drop
                                   # area needs little
    return try_box


def room_for_answers(page, rows: int, shown: bool = False) -> None:
    """Give the answers room for their lines (at 1340 x 740 a table's answers had about 4; at 1024 x 700 the note
    that a dead sensor's answer means nothing was cut in half under a five-line box): the Try it box grows, the
    page's body scrolls to show it. ``shown``: an answer is shown (``rows`` of them).

    All of the answer, as long as the box then fits in the body's view (the orders table's answer, two notes and
    twelve rows, was cut at ANSWER_LINES lines, its rows behind a scroll bar inside the scrolling body); only a
    longer one scrolls in its box."""
    spacing = page.try_result.fontMetrics().lineSpacing()
    if not shown:
        page.try_scroll.setMinimumHeight(0)
        return
    lines = min(ANSWER_LINES, rows + 2) if rows > 1 else 0     # the file's name, the count, then a line a row
    # every line of the answer and its notes, at the width left beside a scroll bar (shown while it is too short)
    width = page.try_scroll.width() - page.try_scroll.verticalScrollBar().sizeHint().width()
    needed = page.try_result.heightForWidth(width) if width > 50 else 0
    box = page.try_scroll.parentWidget()
    frame = max(0, box.height() - page.try_scroll.height())      # the box's title, margins and Save button
    in_view = page.body.viewport().height() - frame - 8
    page.try_scroll.setMinimumHeight(min(max(lines * spacing, needed), max(ANSWER_LINES * spacing, in_view)) + 4)
    QTimer.singleShot(0, lambda: _scroll_to_answers(page))


def _scroll_to_answers(page) -> None:
    """Scroll the page's body so the Try it box's answers and their Save button show, once it has grown."""
    for _ in range(6):      # the grown box laid out first: each level (box, splitter, body) asks its parent
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    box = page.try_scroll.parentWidget()
    page.body.ensureWidgetVisible(box, 0, 0)


def scroll_to_results(page) -> None:
    """Scroll the page's body back to its top, once the results just shown are laid out: their summary (the
    accuracy on the files tested) heads it. The vineyard walk: after "Test on other files…" the page stayed
    scrolled down to the Try it box, and the new accuracy line was out of view."""
    def scroll() -> None:
        for _ in range(6):      # the new summary's lines laid out first, each level asking its parent
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        page.body.verticalScrollBar().setValue(0)
        page.body.ensureWidgetVisible(page.summary, 0, 0)

    QTimer.singleShot(0, scroll)


class _AsShortAsItMay(QSplitter):
    """A splitter that asks for no more than its least height: in the page's scrolling body (which gives its
    parts their preferred heights) it takes the room left, and the body scrolls only when that is less."""

    def sizeHint(self):   # noqa: N802 - Qt's name
        hint = super().sizeHint()
        hint.setHeight(self.minimumSizeHint().height())
        return hint


def results_over_try_box(results: QSplitter, try_box: QGroupBox) -> QSplitter:
    """The results over the Try it box, a bar between them to drag; the results get most of the height."""
    split = _AsShortAsItMay(Qt.Orientation.Vertical)
    split.setObjectName("evaluateSplit")
    split.setChildrenCollapsible(False)
    split.addWidget(results)
    split.addWidget(try_box)
    split.setStretchFactor(0, RESULTS_SHARE)
    split.setStretchFactor(1, 1)
    split.setSizes([RESULTS_SHARE * 100, 100])
    results.setMinimumHeight(RESULTS_MIN)
    return split


def page_body(summary: QVBoxLayout, split: QSplitter, crossval: QWidget) -> QScrollArea:
    """The summary, the results over the Try it box, and cross-validation, in an area that scrolls when the
    window is too short for them (the results keep RESULTS_MIN pixels)."""
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(0, 0, 0, 0)
    head = QWidget()     # the summary as one widget, no taller than its lines (as a layout, it was given
    # 84 pixels more than its one line with no run yet, taken from the results, which were then drawn over the top
    # of the Try it box at 1024 x 700: the beekeeper walk)
    head.setLayout(summary)
    summary.setContentsMargins(0, 0, 0, 0)
    head.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    column.addWidget(head)
    column.addWidget(split, 1)
    column.addWidget(crossval)
    area = QScrollArea()
    area.setObjectName("evaluateBody")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(body)
    return area
