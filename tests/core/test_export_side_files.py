"""Two exports with the same stem in one folder (model.onnx, model.tflite) each keep their own model card
and labels file."""

from __future__ import annotations

import json

from edgeling.core.cli import main
from edgeling.core.export.model_card import card_paths
from edgeling.core.jobs.train_job import train_run
from tests.core.training_fixtures import ZOO, make_table_csv


def test_exports_with_the_same_stem_keep_their_own_cards(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = make_table_csv(tmp_path / "points.csv", n=120)
    assert train_run(data, tmp_path / "run", epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
    exp = tmp_path / "exp"
    for fmt, name in (("onnx", "model.onnx"), ("tflite", "model.tflite")):
        assert main(["export", str(tmp_path / "run"), "--format", fmt, "--out", str(exp / name), "--json"]) == 0
        said = capsys.readouterr()
        result = json.loads(said.out)
        assert result["card"]["markdown"] == str(exp / f"{name}.card.md")
        runtime = {"onnx": "ONNX Runtime", "tflite": "TensorFlow Lite (LiteRT)"}[fmt]   # not the package name
        assert f"Verified in {runtime}: " in said.err
        assert result["verification"]["runtime"] == {"onnx": "onnxruntime", "tflite": "ai-edge-litert"}[fmt]
        assert f"Beside it: {name}.card.md (how to prepare an input" in said.err   # the shop walk: unsaid
    for fmt, name in (("onnx", "model.onnx"), ("tflite", "model.tflite")):
        paths = card_paths(exp / name)
        assert json.loads(paths["json"].read_text())["format"] == fmt
        names = {k: json.loads(paths["json"].read_text()).get(k) for k in ("input_name", "output_name")}
        assert names == ({"input_name": "input", "output_name": "output"} if fmt == "onnx" else
                         {"input_name": None, "output_name": None})
        runtime = {"onnx": "ONNX Runtime", "tflite": "TensorFlow Lite (LiteRT)"}[fmt]
        assert f"test samples in {runtime}, and compared" in paths["markdown"].read_text()
        assert "samples measure the accuracy" in paths["markdown"].read_text()     # how far to trust it
        assert f"# Model card: {name}" in paths["markdown"].read_text()
        assert paths["labels"].read_text().splitlines() == ["high", "low", "mid"]
        named = "tensor named 'input'" in paths["markdown"].read_text()     # the names a program asks for
        assert named == (fmt == "onnx") and ("tensor named 'output': one probability per class, in the order of "
                                             "the labels file" in paths["markdown"].read_text()) == (fmt == "onnx")


def _orders_csv(path, n: int = 120, target: str = "Retourné", regression: bool = False):
    """A shop's orders: two numbers and what happened (Oui/Non, or an amount), ';' separated."""
    import numpy as np

    rng = np.random.default_rng(1)
    a, b = rng.normal(size=n), rng.normal(size=n)
    ys = [f"{40 + 10 * x:.2f}" for x in a] if regression else ["Oui" if x + y > 0 else "Non" for x, y in zip(a, b)]
    lines = [f"Quantité;Remise;{target}"] + [f"{x:.3f};{y:.3f};{t}" for x, y, t in zip(a, b, ys)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_card_opens_with_what_the_model_answers(tmp_path, monkeypatch, capsys):
    """A shop owner's card said only '0 = Non, 1 = Oui'; it now opens with the column the model predicts."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    for name, target, regression, said in (
            ("retours", "Retourné", False, "The model answers: Retourné — one of Non, Oui, for each row of the table."),
            ("montants", "Montant (€)", True,
             "The model answers: Montant (€) — a number, in €, for each row of the table.")):
        data = _orders_csv(tmp_path / f"{name}.csv", target=target, regression=regression)
        assert train_run(data, tmp_path / name, epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
        out = tmp_path / "exp" / f"{name}.onnx"
        assert main(["export", str(tmp_path / name), "--format", "onnx", "--out", str(out)]) == 0
        text = card_paths(out)["markdown"].read_text(encoding="utf-8")
        assert text.splitlines()[:3] == [f"# Model card: {name}.onnx", "", said]
    assert "is the predicted value of Montant (€)." in text


def test_cards_of_pictures_clips_and_recordings_say_what_they_answer():
    from edgeling.core.export.model_card import build_card, card_markdown

    def opening(kind, task, classes, meta):
        spec = {"kind": kind, "task": task, "class_names": classes, "meta": meta}
        card = build_card(export_path="m.onnx", fmt="onnx", spec=spec, input_shape=["batch", 4], input_layout="NC",
                          frontend={}, input_quantization=None, metrics=None, device=None, compression=None,
                          verification=None, size_bytes=10, run=None)
        return card_markdown(card).splitlines()[2]

    assert opening("audio", "classification", ["arrêt", "stop"], {"labels_from": "folders"}) == (
        "The model answers: which class a sound clip belongs to — one of arrêt, stop; the names are those of "
        "the training folders.")
    assert opening("images", "classification", ["cat", "dog"], {"labels_from": "labels.csv"}) == (
        "The model answers: which class a picture belongs to — one of cat, dog; the names are the labels given in "
        "labels.csv.")
    assert opening("timeseries", "classification", ["walk", "run"], {"label_column": "activity"}) == (
        "The model answers: activity — one of walk, run, for each window of the sensor recording.")
    assert opening("timeseries", "classification", ["walk", "run"], {}) == (
        "The model answers: which class a window of the sensor recording belongs to — one of walk, run.")
    many = opening("images", "classification", [f"c{i}" for i in range(30)], {})
    assert "one of c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 and 20 more, all in the labels file." in many


def test_an_int8_export_of_an_uncompressed_run_says_it_was_quantized_at_export(tmp_path, monkeypatch):
    """The int8 card said 'Format: ONNX int8 (static QDQ)' and then 'Compression: none'."""
    from edgeling.core import runs
    from edgeling.core.export.model_card import describe_compression

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = _orders_csv(tmp_path / "retours.csv")
    # trained until it answers clearly: after 1 epoch it is near chance, and int8 rounding flipped a near tie
    # among the 12 test rows, so the export failed verification before it wrote a card
    assert train_run(data, tmp_path / "run", epochs=20, zoo=ZOO, threads=1)["status"] == "finished"
    train = runs.load_run(tmp_path / "run").config["dataset"]["splits"]["train"]
    for fmt, name in (("onnx-int8", "q.onnx"), ("tflite-int8", "q.tflite"), ("onnx", "f.onnx")):
        assert main(["export", str(tmp_path / "run"), "--format", fmt, "--out", str(tmp_path / name)]) == 0
    said = "none before export; this file is quantized to int8 at export (static, calibrated on {} training samples)"
    for name in ("q.onnx", "q.tflite"):
        text = card_paths(tmp_path / name)["markdown"].read_text(encoding="utf-8")
        assert f"| Compression | {said.format(train)} |" in text, name
        assert json.loads(card_paths(tmp_path / name)["json"].read_text())["calibration_samples"] == train
    assert "| Compression | none |" in card_paths(tmp_path / "f.onnx")["markdown"].read_text(encoding="utf-8")
    prune = {"pass": "prune", "method": "magnitude", "fraction": 0.5}
    assert describe_compression([prune], "c-header", 300).endswith(
        "; then this file is quantized to int8 at export (static, calibrated on 300 training samples)")
    ptq = {"pass": "ptq", "calibration_samples": 194}
    assert describe_compression([ptq], "onnx-int8", 300) == "int8 post-training quantization (194 calibration samples)"
    assert describe_compression([], "onnx") == "none"


def test_a_card_whose_test_had_few_or_no_samples_of_a_class_says_so():
    """accuracy 1 on a test without one 'normal' recording is not a proof: the card says what was not
    measured (it listed 'accuracy: 1, macro_f1: 1' and nothing else)."""
    from edgeling.core.export.model_card import build_card, card_markdown

    metrics = {"accuracy": 1.0, "macro_f1": 1.0,
               "per_class": {"normal": {"support": 0}, "cavitation": {"support": 6}, "loose": {"support": 12}}}
    spec = {"kind": "timeseries", "task": "classification", "class_names": ["normal", "cavitation", "loose"],
            "meta": {}}
    card = build_card(export_path="m.onnx", fmt="onnx", spec=spec, input_shape=["batch", 4], input_layout="NC",
                      frontend={}, input_quantization=None, metrics=metrics, device=None, compression=None,
                      verification=None, size_bytes=10, run=None)
    text = card_markdown(card)
    assert "- Accuracy: 100.0%" in text and "There is no sample of 'normal' here" in text
    assert "1 class has fewer than 10 (cavitation 6)" in text
    assert "- Accuracy on each class (recall): cavitation" not in text      # no recall stored: none said


def test_a_card_says_its_device_by_name_and_its_scores_in_words():
    """The speech walk: 'Device | raspberry-pi-4' (an id) and a raw list of metric keys."""
    from edgeling.core.export.model_card import build_card, card_markdown

    metrics = {"arch": "audio_cnn", "num_samples": 72, "split": "test", "model": "PyTorch float32",
               "accuracy": 0.8194, "macro_f1": 0.8, "roc_auc": 0.95,
               "majority_baseline": {"class": "ja", "accuracy": 12 / 72},
               "per_class": {"ja": {"recall": 0.75, "support": 12}, "zurück": {"recall": 11 / 12, "support": 12}}}
    spec = {"kind": "audio", "task": "classification", "class_names": ["ja", "zurück"], "meta": {}}
    card = build_card(export_path="w.onnx", fmt="onnx", spec=spec, input_shape=["batch", 1, 61, 32],
                      input_layout="NCHW", frontend={}, input_quantization=None, metrics=metrics,
                      device="raspberry-pi-4", compression=None, verification=None, size_bytes=10, run=None)
    text = card_markdown(card)
    assert "| Device | Raspberry Pi 4 Model B (4 GB) (raspberry-pi-4) |" in text
    int8 = card_markdown({**card, "metrics": {**metrics, "model": "the int8 file in LiteRT",
                                              "copies_under_two_labels": ["mildew/a.jpg"]}})
    assert "with the int8 file in LiteRT" in int8 and "the the" not in int8          # the vineyard re-walk
    assert "1 of these samples are photos also filed under another label" in int8
    section = text.split("## How good the trained model is", 1)[1].split("\n\n", 2)[1]
    assert section.splitlines() == [
        "- Model: audio_cnn (a small sound model: turns each clip into a sound picture (log-mel spectrogram) and "
        "reads it with three convolution layers)",
        "- Measured on: the 72 test samples, with the PyTorch float32 model",
        "- Accuracy: 81.9%. Better than always answering 'ja' (16.7%).",
        "- Macro-F1 (every class counts the same): 80.0%",
        "- ROC AUC: 0.95",
        "- Accuracy on each class (recall): ja 75% (9 of 12), zurück 92% (11 of 12)"]
