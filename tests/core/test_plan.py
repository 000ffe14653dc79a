"""Auto-sizing and the ``edgeling devices`` / ``edgeling plan`` commands."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from edgeling.core.cli import main
from edgeling.core.devices.catalogue import bundled_devices, get_device
from edgeling.core.models import autosize, zoo

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


@pytest.fixture(autouse=True)
def _private_folders(tmp_path, monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EDGELING_DATA_DIR", str(tmp_path / "data"))


def table_csv(tmp_path: Path, rows: int = 60) -> Path:
    rng = np.random.default_rng(0)
    lines = ["temperature,pressure,speed,label"]
    for _ in range(rows):
        a, b, c = rng.normal(size=3)
        lines.append(f"{a:.3f},{b:.3f},{c:.3f},{'high' if a + b > 0 else 'low'}")
    path = tmp_path / "readings.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


TIMESERIES = zoo.InputSpec("timeseries", "classification", 3, (100, 3), {"sample_rate": 50, "window_s": 2.0})


def series(n=16):
    return np.random.default_rng(1).standard_normal((n, 100, 3)).astype(np.float32)


def test_plan_picks_the_largest_candidate_that_fits():
    device = get_device("arduino-nano-33-ble-sense")
    result = autosize.plan(TIMESERIES, series(), device)
    rows = result["candidates"]
    assert len(rows) == sum(len(zoo.size_grid(a, TIMESERIES)) for a in zoo.architectures_for("timeseries"))
    budget = result["budget"]
    assert budget["ram_bytes"] == int(device.ram_bytes * 0.75)
    for r in rows:
        assert set(r) >= {"arch", "knobs", "params", "macs", "flash_bytes", "ram_bytes", "latency_ms", "fits"}
        # judged with the window the firmware fills (100 readings x 3 channels as float), as the export is
        if r["input_ram_words"] == "to hold one window of readings":
            assert r["input_ram_bytes"] == 100 * 3 * 4
        else:  # frequency features: one channel, its FFT and the features besides
            assert "frequency features" in r["input_ram_words"] and r["input_ram_bytes"] > 100 * 3 * 4
        assert r["needs_ram_bytes"] == r["ram_bytes"] + r["input_ram_bytes"]      # as the compression table says
        assert r["fits"] == (r["ram_bytes"] + r["input_ram_bytes"] <= budget["ram_bytes"]
                             and r["flash_bytes"] <= budget["flash_bytes"])
    pick = result["pick"]
    limit = result["data_limit"]["max_params"]
    quick = [r for r in rows if r["fits"] and r["latency_ms"] <= autosize.PREFER_UNDER_MS]
    within = [r for r in quick if r["params"] <= limit]
    assert within and pick["fits"] and pick["capacity"] == max(r["capacity"] for r in within)
    huge = 10**9  # with data enough for any size, the largest quick candidate is picked
    largest_quick = autosize.plan(TIMESERIES, series(), device, num_train=huge)["pick"]
    assert largest_quick["capacity"] == max(r["capacity"] for r in quick)
    largest = autosize.plan(TIMESERIES, series(), device, prefer_under_ms=None, num_train=huge)["pick"]
    assert largest["capacity"] == max(r["capacity"] for r in rows if r["fits"])
    assert (f"of the {autosize.format_bytes(int(device.ram_bytes * 0.75))} of RAM available for the model "
            f"({autosize.format_bytes(device.ram_bytes)} in all)") in result["explanation"]
    assert "per prediction (int8, TensorFlow Lite Micro)" in result["explanation"]
    assert (f"of the {autosize.format_bytes(budget['flash_bytes'])} of flash available for the model "
            f"({autosize.format_bytes(device.flash_bytes)} in all)") in result["explanation"]


def test_a_pi_is_judged_against_what_it_has_for_a_model_and_keeps_it_on_storage():
    """The speech walk: the Model page's sentence said 'of 4.0 GB RAM ... 29.8 GB flash' (the Pi's totals)
    beside bars drawn against the 3.0 GB / 22.4 GB the plan allows the model; a Pi has an SD card."""
    device = get_device("raspberry-pi-4", measure=False)
    result = autosize.plan(TIMESERIES, series(), device)
    budget, said = result["budget"], result["explanation"]
    assert (f"of the {autosize.format_bytes(budget['ram_bytes'])} of RAM available for the model "
            f"({autosize.format_bytes(device.ram_bytes)} in all)") in said
    assert (f"of the {autosize.format_bytes(budget['flash_bytes'])} of storage available for the model "
            f"({autosize.format_bytes(device.flash_bytes)} in all)") in said
    assert "flash" not in said
    full = autosize.plan(TIMESERIES, series(), device, flash_headroom=1 - 1e-7)   # an SD card nearly full
    assert full["pick"] is None and "of storage where" in full["explanation"] and "flash" not in full["explanation"]
    assert all("of storage, " in r["why_not"][0] for r in full["candidates"])
    assert all(r["why_not_short"] == ["too much storage"] for r in full["candidates"])


def test_a_small_dataset_caps_the_pick_below_what_the_device_allows():
    device = get_device("raspberry-pi-4")  # room for every candidate
    few = autosize.plan(TIMESERIES, series(), device, num_train=50)
    many = autosize.plan(TIMESERIES, series(), device, num_train=10**9)
    assert few["data_limit"]["applied"] and few["pick"]["params"] <= autosize.max_params_for(50)
    assert many["pick"]["params"] > few["pick"]["params"]


def test_the_explanation_says_when_the_data_decided_the_size(tmp_path, capsys):
    """A Raspberry Pi 4 has room for every candidate; with 50 training windows the pick is capped by the data,
    and the sentence printed as "Pick:" (also run.json's arch_reason) says so; with data enough it does not."""
    device = get_device("raspberry-pi-4")
    few = autosize.plan(TIMESERIES, series(), device, num_train=50)
    assert few["data_limit"]["applied"]
    assert ("The data decided the size, not the device: bigger models fit, but 50 training windows are enough "
            "for about 20,000 parameters at most") in few["explanation"]
    assert f"this one has {few['pick']['params']:,}." in few["explanation"]
    many = autosize.plan(TIMESERIES, series(), device, num_train=10**9)
    assert not many["data_limit"]["applied"] and "data decided" not in many["explanation"]
    csv = table_csv(tmp_path)
    assert main(["plan", str(csv), "--device", "raspberry-pi-4", "--json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["data_limit"]["applied"] and "training rows are enough" in out["explanation"]
    pick_line = next(line for line in captured.err.splitlines() if line.startswith("Pick: "))
    assert f"{out['data_limit']['num_train']} training rows are enough for about 20,000 parameters" in pick_line


def test_with_no_budget_a_slow_device_gets_its_fastest_fitting_candidate():
    slow = dataclasses.replace(get_device("raspberry-pi-pico"), clock_mhz=0.01)  # 10 kHz: every candidate takes seconds
    result = autosize.plan(TIMESERIES, series(), slow)
    fitting = [r for r in result["candidates"] if r["fits"]]
    assert all(r["latency_ms"] > autosize.PREFER_UNDER_MS for r in fitting)
    assert result["pick"]["latency_ms"] == min(r["latency_ms"] for r in fitting)


def test_a_latency_budget_removes_slow_candidates():
    device = get_device("raspberry-pi-pico")
    free = autosize.plan(TIMESERIES, series(), device)
    budget = sorted(r["latency_ms"] for r in free["candidates"])[2] + 1e-6
    tight = autosize.plan(TIMESERIES, series(), device, latency_ms=budget)
    assert tight["pick"]["latency_ms"] <= budget
    for before, after in zip(free["candidates"], tight["candidates"]):
        assert after["fits"] == (before["fits"] and before["latency_ms"] <= budget)
    slow = [r for r in tight["candidates"] if not r["fits"]]
    assert all("per prediction" in r["why_not"][0] and r["why_not_short"] == ["too slow"] for r in slow)


def test_nothing_fits_says_which_limit_and_by_how_much():
    tiny = dataclasses.replace(get_device("raspberry-pi-pico"), id="tiny", name="Tiny board", ram_bytes=1024,
                               largest_ram_block_bytes=None, flash_bytes=4096)
    result = autosize.plan(TIMESERIES, series(), tiny)
    assert result["pick"] is None
    text = result["explanation"]
    assert text.startswith("No model fits Tiny board") and "too much" in text
    assert "of RAM (3.4 KB for the model's tensor arena, 1.2 KB to hold one window of readings) where" in text
    assert "shorter windows" in text and "bigger device (such as" in text


def test_candidate_graphs_are_cached(tmp_path):
    device = get_device("stm32h743")
    first = autosize.plan(TIMESERIES, series(), device, archs=["conv1d"])
    cached = list((tmp_path / "cache" / "candidates").glob("*.json"))
    assert len(cached) == len(first["candidates"])
    again = autosize.plan(TIMESERIES, series(), device, archs=["conv1d"])
    assert again["candidates"] == first["candidates"]


def test_cli_devices_lists_the_catalogue_and_adds_a_custom_device(capsys):
    assert main(["devices", "--json"]) == 0
    ids = [d["id"] for d in json.loads(capsys.readouterr().out)["devices"]]
    assert ids[:len(bundled_devices())] == [d.id for d in bundled_devices()] and "this-computer" in ids
    assert main(["devices", "add", "Field node", "--ram-kb", "128", "--flash-kb", "512", "--clock-mhz", "64",
                 "--core", "cortex-m4f", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"]["id"] == "custom-field-node"
    assert main(["devices", "add", "Half", "--ram-kb", "128"]) == 2
    assert "--flash-kb" in capsys.readouterr().err


def test_cli_plan_on_a_table(tmp_path, capsys):
    csv = table_csv(tmp_path)
    assert main(["plan", str(csv), "--device", "esp32-s3", "--json"]) == 0
    said = capsys.readouterr()
    out = json.loads(said.out)
    assert out["kind"] == "table" and out["pick"]["arch"] == "mlp" and out["explanation"]
    assert out["assumes"] == "int8, TensorFlow Lite Micro"


def test_the_cli_plan_table_stays_in_line_for_networks_with_many_settings(capsys):
    """Every knob of a ds_cnn (120 characters) pushed the numbers out of line (the vineyard walk)."""
    from edgeling.core.resources import samples_dir

    assert main(["plan", str(samples_dir() / "words"), "--device", "esp32-s3"]) == 0
    rows = [line for line in capsys.readouterr().err.splitlines() if " params " in line]
    assert len(rows) > 2 and any("ds_cnn" in r for r in rows) and any("audio_cnn" in r for r in rows)
    assert len({line.index(" params ") for line in rows}) == 1 and len({line.index(" RAM ") for line in rows}) == 1


def test_cli_plan_unknown_device_and_nothing_fits_exit_2(tmp_path, capsys):
    csv = table_csv(tmp_path)
    assert main(["plan", str(csv), "--device", "my-toaster", "--json"]) == 2
    err = json.loads(capsys.readouterr().out)["error"]
    assert "my-toaster" in err["message"] and "arduino-nano-33-ble-sense" in err["known_devices"]
    assert main(["devices", "add", "Speck", "--ram-kb", "2", "--flash-kb", "8", "--clock-mhz", "16",
                 "--core", "cortex-m0plus"]) == 0
    capsys.readouterr()
    assert main(["plan", str(csv), "--device", "custom-speck", "--ram-headroom", "0.9", "--json"]) == 2
    captured = capsys.readouterr()
    err = json.loads(captured.out)["error"]
    assert err["message"].startswith("No model fits Speck") and err["plan"]["pick"] is None
    assert "Traceback" not in captured.err


@pytest.mark.slow
def test_plan_on_every_bundled_sample_for_every_catalogue_device():
    from edgeling.core.data.dataset import TRAIN
    from edgeling.core.data.load import ImportOptions, open_dataset

    samples = {"digits": (SAMPLES / "digits", None), "pump": (SAMPLES / "pump", None),
               "words": (SAMPLES / "words", None),
               "orders": (SAMPLES / "orders" / "commandes.csv", ImportOptions(target="retourné"))}
    devices = [*bundled_devices(), get_device("this-computer")]
    for name, (path, options) in samples.items():
        ds = open_dataset(path, options=options)
        spec = zoo.InputSpec.from_dataset(ds)
        x = ds.x[ds.indices(TRAIN)]
        for device in devices:
            result = autosize.plan(spec, x, device)
            assert result["explanation"], (name, device.id)
            if result["pick"] is not None:
                assert result["pick"]["ram_bytes"] <= result["budget"]["ram_bytes"], (name, device.id)
                assert result["pick"]["flash_bytes"] <= result["budget"]["flash_bytes"], (name, device.id)
            else:
                assert result["explanation"].startswith("No model fits"), (name, device.id)


def test_candidate_names_show_only_the_settings_that_change_the_size():
    from edgeling.core.models.autosize import size_labels

    cands = [{"arch": "audio_cnn", "knobs": {"width": 8, "features": "logmel", "n_fft": None, "dropout": 0.2}},
             {"arch": "audio_cnn", "knobs": {"width": 4, "features": "logmel", "n_fft": None, "dropout": 0.2}},
             {"arch": "ds_cnn", "knobs": {"blocks": 2, "width": 16}},
             {"arch": "ds_cnn", "knobs": {"blocks": 4, "width": 32}},
             {"arch": "mlp", "knobs": {"width": 8, "depth": 1}}]
    assert size_labels(cands) == ["audio_cnn, width 8", "audio_cnn, width 4", "ds_cnn, 2 blocks, width 16",
                                  "ds_cnn, 4 blocks, width 32", "mlp"]


def test_on_a_phone_or_computer_the_runtime_comes_off_the_ram_budget():
    """A candidate's RAM on a phone / board / computer is the model's own memory; the runtime (assumed 2 MB
    for TensorFlow Lite) must still fit beside it, so a 3 MB phone has 3 MB x 75% - 2 MB for the model."""
    from edgeling.core.models.estimate import RUNTIME_RAM_BYTES

    phone = dataclasses.replace(get_device("android-phone-mid"), id="small-phone", name="Small phone",
                                ram_bytes=4 * (2 * 2**20 + 100_000) // 3, largest_ram_block_bytes=None)
    budget = autosize.budgets(phone, 0.25, 0.25, "int8")
    assert budget["ram_bytes"] == int(phone.ram_bytes * 0.75) - RUNTIME_RAM_BYTES["TensorFlow Lite"]
    assert abs(budget["ram_bytes"] - 100_000) <= 1
    result = autosize.plan(TIMESERIES, series(), phone, precision="int8")
    assert result["budget"]["ram_bytes"] == budget["ram_bytes"]
    assert all(r["fits"] == (r["ram_bytes"] <= budget["ram_bytes"]) for r in result["candidates"]
               if r["flash_bytes"] <= result["budget"]["flash_bytes"])
    assert any(not r["fits"] for r in result["candidates"]), "the largest candidate (about 220 KB) must not fit"
    mcu = get_device("raspberry-pi-pico")   # TFLite Micro's arena is the whole figure there
    assert autosize.budgets(mcu, 0.25, 0.25)["ram_bytes"] == int(mcu.ram_bytes * 0.75)


def test_the_pick_says_why_this_one_and_names_the_fast_one_far_quicker():
    """The pump walk: the plan took a 293 ms 1-D convolution over a 0.73 ms frequency summary, saying nothing
    of why, nor that the other exists."""
    from edgeling.core.models.autosize import explain_choice

    small = {"arch": "spectral_dense", "knobs": {"width": 8, "n_bands": 8}, "latency_ms": 0.73}
    mid = {"arch": "conv1d", "knobs": {"width": 8}, "latency_ms": 37.0}
    pick = {"arch": "conv1d", "knobs": {"width": 16, "kernel": 5}, "latency_ms": 293.0}
    said = explain_choice(pick, [small, mid, pick], None, 1000.0)
    assert said == (" It is the largest network that fits and answers within 1.0 s: larger networks usually learn "
                    "more. If a quick answer or battery life matters more, spectral_dense (width 8, 8 frequency "
                    "bands) answers in about 0.73 ms; train both and compare.")
    assert "(your limit)" in explain_choice(pick, [small, pick], 500.0, 1000.0)
    assert explain_choice(pick, [{**small, "latency_ms": 100.0}, pick], None, 1000.0).endswith("learn more.")
    assert explain_choice(small, [small, pick], None, 1000.0) == ""          # the fastest: nothing to add
    assert explain_choice(pick, [small, pick], None, 100.0) == ""            # none answers in time: not 'within'


def test_sizes_under_a_kilobyte_are_said_in_bytes():
    """The regression walk: the picture resize's 128 bytes read '0.1 KB'."""
    from edgeling.core.models.autosize import format_bytes

    assert [format_bytes(n) for n in (0, 128, 999, 1331, 20480, 3 * 1024 ** 2)] == [
        "0 bytes", "128 bytes", "999 bytes", "1.3 KB", "20 KB", "3.0 MB"]


def test_a_microcontroller_candidate_is_judged_with_the_ram_to_prepare_its_input():
    """The plan and the export's RAM sentence judge the same sum (arena + input buffer): a model the plan picks
    is never one the export then says does not fit. Audio: one clip of 16-bit samples plus the FFT."""
    spec = zoo.InputSpec("audio", "classification", 3, (16000,), {"sample_rate": 16000, "clip_s": 1.0})
    clips = np.random.default_rng(0).standard_normal((8, 16000)).astype(np.float32)
    nano = get_device("arduino-nano-33-ble-sense")
    rows = autosize.plan(spec, clips, nano, num_train=10**9)["candidates"]
    row = min(rows, key=lambda r: r["ram_bytes"])
    assert row["input_ram_bytes"] > 32000 and "to hold one clip" in row["input_ram_words"]
    arena, needs = row["ram_bytes"], autosize.needs_ram(row)
    assert needs == arena + row["input_ram_bytes"]
    # a board whose model budget lies between the arena alone and the arena with the clip: it does not fit
    ram = int((arena + needs) / 2 / 0.75)
    small = dataclasses.replace(nano, id="between", name="Between", ram_bytes=ram,
                                largest_ram_block_bytes=None)
    result = autosize.plan(spec, clips, small, archs=[row["arch"]], num_train=10**9)
    same = next(r for r in result["candidates"] if r["knobs"] == row["knobs"])
    assert not same["fits"]
    assert f"for the model's tensor arena, {autosize.format_bytes(row['input_ram_bytes'])} to hold one clip" \
        in same["why_not"][0]
    # a computer has room for a clip: nothing is added there
    pc = autosize.plan(spec, clips, get_device("raspberry-pi-4"), num_train=10**9)
    assert not any("input_ram_bytes" in r for r in pc["candidates"])


def test_sound_settings_are_said_in_plain_words():
    """The small-screen walk: 'win_ms 32.0, hop_ms 16.0, mel_scale htk' in the Model page's explanation."""
    knobs = {"width": 16, "features": "logmel", "n_mels": 32, "n_mfcc": 10, "win_ms": 32.0, "hop_ms": 16.0,
             "n_fft": None, "mel_scale": "htk", "dropout": 0.2}
    assert autosize.describe_knobs(knobs) == "width 16, log-mel features, 32 frequency bands, 32 ms slices, every 16 ms"
    assert "mel_scale htk" in autosize.describe_knobs(knobs, plain=False)      # the zoo's names, when asked


def test_plan_says_the_data_s_warnings(tmp_path, capsys):
    """The pump walk: plan sized a model on 911 windows and never said that 73 of 120 recordings were left out."""
    import shutil

    from edgeling.core.resources import samples_dir

    root = tmp_path / "pump"
    shutil.copytree(samples_dir() / "pump", root)
    (root / "normal" / "odd.csv").write_text("t,temp\n" + "".join(f"{k / 100},{20 + k % 3}\n" for k in range(400)))
    assert main(["plan", str(root), "--device", "arduino-nano-33-ble-sense", "--json"]) == 0
    out, err = capsys.readouterr()
    codes = [w["code"] for w in json.loads(out)["data_warnings"]]
    assert "channel_mismatch" in codes
    assert f"Your data has {len(codes)} warnings: " in err and "1 recording does not have the same channels" in err
    assert f"edgeling inspect {root} says each warning and what to do." in err


def test_plan_on_a_raspberry_pi_says_storage_and_ends_a_cut_warning_once(capsys):
    """The speech walk: a Pi's SD card was "flash", and a warning cut at its length ended "…." (or "; ....")."""
    from edgeling.core.resources import samples_dir

    assert main(["plan", str(samples_dir() / "orders" / "commandes.csv"), "--device", "raspberry-pi-4"]) == 0
    err = capsys.readouterr().err
    header, *rows = err.splitlines()
    assert header.endswith("GB storage") and "flash" not in header
    assert all(" storage " in r and " flash " not in r for r in rows if r.startswith("  fits"))
    warning = next(r for r in rows if r.startswith("Your data has"))
    assert "…. " not in warning and ".." not in warning and "… The plan is for the data as imported" in warning


def test_a_sensor_network_slower_than_the_step_between_windows_does_not_fit():
    """The GUI walk: 1,144 ms per window, a new window every second, and the table said "fits: yes"."""
    device = dataclasses.replace(get_device("arduino-nano-33-ble-sense"), clock_mhz=2)   # slow enough to matter
    free = autosize.plan(TIMESERIES, series(), device)
    stride = sorted(r["latency_ms"] for r in free["candidates"])[3] / 1000       # some faster, some slower
    stepped = zoo.InputSpec("timeseries", "classification", 3, (100, 3),
                            {"sample_rate": 50, "window_s": 2.0, "stride_s": stride})
    got = autosize.plan(stepped, series(), device)
    for before, after in zip(free["candidates"], got["candidates"]):
        assert after["fits"] == (before["fits"] and before["latency_ms"] <= 1000 * stride)
    slow = [r for r in got["candidates"] if r["latency_ms"] > 1000 * stride]
    assert slow and all("a new window comes every" in " ".join(r["why_not"]) for r in slow)
    assert all("slower than the sensor" in r["why_not_short"] for r in slow)     # the app's cell, in a few words
    assert got["pick"]["latency_ms"] <= 1000 * stride
    never = zoo.InputSpec("timeseries", "classification", 3, (100, 3),
                          {"sample_rate": 50, "window_s": 2.0, "stride_s": 1e-6})
    nothing = autosize.plan(never, series(), device)
    assert nothing["pick"] is None and nothing["explanation"].startswith(
        "No model keeps up with the sensor on Arduino Nano 33 BLE Sense: the fastest candidate needs at least")
    assert "Choose a longer step between windows" in nothing["explanation"]


def test_milliseconds_are_said_with_two_digits_that_count():
    """The speech walk: the compress table said "2 ms -> 1.00 ms, -36%" for 1.572 -> 0.9998 ms."""
    from edgeling.core.compress.compare import show_value
    from edgeling.core.models.plan_words import format_ms

    assert [format_ms(v) for v in (0.039, 0.9998, 1.572, 9.96, 12.4, 999.7, 1530)] == [
        "0.04 ms", "1.00 ms", "1.6 ms", "10 ms", "12 ms", "1.0 s", "1.5 s"]
    assert show_value(1.572, "ms") == "1.6 ms"


def test_a_row_that_does_not_fit_says_why(capsys):
    """The pump walk: "no  conv1d, width 32, 4 layers ... 1.1 s" gave its reason only in --json."""
    from edgeling.core.resources import samples_dir

    assert main(["plan", str(samples_dir() / "digits"), "--device", "arduino-nano-33-ble-sense", "--json"]) == 0
    captured = capsys.readouterr()
    rows = [r for r in json.loads(captured.out)["candidates"] if not r["fits"]]
    lines = [line for line in captured.err.splitlines() if line.startswith("  no ")]
    assert rows and len(lines) == len(rows)
    for r, line in zip(rows, lines):
        assert line.endswith(f"  ({', '.join(r['why_not_short'])})"), line


def test_plan_says_what_one_sensor_input_is(capsys):
    """The pump walk: plan and train never said the window (only inspect and the app did)."""
    from edgeling.core.resources import samples_dir

    assert main(["plan", str(samples_dir() / "pump"), "--device", "arduino-nano-33-ble-sense"]) == 0
    assert ("  (one input: a window of 2 s = 200 readings of x, y, z at 100 per second, a new window every 1 s)"
            in capsys.readouterr().err.splitlines())


def test_the_sentence_says_the_ram_the_networks_were_judged_against_with_more_headroom():
    """The vineyard walk: `plan --ram-headroom 0.5` on an ESP32-S3 printed "model budget 256 KB RAM" above a
    sentence saying "of the 320 KB of RAM available for the model" (what the arena may use at the default)."""
    device = get_device("esp32-s3", measure=False)
    result = autosize.plan(TIMESERIES, series(), device, ram_headroom=0.5)
    assert result["budget"]["ram_bytes"] == device.ram_bytes // 2
    assert (f"of the {autosize.format_bytes(device.ram_bytes // 2)} of RAM available for the model "
            f"({autosize.format_bytes(device.ram_bytes)} in all)") in result["explanation"]
