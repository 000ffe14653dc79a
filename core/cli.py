"""The ``edgeling`` command. Every feature of the app is reachable here, headless.

Each sub-command lives in ``edgeling.core.commands.<name>`` with ``register(subparsers)`` adding its
parser (``set_defaults(run=...)``) and a ``run(args) -> int``. With ``--json`` a command prints exactly
one JSON object on stdout; human text always goes to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import sys

from edgeling.core.commands.common import CommandError, emit_error

COMMAND_MODULES = [
    "edgeling.core.commands.inspect",
    "edgeling.core.commands.train",
    "edgeling.core.commands.evaluate",
    "edgeling.core.commands.predict",
    "edgeling.core.commands.export",
    "edgeling.core.commands.devices",
    "edgeling.core.commands.plan",
    "edgeling.core.commands.compress",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edgeling", description="Build small neural networks offline.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args) or 0)
    except CommandError as e:
        return emit_error(args, str(e), e.exit_code, e.details)
    except KeyboardInterrupt:
        return emit_error(args, "Stopped.", 130)


if __name__ == "__main__":
    sys.exit(main())
