"""``edgeling crossval DATA --device ID --out FOLDER [--parts K]``: cross-validation. K runs, each trained
without one part of the data and tested on it, so every sample is tested once by a model that never saw it;
the pooled results (all the samples in one confusion matrix, each class's and each speaker's accuracy, each
fold's) go to ``FOLDER/crossval.json`` and ``FOLDER/results/``. Same training flags as ``train``; Ctrl-C
stops (running the same command again carries on with the folds not done).
"""

from __future__ import annotations

from edgeling.core.commands.common import CommandError, check_out_folder, emit_json, say
from edgeling.core.commands.train import STOPPED_EXIT, params_from_args, run_job


def register(sub) -> None:
    from edgeling.core.commands.train import register_training_flags
    from edgeling.core.data.folds import MAX_FOLDS, MIN_FOLDS
    from edgeling.core.training.crossval import DEFAULT_FOLDS

    p = sub.add_parser("crossval", help="cross-validate: K runs, every sample tested once by a model that "
                                        "never saw it (numbers for a paper)")
    p.add_argument("data", help="a folder (one subfolder per class) or a CSV file")
    p.add_argument("--parts", "--folds", dest="folds", type=int, default=None, metavar="PARTS",
                   help=f"how many parts (folds), each tested once ({MIN_FOLDS} to {MAX_FOLDS}; default "
                        f"{DEFAULT_FOLDS}, or one for each machine when there are fewer). When the file names start with who or what was recorded (pump3_rec01.csv, "
                        "child07_2.wav), a part holds whole ones out: with 5 pumps and --parts 5, each pump is tested "
                        "by a model that never met it")
    register_training_flags(p, out_help="the folder for the K runs and the pooled results (created, or "
                                        "carried on)")
    p.set_defaults(run=run)


def run(args) -> int:
    from edgeling.core.data.folds import MAX_FOLDS, MIN_FOLDS
    from edgeling.core.training.crossval import TARGET

    if args.folds is not None and not MIN_FOLDS <= args.folds <= MAX_FOLDS:
        raise CommandError(f"--parts {args.folds}: choose from {MIN_FOLDS} to {MAX_FOLDS} parts.", 2)
    check_out_folder(args.out)
    result = run_job(TARGET, {**params_from_args(args), "folds": args.folds}, args,
                     log_hint=f"the train.log of the part that failed, in {args.out}/fold-K")
    if result.get("status") != "finished":
        say(result.get("message") or "Stopped.")
    else:
        from edgeling.core.results_words import accuracy_range_sentence, baseline_sentence, subjects_sentence

        m = result["metrics"]
        if m.get("accuracy") is not None:
            spread = m.get("fold_accuracy") or {}
            said = (f"Cross-validation, {result['folds']} parts: accuracy {m['accuracy']:.1%} over all "
                    f"{m['num_samples']} samples, each tested once by a model that never saw it")
            if spread:
                said += f" (the parts: {spread['mean']:.1%} on average, give or take {spread['std']:.1%})"
            say(said + ".")
        elif m.get("mae") is not None:
            say(f"Cross-validation, {result['folds']} parts: MAE {m['mae']:.4g} over all {m['num_samples']} samples.")
        for sentence in (baseline_sentence(m), accuracy_range_sentence(m),
                         subjects_sentence(m) if m.get("subjects") else None):
            if sentence:
                say(sentence)
        say(f"Results (Markdown, CSV, the confusion matrix as a picture) in {args.out}/results; each part's run "
            f"in {args.out}/fold-1 ... fold-{result['folds']}.")
    if args.json and args.events != "jsonl":
        emit_json(result)
    return STOPPED_EXIT if result.get("status") == "stopped" else 0
