"""The reopen walk: after reopening a project the Model page showed an empty table of candidates without a word,
and the network's settings (its width) nowhere; the Network box could even say Automatic while the data was
being read. The page now says the chosen network with its settings, why it was recommended (the plan's sentence,
kept in the project), and which button shows the candidates again."""

from __future__ import annotations

from edgeling.core.project import create_project

KNOBS = {"width": 16, "features": "logmel", "n_mels": 40, "n_mfcc": 13, "dropout": 0.1}
WHY = "audio_cnn (width 16) uses 120 KB of the 320 KB of RAM available for the model on ESP32-S3 ..."


def _reopened(window, tmp_path, model):
    project = create_project("words", tmp_path / "words")
    project.update(data={"path": str(tmp_path / "clips"), "kind": "audio", "options": {}}, device="esp32-s3",
                   model=model)
    project.save()
    assert window.open_project(str(project.folder))
    window.show_page("model")
    return window.pages["model"]


def test_a_reopened_project_says_its_network_and_how_to_see_the_candidates(window, tmp_path):
    page = _reopened(window, tmp_path, {"arch": "audio_cnn", "knobs": KNOBS, "plan_explanation": WHY})
    assert page.table.rowCount() == 0
    said = page.explanation.text()
    assert said.startswith("Chosen network: audio_cnn, width 16, log-mel features, 40 frequency bands.")
    assert WHY in said
    button = page.plan_button.text().replace("&", "")
    assert f"Press “{button}” to see the candidates again." in said
    assert page.arch_box.currentData() == "audio_cnn"          # not Automatic while the data is not read
    assert "width 16" in page.explanation.toolTip()
    page.arch_box.setCurrentIndex(page.arch_box.findData(""))  # Automatic chosen: the words follow
    assert "Chosen network" not in page.explanation.text() and button in page.explanation.text()


def test_a_network_chosen_by_hand_has_no_recommendation_words(window, tmp_path):
    page = _reopened(window, tmp_path, {"arch": "audio_cnn", "knobs": {"width": 8}})
    said = page.explanation.text()
    assert said.startswith("Chosen network: audio_cnn, width 8.") and "★" not in said
    assert "to see the candidates again" in said
