"""The ``edgeling`` command. Every feature of the app is reachable here, headless.

Each sub-command lives in ``edgeling.core.commands.<name>`` with ``register(subparsers)`` adding its
parser (``set_defaults(run=...)``) and a ``run(args) -> int``. With ``--json`` a command prints exactly
one JSON object on stdout; human text always goes to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import os
import sys
from pathlib import Path

from edgeling.core.commands.common import CommandError, emit_error

COMMAND_MODULES = [
    "edgeling.core.commands.inspect",
    "edgeling.core.commands.train",
    "edgeling.core.commands.crossval",
    "edgeling.core.commands.evaluate",
    "edgeling.core.commands.predict",
    "edgeling.core.commands.export",
    "edgeling.core.commands.devices",
    "edgeling.core.commands.plan",
    "edgeling.core.commands.compress",
    "edgeling.core.commands.cache",
]


class UsageError(Exception):
    """Arguments argparse refused; ``main`` reports it (also as JSON with --json) and exits 2."""

    def __init__(self, parser: argparse.ArgumentParser, message: str):
        super().__init__(message)
        self.parser = parser


class Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of printing and exiting (sub-command parsers too)."""

    def error(self, message: str):
        raise UsageError(self, message)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="edgeling", description="Build small neural networks offline.")
    parser.add_argument("--version", action="store_true", help="print Edgeling's version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    parser.commands = sub.choices
    return parser


def edgeling_version() -> str:
    """``edgeling.core.__version__``: the one the ONNX files' producer and the plans already say; a test holds it
    equal to pyproject.toml's, so a packaged app (which may carry no install metadata) says it too."""
    from edgeling.core import __version__

    return __version__


def _unknown_options(parser: argparse.ArgumentParser, args, extra: list[str]) -> UsageError:
    """The error for options the command does not have, from the command's own parser (its usage, not the
    whole program's: 'edgeling compress RUN --out B --quantise ptq' printed 'usage: edgeling [-h] COMMAND'),
    with the nearest option it does have."""
    import difflib

    command = getattr(parser, "commands", {}).get(getattr(args, "command", None), parser)
    known = [o for action in command._actions for o in action.option_strings]
    near = [m for e in extra if e.startswith("--")
            for m in difflib.get_close_matches(e.split("=", 1)[0], known, n=1, cutoff=0.7)]
    hint = f". Did you mean {near[0]}?" if near else ""
    return UsageError(command, f"unrecognized arguments: {' '.join(extra)}{hint}")


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:
            raise _unknown_options(parser, args, extra)
    except UsageError as e:  # as argparse does (usage, then the error; exit 2), plus the JSON error object
        e.parser.print_usage(sys.stderr)
        message = f"{e} (see '{e.parser.prog} --help')."
        emit_error(argparse.Namespace(json="--json" in argv), message, 2)
        raise SystemExit(2) from None
    if getattr(args, "version", False):
        print(f"edgeling {edgeling_version()}", flush=True)
        return 0
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args) or 0)
    except CommandError as e:
        return emit_error(args, str(e), e.exit_code, e.details)
    except KeyboardInterrupt:
        return emit_error(args, "Stopped.", 130)
    except Exception as e:  # a bug of ours: never a traceback in the user's face, but keep it for the report
        from edgeling.core.fileio import disk_words

        if disk_words(e):        # a full disk, a read-only folder: the user's to fix, not a bug
            return emit_error(args, disk_words(e), 2)
        log = write_crash_log(args)
        return emit_error(args, "Something went wrong inside Edgeling (this is a bug, not a problem with your "
                          f"files). Nothing was changed. The details are in {log}; please include that file "
                          "when you report it.", 1, {"log_path": str(log)})


def write_crash_log(args) -> Path:
    """The traceback of an unexpected error, in the log folder (platformdirs), newest at the end."""
    import datetime
    import traceback

    try:
        import platformdirs

        folder = Path(os.environ.get("EDGELING_LOG_DIR") or platformdirs.user_log_dir("edgeling", appauthor=False))
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "edgeling-cli.log"
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"\n--- {datetime.datetime.now().isoformat(timespec='seconds')} edgeling "
                    f"{' '.join(map(str, sys.argv[1:]))}\n{traceback.format_exc()}")
        return log
    except OSError:
        return Path("(the log could not be written)")


if __name__ == "__main__":
    sys.exit(main())
