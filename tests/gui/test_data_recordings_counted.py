"""The beekeeper walk: the Data page said "hives: 6710 clips of 1 s ... Training 5576, validation 622, test 512"
and "Samples per class" for 60 recordings cut into 1 s clips: neither how many recordings the clips came from nor
that each split's count is of clips. It says both now; a folder of clips (one per file) reads as before."""

from __future__ import annotations

from tests.gui.hive_recordings import hives
from tests.gui.test_main_window import make_images, wait_imported


def _imported(window, qtbot, root):
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(root))
    wait_imported(qtbot, window)
    return page, window.state.dataset


def test_hive_recordings_say_clips_and_the_recordings_they_came_from(window, qtbot, tmp_path):
    page, ds = _imported(window, qtbot, hives(tmp_path / "hives"))
    splits = ds.split_counts()
    assert ds.num_samples == 180 and splits == {"train": 120, "validation": 30, "test": 30}
    assert page.status.text().startswith(
        "hives: 180 clips of 1 s at 16000 Hz from 12 recordings, 2 classes. Training 120 clips from 8 recordings, "
        "validation 30 from 2, test 30 from 2")
    assert page.chart.getPlotItem().titleLabel.text == "Clips per class"


def test_other_data_keeps_its_counts(window, qtbot, tmp_path):
    page, ds = _imported(window, qtbot, make_images(tmp_path / "pics", n=8))
    splits = ds.split_counts()
    assert page.status.text().startswith(f"pics: {ds.num_samples} pictures")
    assert f"Training {splits['train']}, validation {splits['validation']}, test {splits['test']}" in page.status.text()
    assert "recording" not in page.status.text()
    assert page.chart.getPlotItem().titleLabel.text == "Samples per class"
