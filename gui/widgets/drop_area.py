"""A box you can drop a folder or CSV file on, or click to browse."""

from __future__ import annotations

from edgeling.gui.qt import QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout, Signal

DROP_WORDS = "Drop a folder (one subfolder per class, or files plus a CSV list of their classes) or a CSV table here"
LABEL_LIST_TIP = ("The CSV list beside your files has a line for each file: its name, then its class "
                  "(pump3_01.csv,cavitation). A third column may say who or which machine it is from (speaker, "
                  "pump). Choose the folder that holds the files and the list.")
"""The Data page's box: the three layouts core reads (the label list: ``file,label[,speaker or pump]``)."""


class DropArea(QFrame):
    sig_path_chosen = Signal(str)

    def __init__(self, parent=None, any_file: bool = False):
        """``any_file``: one "Choose a file" button for any file (Try it), instead of folder / CSV."""
        super().__init__(parent)
        self.any_file = any_file
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("dropArea")
        v = QVBoxLayout(self)
        self.label = QLabel(DROP_WORDS)
        if not any_file:
            self.setToolTip(LABEL_LIST_TIP)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        v.addWidget(self.label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.folder_button = QPushButton("Choose a &folder…")
        self.folder_button.clicked.connect(self._on_browse_folder)
        self.file_button = QPushButton("Choose a &file…" if any_file else "Choose a CSV &file…")
        self.file_button.clicked.connect(self._on_browse_file)
        self.folder_button.setVisible(not any_file)
        row.addWidget(self.folder_button)
        row.addWidget(self.file_button)
        row.addStretch(1)
        v.addLayout(row)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.sig_path_chosen.emit(paths[0])

    def _on_browse_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose your data folder")
        if folder:
            self.sig_path_chosen.emit(folder)

    def _on_browse_file(self) -> None:
        if self.any_file:
            path, _ = QFileDialog.getOpenFileName(self, "Choose a file")
        else:
            path, _ = QFileDialog.getOpenFileName(self, "Choose a CSV file", "", "Tables (*.csv *.tsv *.txt)")
        if path:
            self.sig_path_chosen.emit(path)
