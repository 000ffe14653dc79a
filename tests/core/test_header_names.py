"""A C header's names (its #defines, arrays and include guard) come from its file name. The firmware walk:
two headers exported as model.h (two projects) had the same include guard and symbols, so a program that
included both silently kept one. The header now says where its names come from, and the export warns, in
its result, when the file name is generic."""

from __future__ import annotations

import numpy as np

from edgeling.core.export.c_names import is_generic
from edgeling.core.export.exporter import export_model
from edgeling.core.models import zoo
from tests.core.untrained_models import untrained


def _export(folder, file_name: str) -> tuple[str, dict]:
    spec = zoo.InputSpec("images", "classification", 2, (16, 16, 3), {"image_size": [16, 16]},
                         ["healthy leaf", "mildew"])
    x = np.random.default_rng(0).integers(0, 256, (20, 16, 16, 3), dtype=np.uint8)
    model, frontend, net_in = untrained("tutorial_cnn", spec, {"width": 2, "resolution": 16}, x)
    folder.mkdir(exist_ok=True)
    result = export_model(model, frontend, spec, net_in[:16], net_in[16:], None, "c-header", folder / file_name,
                          verify=False)
    return (folder / file_name).read_text(), result


def test_a_generic_header_name_is_warned_about_and_the_header_says_its_names_come_from_its_file_name(tmp_path):
    text, result = _export(tmp_path / "a", "model.h")
    top = text.split("#ifndef", 1)[0]
    assert ("// Every name in this file (MODEL_..., model_..., the include guard MODEL_H_) comes from its file\n"
            "// name, model.h: two headers included in one program need different file names.\n") in top
    assert "// 'model.h' is a generic name" in top
    assert result["warnings"] == [
        "Warning: model.h is a generic name, and the header's names come from it (MODEL_ARENA_SIZE, model_tflite, "
        "the include guard MODEL_H_): another header exported as model.h has the same ones, and a program that "
        "includes both silently keeps only one. Export it under a specific name instead, e.g. "
        "healthy_leaf_mildew_model.h."]
    text, result = _export(tmp_path / "b", "mildew_leaves.h")
    assert "warnings" not in result and "generic name" not in text
    assert "(MILDEW_LEAVES_..., mildew_leaves_..., the include guard MILDEW_LEAVES_H_)" in text


def test_which_names_are_generic():
    for name in ("model", "model_int8", "output", "export", "network", "model_data", "model2", "my_model_v2",
                 "converted_model", "m"):
        assert is_generic(name), name
    for name in ("pump_model", "kws_model", "leaves_model", "digits_model", "crack", "pump_vibration"):
        assert not is_generic(name), name


def test_the_terminal_says_the_warning_and_how_to_declare_the_arena(tmp_path, capsys):
    """The export's message said 'The header reserves N bytes' and printed no warning for model.h."""
    from edgeling.core.commands.export import _say_result

    _, result = _export(tmp_path, "model.h")
    _say_result(result)                                      # not verified: the warning is still said
    assert result["warnings"][0] in capsys.readouterr().err
    v = {"passed": True, "agreement": 1.0, "max_abs_diff": 0.0, "latency_ms": 0.1, "runtime": "TFLite Micro"}
    on_device = {"name": "Board", "arena_bytes": 9000, "ram_available_bytes": 200000}
    _say_result({**result, "verification": v, "on_device": on_device, "arena_reserved_bytes": 9000})
    err = capsys.readouterr().err
    assert "(The header defines MODEL_ARENA_SIZE as 9,000 bytes, the size of the tensor arena: declare the arena" in err
    assert "reserves" not in err and result["warnings"][0] in err


def test_a_suggested_name_for_number_labels_comes_from_the_data_folder():
    """The regression walk: digits exported as model.h were told to use 'm_0_1_2_model.h'."""
    from edgeling.core.export.c_names import suggested_name

    assert suggested_name([str(d) for d in range(10)], "digits") == "digits_model.h"
    assert suggested_name(["cavitation", "loose_mount", "normal"], "pump") == "cavitation_loose_mount_normal_model.h"
    assert suggested_name(["0", "1"]) == "what_it_detects_model.h"
