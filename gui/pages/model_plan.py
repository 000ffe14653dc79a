"""What the Model page asks ``edgeling plan`` for, and the plan it keeps with the project.

A plan (the candidates sized for a device) is kept in the project's ``ui["plans"]`` with what it was made
for: the device, the data and the data's import choices (the last ``KEPT_PLANS``). A reopened project shows it again when these are
unchanged, instead of an empty table and a button to press; a plan for another device or other data is
never shown (the "fits" column would be judged against the wrong board)."""

from __future__ import annotations


def device_list(obj) -> list[dict]:
    items = obj.get("devices", obj) if isinstance(obj, dict) else obj
    return [d for d in items if isinstance(d, dict)] if isinstance(items, list) else []


def device_id(d: dict) -> str:
    return str(d.get("id") or d.get("name") or "")


IMPORT_FLAGS = {"target": "--target", "task": "--task", "image_size": "--image-size", "window_s": "--window",
                "stride_s": "--stride", "sample_rate": "--sample-rate", "recorded_rate": "--recorded-rate",
                "audio_rate": "--audio-rate", "clip_s": "--clip"}


def import_args(data: dict) -> list[str]:
    """The project's data choices (Data page: column to predict, windows...) as the CLI's import flags, so a
    plan sizes networks for the data as the user set it up (it used the defaults: the last column, 2 s)."""
    options = data.get("options") or {}
    args = ["--kind", str(data["kind"])] if data.get("kind") else []
    for key, flag in IMPORT_FLAGS.items():
        if options.get(key) not in (None, ""):
            args += [flag, str(options[key])]
    if options.get("grayscale"):
        args.append("--grayscale")
    for column in options.get("leave_out") or []:      # the shop walk: sized for the column he had left out
        args += ["--leave-out", str(column)]
    return args


def plan_key(project) -> dict | None:
    """What a plan for ``project`` now would be made for; None without a device or data. ``files``: the
    stamp of the files the last import read (``cache.files_stamp``), so a plan kept from before photos were
    added or deleted in the folder is made again, not shown."""
    if project is None or not project.device or not project.data.get("path"):
        return None
    return {"device": project.device, "data": project.data.get("path"), "args": import_args(project.data),
            "files": project.data.get("files")}


KEPT_PLANS = 4
"""Plans kept per project: one per device (and data) tried, the latest first, so going back to a device
compared a moment ago shows its table at once."""


def stored_plan(project) -> dict | None:
    """The plan kept with the project for its device and data as they are now; None when there is none."""
    key = plan_key(project)
    kept = (project.ui or {}).get("plans") if project is not None else None
    if key is None or not isinstance(kept, list):
        return None
    return next((k["plan"] for k in kept if isinstance(k, dict) and k.get("for") == key
                 and isinstance(k.get("plan"), dict)), None)


def keep_plan(project, made_for: dict, plan: dict) -> None:
    """Keep ``plan`` in the project (``ui["plans"]``), replacing an older one made for the same."""
    kept = [k for k in (project.ui.get("plans") or []) if isinstance(k, dict) and k.get("for") != made_for]
    project.set_ui("plans", [{"for": made_for, "plan": plan}, *kept][:KEPT_PLANS])
