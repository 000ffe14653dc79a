"""``edgeling evaluate RUN``: score a trained run on its held-out test split (writes metrics.json), or with
``--on PATH`` on files that are not part of its data (writes nothing into the run)."""

from __future__ import annotations

from edgeling.core.commands.common import CommandError, add_data_flag, add_json_flag, emit_json, say


def register(sub) -> None:
    p = sub.add_parser("evaluate", help="score a trained run on its test samples")
    p.add_argument("run_dir", metavar="RUN", help="the run folder given to 'edgeling train --out' (with --on, "
                                                  "also a file exported from it: .onnx or .tflite, float or int8)")
    p.add_argument("--save-results", metavar="FOLDER",
                   help="also write the results as files: results.md, confusion_matrix.csv, "
                        "confusion_matrix.svg (a picture for a paper), per_class.csv, most_confused.csv, and "
                        "per_speaker.csv (sound) or per_machine.csv (sensor recordings) when the file names say "
                        "who or what was recorded")
    add_data_flag(p)
    p.add_argument("--on", metavar="FOLDER_OR_CSV",
                   help="test on other files instead of the test split: a folder with one subfolder per class "
                        "(a new batch of photos, another machine's recordings), a CSV with the target "
                        "column, or for sensor data one long CSV with the label column it was trained with; "
                        "every sample counts, and the run's own results are not changed")
    add_json_flag(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from edgeling.core.data.dataset import DataError
    from edgeling.core.export.errors import ExportError
    from edgeling.core.results_words import learnt_warning, samples_phrase
    from edgeling.core.runs import RunError
    from edgeling.core.training.evaluate import evaluate_run
    from edgeling.core.training.other_files import evaluate_on_files

    if args.on and args.data:
        raise CommandError("Give either --on (other files to test on) or --data (where the run's own data "
                           "is now), not both.", 2)
    try:
        metrics = evaluate_on_files(args.run_dir, args.on) if args.on else evaluate_run(args.run_dir, data=args.data)
    except (DataError, RunError, ExportError) as e:
        raise CommandError(str(e), 2) from None
    from edgeling.core import runs

    unfinished = runs.unfinished_words(runs.load_run(args.run_dir)) if runs.is_run(args.run_dir) else None
    if unfinished:            # a run killed at epoch 7 of 25 was scored with no word of it (robustness walk)
        metrics["unfinished"] = unfinished
        say(f"Note: {unfinished}")
    if metrics.get("note"):   # what the numbers are measured on, when not the data as it is now: said first
        say(metrics["note"])
    if not metrics.get("num_samples"):
        say(f"{args.run_dir}: no score: there are {samples_phrase(metrics)} to test on. The data is too small to "
            "set any aside: add more files, then train again into a new --out folder.")
    elif metrics.get("task") == "classification":
        say(f"{args.run_dir}: accuracy {metrics['accuracy']:.1%}, macro F1 {metrics['macro_f1']:.1%}"
            + (f", ROC-AUC {metrics['roc_auc']:.3f}" if metrics.get("roc_auc") is not None else "")
            + f" on {samples_phrase(metrics)}; {metrics['latency_ms']:.3g} ms per prediction on this computer")
        from edgeling.core.results_words import accuracy_range_sentence, baseline_sentence, copies_sentence
        from edgeling.core.training.recording_answers import whole_recordings_sentence

        for sentence in (baseline_sentence(metrics), accuracy_range_sentence(metrics), copies_sentence(metrics),
                         whole_recordings_sentence(metrics)):
            if sentence:
                say(f"  {sentence}")
        from edgeling.core.results_words import wrong_answers

        wrong = wrong_answers(metrics, most=5)
        if wrong:
            say("  Wrong answers to look at (the model was surest of these):")
            for w in wrong:
                say(f"    {w}")
        from edgeling.core.training.metrics import shown_scores

        absent = [name for name, s in metrics["per_class"].items() if args.on and not s["support"]
                  and not s.get("predicted")]
        for name, s in metrics["per_class"].items():
            if name in absent:
                continue
            shown = {k: "-" if v is None else f"{v:.2f}" for k, v in shown_scores(s).items()}
            say(f"  {name}: precision {shown['precision']}, recall {shown['recall']}, f1 {shown['f1']} "
                f"({s['support']} samples)")
        if absent:
            say(f"  (no sample of, and no answer for: {', '.join(absent)})")
        from edgeling.core.results_words import times

        for pair in metrics.get("most_confused") or []:
            a, b = pair["classes"]
            say(f"  mixed up: {a} and {b}, {times(pair['count'])} ({a} taken for {b}: {pair['as_second']}, "
                f"{b} taken for {a}: {pair['as_first']})")
    else:
        r2 = f", R² {metrics['r2']:.3f}" if metrics.get("r2") is not None else ""
        say(f"{args.run_dir}: MAE {metrics['mae']:.4g}, RMSE {metrics['rmse']:.4g}{r2} on "
            f"{samples_phrase(metrics)}; {metrics['latency_ms']:.3g} ms per prediction on this computer")
    if metrics.get("subjects"):
        from edgeling.core.results_words import subjects_sentence

        say(subjects_sentence(metrics))
    if learnt_warning(metrics):
        say(learnt_warning(metrics))
    for said in (metrics.get("input_shift"), metrics.get("class_mix")):   # files unlike those it learnt from
        if said:
            say(said)
    for skipped in metrics.get("skipped") or []:
        say(f"  not counted: {skipped['file']}: {skipped['reason']}")
    for note in metrics.get("notes") or []:
        say(f"  note: {note}")
    if args.save_results:
        from edgeling.core.results_files import ResultsError, write_results

        try:
            title = f"Results of {args.run_dir} on {args.on}" if args.on else f"Test results of {args.run_dir}"
            files = write_results(metrics, args.save_results, title=title)
        except ResultsError as e:
            raise CommandError(str(e), 2) from None
        say("Results written: " + ", ".join(str(f) for f in files))
    if args.json:
        emit_json(metrics)
    return 0
