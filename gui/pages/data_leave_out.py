"""The Data page's "Columns the model reads…" for a table: a checkable list of the table's columns (the one to
predict excluded); a column unticked is left out (``ImportOptions.leave_out``, CLI --leave-out), for an order
number or a note that says nothing about the answer, or a column that gives the answer away. Choosing imports
the table again with ``options["leave_out"]``, kept in the project like ``options["target"]``; the finding
"Left out as you asked: ..." then says so. Columns Edgeling leaves out by itself (an id, an empty column) are
listed greyed, not ticked."""

from __future__ import annotations

from edgeling.gui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
)

BUTTON = "Columns the model reads…"
ABOUT = ("Untick a column the model must not read: one that says nothing about the answer (an order number, a "
         "free-text note), or one that gives the answer away (filled in only after the fact). The table is then "
         "read again.")


def leave_out_button() -> QPushButton:
    button = QPushButton(BUTTON)
    button.setObjectName("leaveOutButton")
    button.setToolTip("Choose the columns of your table the model learns from; the others are left out.")
    return button


def table_columns(ds, asked) -> list[tuple[str, bool, bool]]:
    """(name, read by the model, can be chosen) for every column of the table but the one to predict."""
    target = str(ds.meta.get("target", ""))
    asked = {str(a) for a in asked or []}
    read = [str(c.get("name")) for c in ds.meta.get("columns", []) if c.get("name")]
    unused = [str(n) for n in ds.meta.get("unused_columns", []) or []]
    return ([(n, True, True) for n in read if n != target]
            + [(n, False, n in asked) for n in unused if n != target])


class LeaveOutDialog(QDialog):
    def __init__(self, columns: list[tuple[str, bool, bool]], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Columns the model reads")
        v = QVBoxLayout(self)
        about = QLabel(ABOUT)
        about.setWordWrap(True)
        v.addWidget(about)
        self.list = QListWidget()
        for name, read, choosable in columns:
            item = QListWidgetItem(name)
            item.setCheckState(Qt.CheckState.Checked if read else Qt.CheckState.Unchecked)
            if not choosable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("Edgeling leaves this column out by itself: the findings say why.")
            self.list.addItem(item)
        v.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)

    def left_out(self) -> list[str]:
        """The columns the user unticked (those Edgeling leaves out by itself are not counted)."""
        items = [self.list.item(i) for i in range(self.list.count())]
        return [i.text() for i in items if i.flags() & Qt.ItemFlag.ItemIsEnabled
                and i.checkState() != Qt.CheckState.Checked]


def reimport_leaving_out(page, names: list[str]) -> None:
    """Import the page's table again leaving ``names`` out (kept in the project once the import worked)."""
    ds, project = page.state.dataset, page.state.project
    if ds is None or ds.kind != "table":
        return
    options = {**((project.data.get("options") if project else None) or {}), "leave_out": list(names)}
    if not names:
        options.pop("leave_out")
    options.setdefault("target", str(ds.meta.get("target", "")))
    page.import_path(ds.root, "table", options)


def choose_columns(page) -> None:
    ds, project = page.state.dataset, page.state.project
    if ds is None or ds.kind != "table":
        return
    asked = ((project.data.get("options") if project else None) or {}).get("leave_out")
    dialog = LeaveOutDialog(table_columns(ds, asked), page)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        reimport_leaving_out(page, dialog.left_out())
