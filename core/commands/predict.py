"""``edgeling predict RUN FILE...``: labels and confidences for new files with a trained run."""

from __future__ import annotations

from edgeling.core.commands.common import CommandError, add_json_flag, emit_json, say


def register(sub) -> None:
    p = sub.add_parser("predict", help="predict new files with a trained run")
    p.add_argument("run_dir", metavar="RUN", help="the run folder given to 'edgeling train --out'")
    p.add_argument("files", nargs="+", metavar="FILE", help="pictures, clips, recordings or CSV tables")
    add_json_flag(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from edgeling.core.data.dataset import DataError
    from edgeling.core.runs import RunError
    from edgeling.core.training.predict import predict_files

    try:
        predictions = predict_files(args.run_dir, args.files)
    except (DataError, RunError) as e:
        raise CommandError(str(e), 2, {"files": getattr(e, "files", [])[:50]}) from None
    for p in predictions:
        if "value" in p:
            say(f"{p['source']}: {p['value']:.4g}")
        else:
            say(f"{p['source']}: {p['label']} ({p['confidence']:.0%})")
    if args.json:
        emit_json({"run": args.run_dir, "predictions": predictions})
    return 0
