"""The ``edgeling-studio`` entry point.

- with a display: the desktop app (cold start imports Qt, pyqtgraph, numpy and the torch-free core only);
- ``--self-test``: the installed-bundle check (``edgeling.gui.self_test``), offscreen, exit 0 if it passed;
- no display (Linux without DISPLAY / WAYLAND_DISPLAY, and not offscreen) or ``--demo``: the headless demo
  on a bundled sample, in the terminal;
- a project folder as argument opens it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="edgeling-studio", description="The Edgeling desktop app.")
    p.add_argument("project", nargs="?", help="a project folder to open")
    p.add_argument("--self-test", action="store_true", help="check this installation and exit")
    p.add_argument("--demo", action="store_true", help="run the terminal demo instead of the window")
    args, _qt_args = p.parse_known_args(argv)
    return args


def create_main_window(page_kwargs: dict | None = None):
    """The main window, styled, on the running QApplication (made if needed)."""
    from edgeling.gui import gc_main_thread, theme
    from edgeling.gui.main_window import MainWindow
    from edgeling.gui.qt import QApplication

    app = QApplication.instance()
    if app is None:
        theme.configure_high_dpi()
        app = QApplication([sys.argv[0]])
        app.setApplicationName("Edgeling")
        app.setOrganizationName("Edgeling")
    gc_main_thread.install(app)   # Qt objects are only ever destroyed on the GUI thread
    theme.apply(app)
    return MainWindow(page_kwargs=page_kwargs)


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.self_test:
        from edgeling.gui.self_test import run_self_test

        return run_self_test([a for a in argv if a != "--self-test"])
    if args.demo or not has_display():
        from edgeling.gui.headless_demo import run_demo

        return run_demo()
    from edgeling.gui import errors, theme
    from edgeling.gui.qt import QApplication

    theme.configure_high_dpi()
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Edgeling")
    app.setOrganizationName("Edgeling")
    errors.setup_logging()
    errors.install_excepthook()
    window = create_main_window()
    window.show()
    if args.project:
        window.open_project(args.project)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
