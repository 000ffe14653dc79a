"""Files a model is tested on that are unlike the ones it learnt from are said (``evaluate --on``): the vineyard
walk's second-phone photos scored 57.1% against the run's 76.9%, and nothing said they were brighter."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from edgeling.core.training import input_shift


def photos(n_per_class: int, classes: int, seed: int, lift: float = 0.0, warm: float = 0.0) -> tuple:
    """Photos of ``classes`` classes (each its own hue), varied in brightness, lifted by ``lift`` (0-255 units)
    and made warmer by ``warm`` (more red, less blue)."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for c in range(classes):
        base = np.array([60 + 40 * c, 140, 90 - 20 * c], float)
        for _ in range(n_per_class):
            img = base * rng.uniform(0.8, 1.2) + rng.normal(0, 20, (16, 16, 3)) + lift
            img[..., 0] += warm
            img[..., 2] -= warm
            xs.append(img.clip(0, 255).astype(np.uint8))
            ys.append(c)
    return np.stack(xs), np.array(ys)


def test_brighter_and_warmer_photos_are_said_and_like_ones_are_not():
    ref_x, ref_y = photos(60, 3, 0)
    same_x, same_y = photos(20, 3, 1)
    assert input_shift.shift_words("images", ref_x, ref_y, same_x, same_y, "pictures") is None
    new_x, new_y = photos(20, 3, 2, lift=30, warm=25)
    said = input_shift.shift_words("images", ref_x, ref_y, new_x, new_y, "pictures")
    assert said.startswith("The pictures tested are brighter (by 1") and "warmer in colour (more red, less blue)" in said
    assert "add some of them (of every class) to the training data" in said
    darker = input_shift.shift_words("images", ref_x, ref_y, *photos(20, 3, 3, lift=-40), "pictures")
    assert darker.startswith("The pictures tested are darker")


def test_a_test_of_other_classes_or_one_class_moved_is_not_a_shift():
    """Compared class by class: a test holding only the brightest class is not 'brighter'; one class of three
    moved is not most of them."""
    ref_x, ref_y = photos(60, 3, 0)
    new_x, new_y = photos(20, 3, 4)
    assert input_shift.shift_words("images", ref_x, ref_y, new_x[new_y == 2], new_y[new_y == 2]) is None
    lifted = new_x.astype(float)
    lifted[new_y == 0] += 50
    assert input_shift.shift_words("images", ref_x, ref_y, lifted.clip(0, 255).astype(np.uint8), new_y) is None


def test_quieter_clips_are_said():
    rng = np.random.default_rng(0)
    ref_y, new_y = np.repeat([0, 1], 30), np.repeat([0, 1], 10)
    ref = rng.normal(0, 1, (60, 800)) * rng.uniform(0.05, 0.1, (60, 1))
    new = rng.normal(0, 1, (20, 800)) * rng.uniform(0.005, 0.01, (20, 1))      # 20 dB quieter
    said = input_shift.shift_words("audio", ref, ref_y, new, new_y, "clips")
    assert said.startswith("The clips tested are quieter (by about ") and " dB) than those the model learnt from" in said


def test_said_only_to_explain_a_drop_and_only_for_runs_that_keep_their_samples(tmp_path, monkeypatch):
    from edgeling.core import runs
    from edgeling.core.run_samples import SAMPLES_FILE

    ref_x, ref_y = photos(60, 3, 0)
    new_x, new_y = photos(20, 3, 2, lift=40)
    run = SimpleNamespace(path=tmp_path, metrics={"accuracy": 0.77})
    monkeypatch.setattr(runs, "load_run", lambda path: run)
    assert input_shift.run_shift_words(tmp_path, "images", new_x, new_y, 0.57) is None     # no samples.npz
    np.savez_compressed(tmp_path / SAMPLES_FILE, x_calibration=ref_x, y_calibration=ref_y,
                        about=np.frombuffer(b"{}", np.uint8))
    assert input_shift.run_shift_words(tmp_path, "images", new_x, new_y, 0.57).startswith("The pictures tested")
    assert input_shift.run_shift_words(tmp_path, "images", new_x, new_y, 0.75) is None     # no drop to explain
    assert input_shift.run_shift_words(tmp_path, "timeseries", new_x, new_y, 0.57) is None


def test_a_mix_of_classes_unlike_training_is_said():
    """The shop walk's quiet month: returns were 9% of the orders against 39% in training; the model found 0 of the
    11 returns and nothing said why."""
    run_metrics = {"per_class": {"Non": {"support": 61}, "Oui": {"support": 39}}, "accuracy": 0.72}
    quiet = np.array([0] * 109 + [1] * 11)
    said = input_shift.class_mix_words(run_metrics, ["Non", "Oui"], quiet, "table", 0.6)
    assert said == ("The rows tested hold 9% 'Oui' against 39% in the run's own data: a model answers "
                    "each class about as often as it learnt to, so where 'Oui' is rarer, more of its 'Oui' answers are "
                    "wrong. Judge it on data with the mix it will meet.")
    usual = np.array([0] * 72 + [1] * 48)
    assert input_shift.class_mix_words(run_metrics, ["Non", "Oui"], usual, "table", 0.6) is None
    assert input_shift.class_mix_words({}, ["Non", "Oui"], quiet, "table", 0.6) is None      # not known: not said
    # the GUI walk: said beside 100% right, as if they were wrong; it explains a drop only
    assert input_shift.class_mix_words(run_metrics, ["Non", "Oui"], quiet, "table", 1.0) is None
    few = {**run_metrics, "per_class": {"Non": {"support": 12}, "Oui": {"support": 8}}}   # too few to know a mix
    assert input_shift.class_mix_words(few, ["Non", "Oui"], quiet, "table", 0.6) is None


def test_one_class_moved_alone_is_said_with_its_name():
    """The regression walk: only the healthy photos darker, 43.4% against the run's 75.0%, and nothing said (the
    rule asked for most classes)."""
    ref_x, ref_y = photos(60, 3, 0)
    new_x, new_y = photos(20, 3, 5)
    dark = new_x.astype(float)
    dark[new_y == 1] -= 50
    said = input_shift.shift_words("images", ref_x, ref_y, dark.clip(0, 255).astype(np.uint8), new_y, "pictures",
                                   ["background", "healthy", "mildew"])
    assert said.startswith("The 'healthy' pictures tested are darker (by ") and "than the 'healthy' ones" in said
    assert input_shift.shift_words("images", ref_x, ref_y, dark.clip(0, 255).astype(np.uint8), new_y) is None


def test_a_class_more_common_than_in_training_is_said_to_cost_the_other_answers():
    """The speech walk: "73% 'oui' against 17% ... more of the 'oui' are missed", but recall does not depend on how
    often a word comes; the other words' answers were wrong more often ('oui' taken for them)."""
    run_metrics = {"per_class": {"oui": {"support": 17}, "non": {"support": 83}}, "accuracy": 0.8}
    skewed = np.array([0] * 73 + [1] * 27)
    said = input_shift.class_mix_words(run_metrics, ["oui", "non"], skewed, "audio", 0.6)
    assert "more of its other answers are wrong ('oui' taken for another class)" in said and "missed" not in said
