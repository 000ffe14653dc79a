"""An unexpected error in a command is a plain message plus a log file, never a traceback."""

from __future__ import annotations

import json

from edgeling.core import cli
from edgeling.core.commands import inspect as inspect_command


def test_a_bug_gives_a_plain_message_and_a_log(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_LOG_DIR", str(tmp_path / "logs"))

    def broken(args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(inspect_command, "run", broken)
    code = cli.main(["inspect", str(tmp_path), "--json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in err and "Traceback" not in out
    payload = json.loads(out)["error"]
    assert "this is a bug" in payload["message"]
    log = tmp_path / "logs" / "edgeling-cli.log"
    assert str(log) == payload["log_path"]
    assert "ZeroDivisionError: a bug" in log.read_text()


def test_train_refuses_an_unknown_device_also_with_an_explicit_architecture(tmp_path, capsys):
    from edgeling.core.resources import resource

    data = resource("samples/pump")
    code = cli.main(["train", str(data), "--device", "no-such-board", "--arch", "conv1d", "--epochs", "1",
                     "--out", str(tmp_path / "run"), "--json"])
    out, err = capsys.readouterr()
    assert code == 2
    payload = json.loads(out)["error"]
    assert "no-such-board" in payload["message"] and "edgeling devices" in payload["message"]
    assert "DeviceError" not in payload["message"] and "Traceback" not in err
    assert not (tmp_path / "run" / "checkpoints").exists()


def test_argument_errors_with_json_print_one_json_error(tmp_path, capsys):
    for argv, words in ((["train", str(tmp_path), "--out", str(tmp_path / "run")],
                         "the following arguments are required: --device"),
                        (["export", str(tmp_path), "--format", "pdf", "--out", str(tmp_path / "m.pdf")],
                         "argument --format: invalid choice: 'pdf'")):
        try:
            code = cli.main([*argv, "--json"])
        except SystemExit as e:
            code = e.code
        out, err = capsys.readouterr()
        assert code == 2
        payload = json.loads(out)["error"]
        assert words in payload["message"] and payload["exit_code"] == 2
        assert "--help" in payload["message"] and "usage:" in err and "Traceback" not in err
        try:  # without --json, stdout stays empty, as before
            cli.main(argv)
        except SystemExit as e:
            assert e.code == 2
        assert capsys.readouterr().out == ""


def test_an_option_a_command_lacks_is_said_with_that_command_s_usage_and_the_nearest_option(tmp_path, capsys):
    """The regression walk: 'edgeling compress RUN --out B --quantise ptq' printed 'usage: edgeling [-h] COMMAND'
    and 'see edgeling --help', which lists no compress option."""
    import pytest

    with pytest.raises(SystemExit) as e:
        cli.main(["compress", str(tmp_path / "run"), "--out", str(tmp_path / "b"), "--quantise", "ptq"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and err.startswith("usage: edgeling compress ")
    assert err.rstrip().endswith("unrecognized arguments: --quantise ptq. Did you mean --quantize? "
                                 "(see 'edgeling compress --help').")
    with pytest.raises(SystemExit):
        cli.main(["export", str(tmp_path / "run"), "--out", "m.onnx", "--format", "onnx", "--zzz", "--json"])
    out, err = capsys.readouterr()
    assert json.loads(out)["error"]["message"] == "unrecognized arguments: --zzz (see 'edgeling export --help')."
    assert err.startswith("usage: edgeling export ")
