"""The orders walk, reopened: "Start from" showed run-001-ptq (int8) and Distil offered, as its teacher, run-001, the
run the int8 one was made from, and listed run-001-ptq itself. But run-001's network was the one Edgeling sized for
the device, and a student is sized for the device with at most half its teacher's parameters: it would come out
smaller than the device can hold. Distil now lists trained (float) runs bigger than the network sized for the
device only; with none, it is off and says what to train."""

from __future__ import annotations

import json

from edgeling.gui.pages.compress_teacher import NO_TEACHER_ITEM, NOT_BIGGER
from tests.gui.test_vineyard_walk import add_run

SIZED = "mlp (width 128, 2 layers) uses 83 KB of the 17.6 GB of RAM available for the model"


def _run(project, name: str, weights: int, arch_reason: str = "chosen by you", **info) -> None:
    add_run(project, name, device="this-computer", **info)
    run = project.runs_dir / name
    (run / "run.json").write_text(json.dumps({"status": "finished", "device": "this-computer", "arch": "mlp",
                                              "arch_reason": arch_reason, "dataset": {"fingerprint": "orders"}}),
                                  encoding="utf-8")
    (run / "checkpoints").mkdir()
    (run / "checkpoints" / "best.pt").write_bytes(b"w" * weights)
    (run / "checkpoints" / "last.pt").write_bytes(b"w" * 3 * weights)     # the optimiser's state too


def _reopened(window, make) -> object:
    window.pages["home"].create_button.click()
    project = window.state.project
    project.device = "this-computer"
    make(project)
    project.save()
    assert window.open_project(str(project.folder))
    window.show_page("compress")
    return window.pages["compress"]


def _listed(page) -> list:
    return [page.teacher.itemData(i) for i in range(page.teacher.count())]


def test_the_int8_runs_source_sized_for_the_device_is_no_teacher(window):
    def make(project):
        _run(project, "run-001", 86_000, SIZED)                  # Automatic: the network sized for this computer
        _run(project, "run-001-ptq", 86_000, SIZED, compressed_from="runs/run-001", passes=["ptq"])

    page = _reopened(window, make)
    assert page.runs.currentData() == "runs/run-001-ptq"
    assert _listed(page) == [None] and page.teacher.itemText(0) == NO_TEACHER_ITEM
    assert not page.distill.isChecked() and not page.distill.isEnabled()
    assert page.teacher_hint.isVisible() and page.teacher_hint.text() == NOT_BIGGER


def test_a_bigger_trained_run_teaches_and_copies_do_not(window):
    def make(project):
        _run(project, "run-001", 86_000, SIZED)
        _run(project, "run-002", 900_000)                         # a bigger network, chosen by hand
        _run(project, "run-002-ptq", 240_000, compressed_from="runs/run-002", passes=["ptq"])
        _run(project, "run-001-ptq", 86_000, SIZED, compressed_from="runs/run-001", passes=["ptq"])

    page = _reopened(window, make)
    assert page.runs.currentData() == "runs/run-001-ptq"
    assert _listed(page) == ["runs/run-002"]                      # trained, float and bigger only
    assert page.teacher.currentData() == "runs/run-002" and page.distill.isEnabled()
    page.runs.setCurrentIndex(page.runs.findData("runs/run-002-ptq"))
    assert _listed(page) == ["runs/run-002"]       # the int8 run's own source, bigger than the device's network
    page.runs.setCurrentIndex(page.runs.findData("runs/run-002"))
    assert _listed(page) == [None] and page.teacher_hint.text() == NOT_BIGGER


def test_a_source_chosen_by_hand_teaches_when_bigger_than_the_plans_pick(window):
    from edgeling.gui.pages.model_plan import keep_plan, plan_key

    def make(project):
        project.data = {"path": "/data/commandes.csv", "kind": "table", "options": {}}
        keep_plan(project, plan_key(project), {"pick": {"arch": "mlp", "knobs": {"width": 32}}, "candidates": [
            {"arch": "mlp", "knobs": {"width": 32}, "params": 5_000}]})
        _run(project, "run-001", 86_000)                          # chosen by hand: 4 times the pick's 20 KB
        _run(project, "run-001-ptq", 24_000, compressed_from="runs/run-001", passes=["ptq"])

    page = _reopened(window, make)
    assert page.runs.currentData() == "runs/run-001-ptq"
    assert _listed(page) == ["runs/run-001"] and page.distill.isEnabled()
