"""The Model page after the device is changed: a network the user chose by hand was silently replaced by the new
device's ★ pick when the networks were sized again by themselves; and the other way round, a network that was
the old device's pick was called "Your choice" on the new device's kept table, though the user never chose it.

Now a choice made by hand stays a family (its network, sized for the new device: the first row of it that fits),
or stays as it is with words saying the table has none of it; a pick (or Automatic) follows the new device's
pick, whether the plan is made again or was kept. Only "Find networks that fit", pressed, takes the pick over a
choice made by hand."""

from __future__ import annotations

import pytest

from edgeling.core.project import create_project

ESP, NANO = "esp32-s3", "arduino-nano-33-ble-sense"


def _cand(arch, knobs, kb, fits=True):
    return {"arch": arch, "knobs": knobs, "params": kb * 200, "ram_bytes": kb * 1024, "flash_bytes": kb * 2048,
            "latency_ms": kb / 2, "fits": fits, **({} if fits else {"why_not": [f"needs {kb} KB of RAM"]})}


ESP_PLAN = {"device": ESP, "explanation": "mobilenet_v2 (alpha 0.15) uses 290 KB ...",
            "pick": {"arch": "mobilenet_v2", "knobs": {"alpha": 0.15}},
            "candidates": [_cand("tutorial_cnn", {"width": 8}, 5), _cand("tutorial_cnn", {"width": 16}, 9),
                           _cand("mobilenet_v2", {"alpha": 0.1}, 269), _cand("mobilenet_v2", {"alpha": 0.15}, 290),
                           _cand("mobilenet_v2", {"alpha": 0.2}, 322, fits=False)]}
NANO_PLAN = {"device": NANO, "explanation": "tutorial_cnn (width 8) uses 5 KB ...",
             "pick": {"arch": "tutorial_cnn", "knobs": {"width": 8}},
             "candidates": [_cand("tutorial_cnn", {"width": 4}, 3), _cand("tutorial_cnn", {"width": 8}, 5),
                            _cand("tutorial_cnn", {"width": 16}, 300, fits=False),
                            _cand("mobilenet_v2", {"alpha": 0.05}, 150),
                            _cand("mobilenet_v2", {"alpha": 0.1}, 269, fits=False)]}
NANO_MOBILENET_ONLY = {"device": NANO, "explanation": "mobilenet_v2 (alpha 0.05) uses 150 KB ...",
                       "pick": {"arch": "mobilenet_v2", "knobs": {"alpha": 0.05}},
                       "candidates": [_cand("mobilenet_v2", {"alpha": 0.05}, 150),
                                      _cand("mobilenet_v2", {"alpha": 0.1}, 269, fits=False)]}


@pytest.fixture
def page(window, tmp_path, monkeypatch):
    project = create_project("leaves", tmp_path / "leaves")
    project.update(data={"path": str(tmp_path / "photos"), "kind": "images", "options": {"image_size": 96}},
                   device=ESP)
    project.save()
    assert window.open_project(str(project.folder))
    window.show_page("model")
    page = window.pages["model"]
    page.started = []            # the plans asked of ``edgeling plan``, none run: the tests answer them
    monkeypatch.setattr(page._plan_cli, "start", lambda args: page.started.append(args))
    return page


def _answer(page, plan):
    """``edgeling plan`` answers the plan the page asked for last."""
    assert page._planning_for is not None and page._planning_for["device"] == plan["device"]
    page._on_plan_result(plan)


def _press(page, plan):
    page.plan_button.click()
    _answer(page, plan)


def _device(page, device):
    page.device_box.setCurrentIndex(page.device_box.findData(device))


def _click(page, arch, knobs):
    row = next(r for r, c in enumerate(page._cands) if c["arch"] == arch and c["knobs"] == knobs)
    page.table.selectRow(row)


def _selected(page) -> list[tuple]:
    return [(page._cands[r]["arch"], page._cands[r]["knobs"]) for r in sorted({i.row() for i in
                                                                              page.table.selectedIndexes()})]


def _model(page):
    return page.state.project.model


def test_a_network_chosen_by_hand_is_kept_when_the_networks_are_sized_again(page):
    _press(page, ESP_PLAN)
    _click(page, "mobilenet_v2", {"alpha": 0.1})                    # not the pick (0.15): chosen by hand
    assert _model(page) == {"arch": "mobilenet_v2", "knobs": {"alpha": 0.1}}
    _device(page, NANO)
    assert len(page.started) == 2 and page.table.rowCount() == 0     # sized again for the Nano, by itself
    _answer(page, NANO_PLAN)
    # alpha 0.1 does not fit the Nano: the first mobilenet_v2 that does, not the Nano's ★ pick (tutorial_cnn)
    assert _model(page) == {"arch": "mobilenet_v2", "knobs": {"alpha": 0.05}}
    assert _selected(page) == [("mobilenet_v2", {"alpha": 0.05})]
    said = page.explanation.text()
    assert said.startswith("Your choice: mobilenet_v2") and "the recommended network is marked ★" in said
    assert "It fits the device." in said and page.arch_box.currentData() == "mobilenet_v2"


def test_a_network_chosen_by_hand_that_the_new_table_lacks_stays_and_is_said(page):
    _press(page, ESP_PLAN)
    _click(page, "tutorial_cnn", {"width": 8})
    assert _model(page) == {"arch": "tutorial_cnn", "knobs": {"width": 8}}
    _device(page, NANO)
    _answer(page, NANO_MOBILENET_ONLY)
    assert _model(page) == {"arch": "tutorial_cnn", "knobs": {"width": 8}}  # not replaced by the pick
    assert _selected(page) == [] and page.arch_box.currentData() == "tutorial_cnn"
    said = page.explanation.text()
    assert "tutorial_cnn is not among the networks sized for this device" in said and "★" not in said


def test_a_network_chosen_by_hand_is_kept_when_a_kept_plan_is_shown_again(page):
    _press(page, ESP_PLAN)
    _device(page, NANO)
    _answer(page, NANO_PLAN)                      # the Nano's plan, kept
    _device(page, ESP)                            # the ESP32-S3's plan, kept: shown again, no plan asked
    assert len(page.started) == 2 and page.table.rowCount() == 5
    _click(page, "mobilenet_v2", {"alpha": 0.1})
    _device(page, NANO)
    assert len(page.started) == 2 and page.table.rowCount() == 5      # the kept plan, not a new one
    # its very settings are in the Nano's table but do not fit: the first mobilenet_v2 that does
    assert _model(page) == {"arch": "mobilenet_v2", "knobs": {"alpha": 0.05}}
    assert _selected(page) == [("mobilenet_v2", {"alpha": 0.05})]
    assert page.explanation.text().startswith("Your choice: mobilenet_v2")
    _click(page, "tutorial_cnn", {"width": 4})
    _device(page, ESP)                                                 # no width 4 here: the first that fits
    assert _model(page) == {"arch": "tutorial_cnn", "knobs": {"width": 8}}
    assert page.explanation.text().startswith("Your choice: tutorial_cnn") and len(page.started) == 2


def test_a_pick_follows_the_new_devices_pick_sized_again_or_kept(page):
    _press(page, ESP_PLAN)
    assert _model(page)["knobs"] == {"alpha": 0.15} and "plan_explanation" in _model(page)
    _device(page, NANO)
    _answer(page, NANO_PLAN)                      # sized again
    assert _model(page) == {**NANO_PLAN["pick"], "plan_explanation": NANO_PLAN["explanation"]}
    assert _selected(page) == [("tutorial_cnn", {"width": 8})] and page.explanation.text().startswith("★ ")
    page.state.project.dirty = False
    _device(page, ESP)                            # kept: the ESP32-S3's own pick, not "Your choice: tutorial_cnn"
    assert _model(page) == {**ESP_PLAN["pick"], "plan_explanation": ESP_PLAN["explanation"]}
    assert _selected(page) == [("mobilenet_v2", {"alpha": 0.15})] and page.arch_box.currentData() == "mobilenet_v2"
    assert page.explanation.text() == "★ " + ESP_PLAN["explanation"] and page.state.project.dirty
    _device(page, NANO)                           # kept too
    assert _model(page) == {**NANO_PLAN["pick"], "plan_explanation": NANO_PLAN["explanation"]}
    assert page.explanation.text().startswith("★ ") and page.arch_box.currentData() == "tutorial_cnn"


def test_automatic_follows_the_new_devices_pick_and_stays_on_reopening(page, window):
    _press(page, ESP_PLAN)
    _device(page, NANO)
    _answer(page, NANO_PLAN)
    page.arch_box.setCurrentIndex(page.arch_box.findData(""))                 # Automatic
    assert _model(page) == {"arch": None} and _selected(page) == []
    _device(page, ESP)
    assert _model(page) == {**ESP_PLAN["pick"], "plan_explanation": ESP_PLAN["explanation"]}
    page.arch_box.setCurrentIndex(page.arch_box.findData(""))
    page.state.project.save()
    folder = page.state.project.folder
    assert window.open_project(str(folder))                                   # reopened: nothing changes
    assert window.state.project.model == {"arch": None} and not window.state.project.dirty
    assert page.table.rowCount() == 5 and _selected(page) == []
    assert page.explanation.text().startswith("Automatic")


def test_the_button_takes_the_pick_over_a_choice_made_by_hand(page):
    _press(page, ESP_PLAN)
    _click(page, "mobilenet_v2", {"alpha": 0.1})
    _press(page, ESP_PLAN)                        # asked for: the recommendation is the network
    assert _model(page) == {**ESP_PLAN["pick"], "plan_explanation": ESP_PLAN["explanation"]}
    assert _selected(page) == [("mobilenet_v2", {"alpha": 0.15})] and page.explanation.text().startswith("★ ")
    _click(page, "mobilenet_v2", {"alpha": 0.1})
    _device(page, NANO)
    _answer(page, NANO_PLAN)                      # sized again by itself: the choice stays
    assert _model(page) == {"arch": "mobilenet_v2", "knobs": {"alpha": 0.05}}
    _press(page, NANO_PLAN)                       # asked for on the Nano: its pick
    assert _model(page) == {**NANO_PLAN["pick"], "plan_explanation": NANO_PLAN["explanation"]}
    assert _selected(page) == [("tutorial_cnn", {"width": 8})] and page.explanation.text().startswith("★ ")
