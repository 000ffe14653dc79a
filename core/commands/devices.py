"""``edgeling devices``: the device catalogue, this computer and custom devices; add or remove your own.

    edgeling devices [--json] [--measure]
    edgeling devices add NAME --ram-kb N --flash-kb N --clock-mhz N --core CORE [--kind KIND] [--replace]
    edgeling devices remove ID
"""

from __future__ import annotations

from edgeling.core.commands.common import CommandError, add_json_flag, emit_json, say


def register(sub) -> None:
    p = sub.add_parser("devices", help="list target devices, or add / remove a custom device")
    p.add_argument("action", nargs="?", choices=["list", "add", "remove"], default="list")
    p.add_argument("name", nargs="?", help="add: the new device's name; remove: its id")
    p.add_argument("--ram-kb", type=float, help="add: RAM in KB (e.g. 256)")
    p.add_argument("--flash-kb", type=float, help="add: flash / program storage in KB (e.g. 1024)")
    p.add_argument("--clock-mhz", type=float, help="add: CPU clock in MHz")
    p.add_argument("--core", help="add: processor core, e.g. cortex-m4f (see the list in the error message)")
    p.add_argument("--kind", default="microcontroller",
                   choices=["microcontroller", "sbc", "phone", "desktop"], help="add: kind of device")
    p.add_argument("--replace", action="store_true", help="add: update your custom device of the same name")
    p.add_argument("--measure", action="store_true", help="run this computer's short speed test now")
    add_json_flag(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from edgeling.core.devices import custom
    from edgeling.core.devices.catalogue import list_devices

    if args.action == "add":
        missing = [flag for flag, v in (("NAME", args.name), ("--ram-kb", args.ram_kb),
                                        ("--flash-kb", args.flash_kb), ("--clock-mhz", args.clock_mhz),
                                        ("--core", args.core)) if v is None]
        if missing:
            raise CommandError(f"To add a device give {', '.join(missing)}, e.g. edgeling devices add "
                               "'My board' --ram-kb 256 --flash-kb 1024 --clock-mhz 64 --core cortex-m4f")
        d = custom.add_custom_device(args.name, int(args.ram_kb * 1024), int(args.flash_kb * 1024),
                                     args.clock_mhz, args.core, args.kind, replace=args.replace)
        say(f"{'Saved' if args.replace else 'Added'} {d.name} as '{d.id}'.")
        if args.json:
            emit_json({"added": d.as_dict()})
        return 0
    if args.action == "remove":
        if not args.name:
            raise CommandError("Give the id of the custom device to remove (see 'edgeling devices').")
        custom.remove_custom_device(args.name)
        say(f"Removed {args.name}.")
        if args.json:
            emit_json({"removed": args.name})
        return 0
    devices = list_devices(measure=args.measure)
    for d in devices:
        ram = f"{d.ram_bytes / 1024:.0f} KB" if d.ram_bytes < 1024 ** 2 * 16 else f"{d.ram_bytes / 1024 ** 3:.1f} GB"
        flash = f"{d.flash_bytes / 1024:.0f} KB" if d.flash_bytes < 1024 ** 2 * 64 else \
            f"{d.flash_bytes / 1024 ** 3:.0f} GB"
        clock = f"{d.clock_mhz:g} MHz" if d.core != "host" else "measured" if d.origin == "measured" else "not measured"
        say(f"{d.id:28s} {d.name} — {d.kind}, {d.core} {clock}, RAM {ram}, flash {flash}, "
            f"{d.default_precision} ({d.runtime(d.default_precision)})"
            + (" [custom]" if d.origin == "custom" else ""))
    if args.json:
        emit_json({"devices": [d.as_dict() for d in devices]})
    return 0
