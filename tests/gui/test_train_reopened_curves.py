"""The pump walk, after reopening the project: the Train page's training curves started at epoch 1 (history.json
holds one average an epoch, drawn at the epoch's end) where they had started at epoch 0 live, so the loss began
at 0.52 instead of 1.1, on another scale; and the compressed run-002-ptq showed "—" for its score in the runs
table while Evaluate and Export said "test accuracy 100.0%". The run's entry now keeps its first batch, drawn
again on reopening, and a compressed run shows its test accuracy, said as such."""

from __future__ import annotations

import json

from tests.gui.test_train_page import train_window  # noqa: F401 - the fixture


def _write_history(run_dir, epochs: int) -> None:
    """What the real training job writes and the fake one does not: one entry an epoch, from 0."""
    history = [{"epoch": e, "loss": 1.0 / (e + 1), "accuracy": 0.6 + 0.1 * e, "val_loss": 1.2 / (e + 1),
                "val_accuracy": 0.55 + 0.1 * e} for e in range(epochs)]
    (run_dir / "history.json").write_text(json.dumps(history), encoding="utf-8")
    (run_dir / "run.json").write_text(json.dumps({"status": "finished", "hyper": {"epochs": epochs}}),
                                      encoding="utf-8")


def test_reopened_curves_start_where_they_started_live(train_window, qtbot):  # noqa: F811
    page = train_window.pages["train"]
    page.epochs.setValue(3)
    page.extra_params = {"steps": 4, "step_s": 0.01}
    with qtbot.waitSignal(page.sig_run_ended, timeout=60000):
        assert page.start_training()
    live = page.curves.series["loss"]
    live_start = (float(live.x[0]), float(live.y[0]))
    assert live_start == (0.25, 1.0)                     # the first batch, near epoch 0
    project = train_window.state.project
    _write_history(project.run_folder(project.runs[0]), 3)
    project.save()
    assert train_window.open_project(str(project.folder))
    train_window.show_page("train")
    for key in ("loss", "accuracy"):
        series = page.curves.series[key]
        assert float(series.x[0]) < 1, (key, list(series.x))       # not from epoch 1
    loss = page.curves.series["loss"]
    assert (float(loss.x[0]), float(loss.y[0])) == live_start
    assert list(loss.x[1:]) == [1, 2, 3]                            # then each epoch's end, as before


def test_a_compressed_run_shows_its_test_accuracy(train_window):  # noqa: F811
    page = train_window.pages["train"]
    project = train_window.state.project
    for name, info in (("run-002", {"best": {"val_accuracy": 1.0, "accuracy": 1.0}}),
                       ("run-002-ptq", {"best": {"accuracy": 1.0, "macro_f1": 1.0},
                                        "compressed_from": "runs/run-002", "passes": ["ptq"]})):
        folder = project.runs_dir / name
        folder.mkdir(parents=True)
        (folder / "run.json").write_text(json.dumps({"status": "finished"}), encoding="utf-8")
        project.add_run(folder, status="finished", **info)
    train_window.state.edited()
    page.on_shown()
    assert page.runs.item(0, 2).text() == "100.0% (test)"          # its test score, as the compressed run's
    cell = page.runs.item(1, 2)
    assert cell.text() == "100.0% (test)"                           # not "—"
    assert "no validation score" in cell.toolTip() and "test samples" in cell.toolTip()


def test_a_run_trained_in_the_terminal_draws_its_first_batch_from_run_json(train_window):  # noqa: F811
    """Core keeps the first batch in run.json since: a run with no entry of its own first batch (trained in a
    terminal, or the entry from before) still starts near epoch 0 when shown."""
    from edgeling.gui.pages.train_last import show_last_run

    project = train_window.state.project
    run = project.runs_dir / "run-001"
    run.mkdir(parents=True)
    _write_history(run, 3)
    config = json.loads((run / "run.json").read_text(encoding="utf-8"))
    config["first_batch"] = {"steps": 4, "loss": 1.7, "accuracy": 0.2}
    (run / "run.json").write_text(json.dumps(config), encoding="utf-8")
    project.add_run(run, status="finished")
    page = train_window.pages["train"]
    assert show_last_run(page, project)
    loss = page.curves.series["loss"]
    assert (float(loss.x[0]), float(loss.y[0])) == (0.25, 1.7) and list(loss.x[1:]) == [1, 2, 3]
