"""The vineyard re-walk: on the Compress page "Distil ... on the answers of:" showed the same run as "Start
from", so the run would have taught itself. It now shows the biggest other finished run of the same data; with
no other run, none, Distil unticked, and a plain hint; the run itself is not offered."""

from __future__ import annotations

import json

from edgeling.gui.pages.compress_teacher import NO_OTHER_RUN
from tests.gui.test_vineyard_walk import add_run


def trained(project, name: str, checkpoint_bytes: int, fingerprint: str = "leaves", **info) -> None:
    add_run(project, name, **info)
    run = project.runs_dir / name
    (run / "run.json").write_text(json.dumps({"status": "finished", "device": "esp32-s3",
                                              "dataset": {"fingerprint": fingerprint}}), encoding="utf-8")
    (run / "checkpoints").mkdir()
    (run / "checkpoints" / "best.pt").write_bytes(b"w" * checkpoint_bytes)


def test_distillation_learns_from_another_bigger_run_of_the_same_data(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    trained(project, "run-001", 1000)
    trained(project, "run-002", 9000)                           # the biggest of the same data
    trained(project, "run-003", 50000, fingerprint="other")     # bigger, but trained on other data
    trained(project, "run-001-ptq", 300, compressed_from="runs/run-001", passes=["ptq"])
    window.state.edited()
    window.show_page("compress")
    page = window.pages["compress"]
    assert page.runs.currentData() == "runs/run-001-ptq"
    assert page.teacher.currentData() == "runs/run-002"
    assert page.distill.isEnabled() and not page.teacher_hint.isVisible()

    listed = [page.teacher.itemData(i) for i in range(page.teacher.count())]
    assert listed == ["runs/run-002", "runs/run-001"]       # neither the run itself (int8) nor other data's run


def test_with_no_other_run_distil_is_off_and_says_why(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    trained(project, "run-001", 1000)
    window.state.edited()
    window.show_page("compress")
    page = window.pages["compress"]
    assert page.runs.currentData() == "runs/run-001"
    assert not page.distill.isChecked() and not page.distill.isEnabled()
    assert page.teacher_hint.isVisible() and page.teacher_hint.text() == NO_OTHER_RUN
