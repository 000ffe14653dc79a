"""The ``edgeling-studio`` entry point."""

from __future__ import annotations

import multiprocessing
import sys


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    label = QLabel("Edgeling")
    label.resize(480, 320)
    label.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
