"""``edgeling cache``: where Edgeling keeps decoded copies of the data it imported, how big it is; ``--clear``
deletes them (``core/data/cache_clear.py``).

    edgeling cache [--clear] [--json]
"""

from __future__ import annotations

from edgeling.core.commands.common import add_json_flag, emit_json, say


def register(sub) -> None:
    p = sub.add_parser("cache", help="show or delete the decoded copies of imported data Edgeling keeps")
    p.add_argument("--clear", action="store_true", help="delete them (they are made again when needed)")
    add_json_flag(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from edgeling.core.data.cache_clear import cache_usage, clear_cache
    from edgeling.core.models.autosize import format_bytes

    if args.clear:
        done = clear_cache()
        say(f"Deleted {format_bytes(done['freed_bytes'])} of copies of imported data from {done['folder']}. "
            "Your data and projects are untouched; the next import of a folder takes as long as the first.")
        if done["left"]:
            say(f"{len(done['left'])} could not be deleted, as they are in use (an import or a training that is "
                "running); close Edgeling's windows and run this again to delete them.")
        if args.json:
            emit_json(done)
        return 0
    usage = cache_usage()
    say(f"{usage['folder']} holds {format_bytes(usage['bytes'])}: decoded copies of {usage['datasets']} "
        f"import{'' if usage['datasets'] == 1 else 's'} of your data (pictures, clips, recordings or rows, with their file names), so that "
        "opening them again is fast. Delete them with: edgeling cache --clear")
    if args.json:
        emit_json(usage)
    return 0
