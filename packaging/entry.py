"""Entry point of the frozen (PyInstaller) app, for all three operating systems.

``multiprocessing.freeze_support()`` runs first, before anything else is imported: every training or
export job is a ``spawn`` child that re-runs this executable, and without it each child would start
another window. Then it dispatches on how it was started:

- ``edgeling ...`` (the ``/usr/bin/edgeling`` link, or ``edgeling.exe`` on Windows) or ``--cli ...``:
  the command line, ``edgeling.core.cli.main``;
- ``--self-test``: ``edgeling.gui.self_test.run_self_test`` (no window; exit code 0 = passed);
- anything else: the desktop app, ``edgeling.gui.app.main``.
"""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()

import os  # noqa: E402 - after freeze_support on purpose
import sys  # noqa: E402


def invoked_name(argv0: str) -> str:
    """``/usr/bin/edgeling`` -> ``edgeling``; ``C:\\...\\edgeling.exe`` -> ``edgeling``."""
    name = os.path.basename(argv0.replace("\\", "/")).lower()
    return name[:-4] if name.endswith(".exe") else name


def dispatch(argv: list[str]) -> int:
    args = argv[1:]
    if invoked_name(argv[0]) == "edgeling" or args[:1] == ["--cli"]:
        from edgeling.core.cli import main as cli_main

        return cli_main(args[1:] if args[:1] == ["--cli"] else args)
    if "--self-test" in args:
        from edgeling.gui.self_test import run_self_test

        return run_self_test([a for a in args if a != "--self-test"])
    from edgeling.gui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(dispatch(sys.argv))
