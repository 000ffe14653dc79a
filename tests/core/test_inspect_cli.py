"""End to end: ``edgeling inspect`` over every kind of data the Foundation issue lists, the bundled samples,
and the bad inputs users really drop on the app.

Every test runs the real CLI in-process (``edgeling.core.cli.main``) and checks the contract: with
``--json`` exactly one JSON object on stdout, human text on stderr, exit 0 when the data can be trained on,
exit 2 with a one-paragraph plain message (never a traceback) when it cannot. One test runs the installed
``edgeling`` console script in a subprocess. Data is made in ``tmp_path``; counts are derived from what the
test wrote (or, for the bundled samples, from the folder contents), never typed in.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import sysconfig
import wave
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from edgeling.core.cli import main as cli_main
from edgeling.core.data.formats import AUDIO_EXTS

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"
KINDS = {"images", "table", "timeseries", "audio"}


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(folder))
    return folder


# ------------------------------------------------------------------------------------------------------
# Running the CLI and checking its contract


def _strict_json(text: str) -> dict:
    def no_constants(name):
        raise AssertionError(f"--json printed {name}, which is not valid JSON")

    assert text.strip(), "nothing on stdout"
    obj = json.loads(text, parse_constant=no_constants)  # fails on anything after the one object
    assert isinstance(obj, dict)
    return obj


def run_inspect(capsys, path, *extra) -> tuple[int, dict, str]:
    code = cli_main(["inspect", str(path), "--json", *map(str, extra)])
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err and "Traceback" not in cap.out
    return code, _strict_json(cap.out), cap.err


def inspect_ok(capsys, path, *extra) -> dict:
    code, out, err = run_inspect(capsys, path, *extra)
    assert code == 0, f"expected exit 0, got {code}: {err}"
    assert out["kind"] in KINDS
    assert out["task"] in ("classification", "regression")
    n = out["num_samples"]
    assert isinstance(n, int) and n > 0
    assert set(out["splits"]) == {"train", "validation", "test"} and sum(out["splits"].values()) == n
    if out["task"] == "classification":
        assert len(out["classes"]) >= 2 and sum(out["classes"].values()) == n
        assert all(isinstance(k, str) and isinstance(v, int) for k, v in out["classes"].items())
    else:
        assert out["classes"] == {}
    for p in out["problems"]:
        assert isinstance(p["code"], str) and p["code"]
        assert isinstance(p["message"], str) and p["message"].strip()
        assert isinstance(p["files"], list) and all(isinstance(f, str) for f in p["files"])
    # the human summary goes to stderr, naming the kind and the number of samples
    from edgeling.core.commands.inspect import KIND_WORDS, TASK_WORDS

    counted = "windows" if out["kind"] == "timeseries" else "samples"   # a window is what a sensor sample is
    assert f"{KIND_WORDS[out['kind']]}, {TASK_WORDS[out['task']]}; {n} {counted}, each " in err
    if out["kind"] == "timeseries":   # the pump walk: seconds and the step were never said in the terminal
        assert re.search(r"each [\d.]+ s = \d+ readings of .+ at [\d.]+ per second, a new window every [\d.]+ s", err)
    return out


def inspect_fails(capsys, path, *extra) -> str:
    code, out, err = run_inspect(capsys, path, *extra)
    assert code == 2, f"expected exit 2, got {code}: {out}"
    assert set(out) == {"error"}, "a failed inspect prints only the error object"
    message = out["error"]["message"]
    assert out["error"]["exit_code"] == 2
    assert message.strip() and "\n\n" not in message, "one paragraph"
    assert err.startswith("edgeling: ") and message in err
    assert "Error:" not in message and "Exception" not in message
    return message


def problems(out: dict, code: str) -> list[dict]:
    return [p for p in out["problems"] if p["code"] == code]


def codes(out: dict) -> set[str]:
    return {p["code"] for p in out["problems"]}


def listed(out: dict, code: str) -> list[str]:
    return [f for p in problems(out, code) for f in p["files"]]


# ------------------------------------------------------------------------------------------------------
# Making data


def _noise(h: int, w: int, channels: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (h, w) if channels == 1 else (h, w, channels)
    return rng.integers(0, 256, shape, dtype=np.uint8)


def save_image(path: Path, fmt: str = "PNG", size=(24, 24), channels: int = 1, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    arr = _noise(size[1], size[0], channels, seed)
    kwargs = {"lossless": True} if fmt == "WEBP" else {}
    Image.fromarray(arr).save(path, fmt, **kwargs)
    return path


def image_folder(root: Path, classes=("cat", "dog"), per_class: int = 10, seed: int = 0) -> Path:
    for c, cls in enumerate(classes):
        for i in range(per_class):
            save_image(root / cls / f"{i}.png", seed=seed * 10_000 + c * 1000 + i)
    return root


def write_wav(path: Path, seconds: float, rate: int, freq: float, seed: int, channels: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    sig = 0.4 * np.sin(2 * np.pi * freq * t + rng.uniform(0, 6.28)) + 0.02 * rng.standard_normal(len(t))
    data = np.stack([sig] * channels, axis=1) if channels > 1 else sig
    sf.write(path, data.astype(np.float32), rate, subtype="PCM_16")
    return path


def write_recording(path: Path, seconds: float, rate: float, freq: float, seed: int) -> int:
    """A ``timestamp,x,y`` CSV (timestamp in milliseconds). Returns the number of data rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n = int(round(seconds * rate))
    t = np.arange(n) / rate
    x = np.sin(2 * np.pi * freq * t) + 0.05 * rng.standard_normal(n)
    y = np.cos(2 * np.pi * freq * t) + 0.05 * rng.standard_normal(n)
    lines = ["timestamp,x,y"] + [f"{1000 + ms:.0f},{a:.4f},{b:.4f}"
                                 for ms, a, b in zip(t * 1000, x, y)]
    path.write_text("\n".join(lines) + "\n")
    return n


def windows(rows: int, window_len: int, stride_len: int) -> int:
    return 0 if rows < window_len else (rows - window_len) // stride_len + 1


def write_csv(path: Path, header: list[str], rows: list[list], delimiter=",", encoding="utf-8") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def fruit_rows(n: int, seed: int = 0, decimal_comma: bool = False) -> list[list]:
    """(length, colour, count, label) rows where the label depends on length and colour."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        length = float(np.round(rng.uniform(1, 20), 2))
        colour = str(rng.choice(["red", "green", "yellow"]))
        count = int(rng.integers(1, 9))
        label = "ripe" if length > 8 and colour != "green" else "unripe"
        shown = f"{length:.2f}".replace(".", ",") if decimal_comma else f"{length:.2f}"
        rows.append([shown, colour, count, label])
    return rows


# ------------------------------------------------------------------------------------------------------
# The bundled samples: right kind, classes and counts (counted from the folders here)


def test_sample_digits(capsys):
    root = SAMPLES / "digits"
    expected = {d.name: len(list(d.glob("*.png"))) for d in root.iterdir() if d.is_dir()}
    out = inspect_ok(capsys, root)
    assert out["kind"] == "images" and out["task"] == "classification"
    assert out["classes"] == expected and out["num_samples"] == sum(expected.values())
    assert out["sample_shape"][-1] == 1  # greyscale scans stay one channel
    assert not codes(out) & {"corrupt_file", "empty_file", "duplicate_across_labels"}


def test_sample_words(capsys):
    root = SAMPLES / "words"
    expected = {d.name: sum(f.suffix.lower() in AUDIO_EXTS for f in d.iterdir()) for d in root.iterdir()
                if d.is_dir()}
    assert sum(expected.values()) > 0
    out = inspect_ok(capsys, root)
    assert out["kind"] == "audio" and out["classes"] == expected
    rate = out["meta"]["sample_rate"]
    assert out["sample_shape"] == [int(round(out["meta"]["clip_s"] * rate))]


def test_sample_pump(capsys):
    root = SAMPLES / "pump"
    out = inspect_ok(capsys, root)
    assert out["kind"] == "timeseries" and out["meta"]["channels"] == ["x", "y", "z"]
    wl, sl = out["meta"]["window_len"], out["meta"]["stride_len"]
    expected, recordings = {}, 0
    for d in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted(d.glob("*.csv"))
        recordings += len(files)
        rows = [len(f.read_text().strip().splitlines()) - 1 for f in files]
        expected[d.name] = sum(windows(r, wl, sl) for r in rows)
    assert out["meta"]["recordings"] == recordings
    assert out["classes"] == expected
    assert out["sample_shape"] == [wl, 3]


def test_sample_orders_table(capsys):
    path = SAMPLES / "orders" / "commandes.csv"
    with open(path, encoding="cp1252", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    target = header[-1]
    expected = Counter(r[-1].strip() for r in body if r[-1].strip())
    out = inspect_ok(capsys, path, "--target", target)
    assert out["kind"] == "table" and out["task"] == "classification"
    assert out["classes"] == dict(expected)
    assert out["meta"]["target"] == target
    assert "encoding_fallback" in codes(out)  # the file is cp1252, and the report says so
    assert listed(out, "missing_values")  # the orders with an unknown return status are reported


# ------------------------------------------------------------------------------------------------------
# Every format


def test_image_folder_of_mixed_formats_modes_and_sizes(tmp_path, capsys):
    root = tmp_path / "pics"
    kinds = [("PNG", "png", 1, (24, 32)), ("JPEG", "jpg", 3, (40, 30)), ("BMP", "bmp", 3, (32, 32)),
             ("WEBP", "webp", 3, (28, 36)), ("PNG", "png", 3, (48, 48)), ("JPEG", "jpeg", 1, (30, 30))]
    for c, cls in enumerate(("apple", "pear")):
        for i, (fmt, ext, channels, size) in enumerate(kinds * 2):
            save_image(root / cls / f"{i}.{ext}", fmt, size, channels, seed=100 * c + i)
    out = inspect_ok(capsys, root)
    assert out["kind"] == "images"
    assert out["classes"] == {"apple": 2 * len(kinds), "pear": 2 * len(kinds)}
    side = out["meta"]["image_size"][0]
    assert out["sample_shape"] == [side, side, 3]  # colour, because some files are colour
    assert "size_mismatch" in codes(out)
    assert not codes(out) & {"corrupt_file", "empty_file", "ignored_file"}


def test_grey_image_folder_stays_one_channel(tmp_path, capsys):
    out = inspect_ok(capsys, image_folder(tmp_path / "grey"))
    assert out["sample_shape"][-1] == 1 and out["meta"]["channels"] == 1


def test_images_with_a_label_csv(tmp_path, capsys):
    root = tmp_path / "flat"
    rows = []
    for i in range(24):
        name = f"IMG_{i:03d}.png"
        save_image(root / name, size=(20, 20), channels=3, seed=i)
        rows.append([name, "round" if i % 3 else "square"])
    write_csv(root / "labels.csv", ["filename", "label"], rows)
    out = inspect_ok(capsys, root)
    assert out["kind"] == "images" and out["meta"]["labels_from"] == "labels.csv"
    assert out["classes"] == dict(Counter(label for _, label in rows))
    assert "unlabelled_file" not in codes(out)


def test_table_comma(tmp_path, capsys):
    rows = fruit_rows(80)
    path = write_csv(tmp_path / "fruit.csv", ["length", "colour", "count", "state"], rows)
    out = inspect_ok(capsys, path)
    assert out["kind"] == "table" and out["task"] == "classification"
    assert out["classes"] == dict(Counter(r[-1] for r in rows))
    assert out["meta"]["delimiter"] == "," and out["meta"]["target"] == "state"
    types = {c["name"]: c["type"] for c in out["meta"]["columns"]}
    assert types == {"length": "number", "colour": "category", "count": "number"}


def test_table_regression_target_chosen_by_name(tmp_path, capsys):
    rows = fruit_rows(60)
    path = write_csv(tmp_path / "fruit.csv", ["length", "colour", "count", "state"], rows)
    out = inspect_ok(capsys, path, "--target", "LENGTH", "--samples")
    assert out["task"] == "regression" and out["num_samples"] == len(rows)
    by_row = {s["source"]: s["label"] for s in out["samples"]}
    assert [by_row[f"fruit.csv#row={i + 2}"] for i in range(len(rows))] == pytest.approx(
        [float(r[0]) for r in rows], abs=1e-4)


def test_table_semicolon_with_decimal_comma(tmp_path, capsys):
    rows = fruit_rows(60, seed=1, decimal_comma=True)
    path = write_csv(tmp_path / "fruits.csv", ["longueur", "couleur", "nombre", "etat"], rows, delimiter=";")
    out = inspect_ok(capsys, path)
    assert out["meta"]["delimiter"] == ";" and out["meta"]["decimal_comma"] is True
    assert out["classes"] == dict(Counter(r[-1] for r in rows))
    assert {c["name"]: c["type"] for c in out["meta"]["columns"]}["longueur"] == "number"
    # "12,5" is read as 12.5: predicting it as a number gives back the values written
    out = inspect_ok(capsys, path, "--target", "longueur", "--samples")
    values = {s["source"]: s["label"] for s in out["samples"]}
    assert [values[f"fruits.csv#row={i + 2}"] for i in range(len(rows))] == pytest.approx(
        [float(r[0].replace(",", ".")) for r in rows], abs=1e-4)


def test_table_tab_separated(tmp_path, capsys):
    rows = fruit_rows(50, seed=2)
    path = write_csv(tmp_path / "fruit.tsv", ["length", "colour", "count", "state"], rows, delimiter="\t")
    out = inspect_ok(capsys, path)
    assert out["kind"] == "table" and out["meta"]["delimiter"] == "\t"
    assert out["classes"] == dict(Counter(r[-1] for r in rows))


def test_sensor_recordings_folder_per_class(tmp_path, capsys):
    root = tmp_path / "motor"
    rows = {}
    for c, (cls, freq) in enumerate((("idle", 2.0), ("spinning", 7.0))):
        rows[cls] = [write_recording(root / cls / f"rec{i}.csv", 4.0 + i, 50, freq, seed=10 * c + i)
                     for i in range(4)]
    out = inspect_ok(capsys, root)
    assert out["kind"] == "timeseries" and out["meta"]["mode"] == "folders"
    assert out["meta"]["sample_rate"] == 50 and out["meta"]["channels"] == ["x", "y"]
    wl, sl = out["meta"]["window_len"], out["meta"]["stride_len"]
    assert out["classes"] == {cls: sum(windows(r, wl, sl) for r in rs) for cls, rs in rows.items()}
    assert out["sample_shape"] == [wl, 2]


def test_sensor_one_long_csv_with_a_label_column(tmp_path, capsys):
    rate, seg_s = 20, 5
    labels = ["walk", "run", "sit", "walk", "run", "sit", "walk"]
    rng = np.random.default_rng(3)
    lines = ["time,ax,ay,activity"]
    k = 0
    for lab in labels:
        freq = {"walk": 1.5, "run": 3.0, "sit": 0.2}[lab]
        for _ in range(rate * seg_s):
            t = k / rate
            lines.append(f"{t:.3f},{np.sin(6.28 * freq * t) + 0.1 * rng.standard_normal():.4f},"
                         f"{0.1 * rng.standard_normal():.4f},{lab}")
            k += 1
    path = tmp_path / "session.csv"
    path.write_text("\n".join(lines) + "\n")
    out = inspect_ok(capsys, path, "--kind", "timeseries")
    assert out["kind"] == "timeseries" and out["meta"]["mode"] == "long_csv"
    assert out["meta"]["sample_rate"] == rate and out["meta"]["channels"] == ["ax", "ay"]
    wl, sl = out["meta"]["window_len"], out["meta"]["stride_len"]
    per_segment = windows(rate * seg_s, wl, sl)
    assert out["classes"] == {lab: n * per_segment for lab, n in Counter(labels).items()}
    # the same file inside a folder is detected as sensor data without --kind
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "session.csv").write_bytes(path.read_bytes())
    again = inspect_ok(capsys, folder)
    assert again["kind"] == "timeseries" and again["classes"] == out["classes"]


def test_audio_folder_per_class(tmp_path, capsys):
    root = tmp_path / "sounds"
    for c, (cls, freq) in enumerate((("beep", 880.0), ("hum", 120.0))):
        for i in range(10):
            write_wav(root / cls / f"{i}.wav", 0.5, 16000, freq, seed=100 * c + i)
    write_wav(root / "hum" / "stereo.wav", 0.5, 16000, 120.0, seed=999, channels=2)
    out = inspect_ok(capsys, root)
    assert out["kind"] == "audio" and out["classes"] == {"beep": 10, "hum": 11}
    assert out["meta"]["sample_rate"] == 16000 and out["sample_shape"] == [8000]
    assert listed(out, "stereo_mixed_down") == ["hum/stereo.wav"]


# ------------------------------------------------------------------------------------------------------
# Bad input: a listed problem (exit 0, the rest is usable) or a clear exit 2


def test_broken_image_files_are_listed_with_the_reason(tmp_path, capsys):
    root = image_folder(tmp_path / "pics", per_class=10)
    good = save_image(tmp_path / "big.png", size=(64, 64), channels=3, seed=7).read_bytes()
    (root / "cat" / "truncated.png").write_bytes(good[: len(good) // 2])
    (root / "dog" / "zero.png").write_bytes(b"")
    (root / "dog" / "notes.png").write_text("these are my notes about the dogs, not a picture\n")
    out = inspect_ok(capsys, root)
    assert out["classes"] == {"cat": 10, "dog": 10}, "broken files are skipped, the rest imported"
    corrupt = {f: p["message"] for p in problems(out, "corrupt_file") for f in p["files"]}
    assert set(corrupt) == {"cat/truncated.png", "dog/notes.png"}
    assert "truncated" in corrupt["cat/truncated.png"]
    assert "text" in corrupt["dog/notes.png"]
    assert listed(out, "empty_file") == ["dog/zero.png"]
    assert all(p["advice"] for p in problems(out, "corrupt_file") + problems(out, "empty_file"))


def test_empty_folder_exits_2(tmp_path, capsys):
    (tmp_path / "nothing").mkdir()
    message = inspect_fails(capsys, tmp_path / "nothing")
    assert "nothing" in message and "empty" in message


def test_folder_of_only_broken_images_exits_2_and_names_them(tmp_path, capsys):
    root = tmp_path / "broken"
    for cls in ("a", "b"):
        (root / cls).mkdir(parents=True)
        (root / cls / "x.png").write_text("not an image")
    inspect_fails(capsys, root)
    cli_main(["inspect", str(root), "--json"])
    assert set(json.loads(capsys.readouterr().out)["error"]["files"]) >= {"a/x.png", "b/x.png"}


def test_one_class_only_exits_2(tmp_path, capsys):
    message = inspect_fails(capsys, image_folder(tmp_path / "one", classes=("healthy",)))
    assert "only one class" in message and "healthy" in message


def test_one_usable_class_names_the_class_whose_files_were_all_skipped(tmp_path, capsys):
    root = image_folder(tmp_path / "pics", classes=("healthy",))
    (root / "mildew").mkdir()
    (root / "mildew" / "leaf1.png").write_text("not a picture")
    (root / "mildew" / "leaf2.png").write_bytes(b"")
    message = inspect_fails(capsys, root)
    assert "only one class ('healthy')" in message and "'mildew'" in message and "skipped" in message
    cli_main(["inspect", str(root), "--json"])
    assert set(json.loads(capsys.readouterr().out)["error"]["files"]) == {"mildew/leaf1.png",
                                                                         "mildew/leaf2.png"}


def test_choosing_a_class_folder_instead_of_the_folder_above_says_so(tmp_path, capsys):
    root = image_folder(tmp_path / "leaves")
    message = inspect_fails(capsys, root / "cat")
    assert "10 images" in message and "folder above" in message
    for i in range(3):
        write_wav(tmp_path / "yes" / f"{i}.wav", 0.5, 16000, 440.0, seed=i)
    message = inspect_fails(capsys, tmp_path / "yes")
    assert "3 recordings" in message and "folder above" in message


def test_a_folder_holding_one_table_csv(tmp_path, capsys):
    rows = fruit_rows(50, seed=3)
    write_csv(tmp_path / "shop" / "fruit.csv", ["length", "colour", "count", "state"], rows)
    # detection reads a folder of CSV files as sensor recordings; the message says how to open a table
    message = inspect_fails(capsys, tmp_path / "shop")
    assert "fruit.csv is a table" in message and "open the file itself" in message
    out = inspect_ok(capsys, tmp_path / "shop", "--kind", "table")
    assert out["kind"] == "table" and out["root"] == str(tmp_path / "shop" / "fruit.csv")
    assert out["classes"] == dict(Counter(r[-1] for r in rows))


def test_a_class_with_two_pictures_is_tested_but_not_validated(tmp_path, capsys):
    root = image_folder(tmp_path / "pics", per_class=12)
    for i in range(2):
        save_image(root / "rare" / f"{i}.png", seed=50_000 + i)
    out = inspect_ok(capsys, root, "--samples")
    assert sorted(s["split"] for s in out["samples"] if s["label"] == "rare") == ["test", "train"]
    messages = [p["message"] for p in problems(out, "too_few_samples")]
    assert ("No example of 'rare' is in the validation samples, so the best epoch is chosen without it. Each file "
            "goes whole to one split, and 'rare' (2 files) has too few: a class needs 3 or more.") in messages
    assert not any("is in the test set" in m or "is in the training set" in m for m in messages)
    # one picture per class: both are learnt from, and the report says nothing is left to check them
    tiny = tmp_path / "tiny"
    save_image(tiny / "a" / "0.png", seed=60_000)
    save_image(tiny / "b" / "0.png", seed=70_000)
    out = inspect_ok(capsys, tiny)
    assert out["splits"] == {"train": 2, "validation": 0, "test": 0}
    assert any("No example of 'a', 'b' is in the test set" in p["message"] for p in problems(out, "too_few_samples"))


def test_a_regression_with_nothing_left_to_train_on_exits_2(tmp_path, capsys):
    """A regression keeps the plain hash per row, so two rows can both be set aside to check the model."""
    import hashlib

    from edgeling.core.data.splits import DEFAULT_FRACTIONS, group_position

    held_out = [n for n in range(1000)
                if group_position(hashlib.sha1(f"{n}\x1f{n % 7}".encode()).hexdigest()) >= DEFAULT_FRACTIONS[0]]
    path = tmp_path / "two.csv"
    path.write_text("a,b,value\n" + "".join(f"{n},{n % 7},{n}.5\n" for n in held_out[:2]))
    assert "too few examples to train on" in inspect_fails(capsys, path, "--target", "value")


def test_missing_path_and_single_non_table_file_exit_2(tmp_path, capsys):
    assert "does not exist" in inspect_fails(capsys, tmp_path / "nowhere")
    picture = save_image(tmp_path / "one.png")
    assert "one.png" in inspect_fails(capsys, picture)


def test_csv_with_ragged_rows(tmp_path, capsys):
    rows = fruit_rows(40, seed=4)
    path = write_csv(tmp_path / "fruit.csv", ["length", "colour", "count", "state"], rows)
    lines = path.read_text().splitlines()
    bad_lines = [5, 12]  # 1-based line numbers in the file (line 1 is the header)
    for n in bad_lines:
        lines[n - 1] = lines[n - 1].replace(",", ",3,", 1)  # an unquoted comma inside a value
    path.write_text("\n".join(lines) + "\n")
    out = inspect_ok(capsys, path)
    assert out["num_samples"] == len(rows) - len(bad_lines)
    assert listed(out, "ragged_rows") == [f"fruit.csv#row={n}" for n in bad_lines]


def test_latin1_csv_is_read_and_the_fallback_reported(tmp_path, capsys):
    rng = np.random.default_rng(5)
    rows = [[f"{t:.1f}", str(rng.choice(["sèche", "humide", "trempée"])), "élevé" if t > 20 else "bas"]
            for t in rng.uniform(5, 35, 50)]
    path = write_csv(tmp_path / "serre.csv", ["température", "état du sol", "risque"], rows,
                     encoding="latin-1")
    out = inspect_ok(capsys, path)
    assert out["classes"] == dict(Counter(r[-1] for r in rows))  # accents decoded right
    assert {c["name"] for c in out["meta"]["columns"]} == {"température", "état du sol"}
    assert listed(out, "encoding_fallback") == [str(path)]


def test_number_too_large_for_float32_is_reported_not_turned_into_infinity(tmp_path, capsys):
    # Samples are float32; 1e300 would become infinity (and print as invalid JSON, and break training).
    rows = fruit_rows(40, seed=9)
    rows[6][0] = "1e300"
    path = write_csv(tmp_path / "fruit.csv", ["length", "colour", "count", "state"], rows)
    out = inspect_ok(capsys, path)  # inspect_ok parses the JSON strictly: no Infinity / NaN
    # Not a blank: a warning of its own names the cell by its line (header = line 1).
    assert listed(out, "not_numbers") == ["fruit.csv#row=8"] and not listed(out, "missing_values")
    assert "'1e300'" in problems(out, "not_numbers")[0]["message"]
    assert all(abs(v) < 1e30 for v in out["meta"]["feature_mean"] + out["meta"]["feature_std"])
    for big in ("1e300", "1e30"):  # not a float32 at all; a float32 whose square is not
        lines = ["timestamp,x,y,label"] + [f"{20 * i},{big if i == 7 else (i % 7) / 7},{(i % 5) / 5},"
                                           f"{'ab'[i // 200]}" for i in range(400)]
        (tmp_path / "log.csv").write_text("\n".join(lines) + "\n")
        out = inspect_ok(capsys, tmp_path / "log.csv", "--kind", "timeseries", "--no-cache")
        assert out["classes"] == {"a": out["num_samples"] // 2, "b": out["num_samples"] // 2}
    rows[6][0] = "1e30"
    write_csv(path, ["length", "colour", "count", "state"], rows)
    inspect_ok(capsys, path)


def test_csv_of_random_bytes_exits_2(tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_bytes(np.random.default_rng(6).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    message = inspect_fails(capsys, path)
    assert "export.csv" in message


def test_table_that_cannot_be_trained_on_exits_2(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty.csv" in inspect_fails(capsys, empty)
    one = write_csv(tmp_path / "one.csv", ["size", "label"], [[(7 * i) % 11 + 0.5, "a"] for i in range(30)])
    assert "one class" in inspect_fails(capsys, one)
    # an order number is no column to learn from: nothing is left to predict the label with
    ids = write_csv(tmp_path / "ids.csv", ["order id", "label"], [[1000 + i, "ab"[i % 2]] for i in range(40)])
    assert "no usable column" in inspect_fails(capsys, ids)
    assert "nothing" in inspect_fails(capsys, ids, "--target", "nothing")


def test_broken_audio_files_are_listed(tmp_path, capsys):
    root = tmp_path / "sounds"
    for c, cls in enumerate(("yes", "no")):
        for i in range(10):
            write_wav(root / cls / f"{i}.wav", 0.5, 16000, 300.0 + 200 * c, seed=10 * c + i)
    with wave.open(str(root / "yes" / "header_only.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"")
    (root / "no" / "zero.wav").write_bytes(b"")
    out = inspect_ok(capsys, root)
    assert out["classes"] == {"yes": 10, "no": 10}
    corrupt = {f: p["message"] for p in problems(out, "corrupt_file") for f in p["files"]}
    assert set(corrupt) == {"yes/header_only.wav"} and "no sound" in corrupt["yes/header_only.wav"]
    assert listed(out, "empty_file") == ["no/zero.wav"]


def test_audio_with_mixed_sample_rates(tmp_path, capsys):
    root = tmp_path / "sounds"
    slow = []
    for c, cls in enumerate(("yes", "no")):
        for i in range(10):
            rate = 8000 if i % 4 == 0 else 16000
            write_wav(root / cls / f"{i}.wav", 0.5, rate, 300.0 + 200 * c, seed=10 * c + i)
            if rate == 8000:
                slow.append(f"{cls}/{i}.wav")
    out = inspect_ok(capsys, root)
    assert out["meta"]["sample_rate"] == 16000 and out["sample_shape"] == [8000]
    assert sorted(listed(out, "sample_rate_mismatch")) == sorted(slow)
    assert out["meta"]["original_rates"] == {"8000": len(slow), "16000": 20 - len(slow)}


def test_sensor_recordings_with_mixed_sample_rates(tmp_path, capsys):
    root = tmp_path / "motor"
    for c, (cls, freq) in enumerate((("idle", 2.0), ("spinning", 7.0))):
        for i in range(4):
            write_recording(root / cls / f"rec{i}.csv", 4.0, 50, freq, seed=10 * c + i)
    write_recording(root / "idle" / "fast.csv", 4.0, 100, 2.0, seed=77)
    out = inspect_ok(capsys, root)
    assert out["meta"]["sample_rate"] == 50
    mismatch = listed(out, "sample_rate_mismatch")
    assert len(mismatch) == 1 and mismatch[0].startswith("idle/fast.csv")
    assert out["meta"]["recordings"] == 9  # the fast one was resampled, not dropped


def test_same_image_under_two_classes(tmp_path, capsys):
    root = image_folder(tmp_path / "pics", per_class=10)
    (root / "dog" / "copy_of_cat_3.png").write_bytes((root / "cat" / "3.png").read_bytes())
    (root / "cat" / "again_5.png").write_bytes((root / "cat" / "5.png").read_bytes())
    out = inspect_ok(capsys, root, "--samples")
    across = problems(out, "duplicate_across_labels")
    assert len(across) == 1 and len(across[0]["files"]) == 1
    pair = across[0]["files"][0]
    assert "cat/3.png" in pair and "dog/copy_of_cat_3.png" in pair
    assert any("cat/5.png" in f and "cat/again_5.png" in f for f in listed(out, "duplicate"))
    split = {s["source"]: s["split"] for s in out["samples"]}
    assert split["cat/3.png"] == split["dog/copy_of_cat_3.png"], "duplicates never straddle splits"
    assert split["cat/5.png"] == split["cat/again_5.png"]


def _console(monkeypatch, encoding: str) -> io.TextIOWrapper:
    """Stand-ins for a real process' streams: stdout strict in ``encoding``, stderr as Python makes it
    (``backslashreplace``, so human text never fails)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(io.BytesIO(), encoding=encoding,
                                                        errors="backslashreplace"))
    return out


def test_json_is_written_whatever_the_console_and_the_file_names(tmp_path, monkeypatch):
    root = image_folder(tmp_path / "pics", classes=("日本", "café"))
    bad_name = None
    if sys.platform.startswith("linux"):  # a file name that is not valid UTF-8 (only Linux allows one)
        bad_name = os.fsdecode(b"caf\xe9.png")
        (root / "café" / bad_name).write_text("not a picture")
    for encoding in ("utf-8", "cp1252"):  # a UTF-8 terminal or pipe; a Windows console or pipe
        stdout = _console(monkeypatch, encoding)
        assert cli_main(["inspect", str(root), "--json", "--samples"]) == 0
        stdout.flush()
        out = _strict_json(stdout.buffer.getvalue().decode(encoding))
        assert out["classes"] == {"日本": 10, "café": 10}
        if bad_name:
            assert listed(out, "corrupt_file") == ["café/" + bad_name]


# ------------------------------------------------------------------------------------------------------
# The cache


def test_second_inspect_is_served_from_the_cache_and_a_change_reimports(tmp_path, capsys, monkeypatch,
                                                                         cache_dir):
    import edgeling.core.data.images as images
    from edgeling.core.data.load import open_dataset

    calls = []
    real = images.import_dataset

    def spy(path, options):
        calls.append(Path(path))
        return real(path, options)

    monkeypatch.setattr(images, "import_dataset", spy)
    root = image_folder(tmp_path / "pics", per_class=10)
    first = inspect_ok(capsys, root)
    second = inspect_ok(capsys, root)
    assert len(calls) == 1 and second == first
    assert len(list((cache_dir / "datasets").iterdir())) == 1
    reopened = open_dataset(root)  # what the CLI stored is memory-mapped when read back
    assert isinstance(reopened.x, np.memmap) and len(calls) == 1

    st = os.stat(root / "cat" / "0.png")
    os.utime(root / "cat" / "0.png", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    inspect_ok(capsys, root)
    assert len(calls) == 2, "a touched file re-imports"
    save_image(root / "dog" / "new.png", seed=4242)
    out = inspect_ok(capsys, root)
    assert len(calls) == 3 and out["classes"] == {"cat": 10, "dog": 11}, "an added file re-imports"
    inspect_ok(capsys, root, "--no-cache")
    assert len(calls) == 4


def test_a_cached_dataset_is_named_by_the_path_given_now(tmp_path, capsys, monkeypatch):
    image_folder(tmp_path / "work" / "pics")
    monkeypatch.chdir(tmp_path / "work")
    assert inspect_ok(capsys, "pics")["root"] == "pics"
    monkeypatch.chdir(tmp_path)
    again = inspect_ok(capsys, Path("work") / "pics")  # the same folder, served from the cache
    assert again["root"] == str(Path("work") / "pics") and (tmp_path / again["root"]).is_dir()
    assert len(list((tmp_path / "cache" / "datasets").iterdir())) == 1


# ------------------------------------------------------------------------------------------------------
# Splits stay put when files are added


def test_adding_images_to_one_class_does_not_move_the_other_classes(tmp_path, capsys):
    root = image_folder(tmp_path / "pics", per_class=15)
    before = {s["source"]: s["split"] for s in inspect_ok(capsys, root, "--samples")["samples"]}
    image_folder(tmp_path / "more", classes=("dog",), per_class=15, seed=1)
    for f in (tmp_path / "more").rglob("*.png"):
        f.rename(root / f.parent.name / f"extra_{f.name}")
    after_out = inspect_ok(capsys, root, "--samples")
    after = {s["source"]: s["split"] for s in after_out["samples"]}
    assert len(after) == len(before) + 15
    cats = {s for s in before if s.startswith("cat/")}
    assert len(cats) == 15 and {s: after[s] for s in cats} == {s: before[s] for s in cats}
    assert all(after_out["splits"][k] > 0 for k in ("train", "validation", "test"))
    for label in ("cat", "dog"):  # every class in every split
        assert {s["split"] for s in after_out["samples"] if s["label"] == label} == {"train", "validation", "test"}


def test_adding_rows_to_a_table_moves_no_row_of_a_regression_and_few_of_a_classification(tmp_path, capsys):
    rows = fruit_rows(120, seed=8)
    header = ["length", "colour", "count", "state"]
    path = write_csv(tmp_path / "fruit.csv", header, rows[:60])
    before = {s["source"]: s["split"] for s in inspect_ok(capsys, path, "--target", "length", "--samples")["samples"]}
    write_csv(path, header, rows)
    after = {s["source"]: s["split"] for s in inspect_ok(capsys, path, "--target", "length", "--samples")["samples"]}
    assert len(before) == 60 and {s: after[s] for s in before} == before  # a regression: the plain hash
    # a classification is split within each class: adding 60 rows moves a few of the first 60, not more
    before = {s["source"]: s["split"] for s in inspect_ok(capsys, write_csv(path, header, rows[:60]),
                                                          "--samples")["samples"]}
    write_csv(path, header, rows)
    after_out = inspect_ok(capsys, path, "--samples")
    after = {s["source"]: s["split"] for s in after_out["samples"]}
    moved = sum(after[s] != before[s] for s in before)
    assert moved <= 6  # a tenth
    for label in ("ripe", "unripe"):
        assert {s["split"] for s in after_out["samples"] if s["label"] == label} == {"train", "validation", "test"}


def test_samples_listing_is_opt_in(tmp_path, capsys):
    out = inspect_ok(capsys, image_folder(tmp_path / "pics"))
    assert "samples" not in out


# ------------------------------------------------------------------------------------------------------
# The installed console script


def test_installed_edgeling_script(tmp_path):
    script = Path(sysconfig.get_path("scripts")) / ("edgeling.exe" if os.name == "nt" else "edgeling")
    assert script.exists(), f"the console script is not installed at {script}; run pip install -e ."
    root = image_folder(tmp_path / "pics", per_class=10)
    env = dict(os.environ, EDGELING_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run([str(script), "inspect", str(root), "--json"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = _strict_json(proc.stdout)
    assert out["kind"] == "images" and out["classes"] == {"cat": 10, "dog": 10}
    assert "Traceback" not in proc.stderr and "20 samples" in proc.stderr
