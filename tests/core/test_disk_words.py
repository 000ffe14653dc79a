"""A full disk or a folder that cannot be written is said as such, with what to do, by a job and by the CLI; not
"Something went wrong: OSError: [Errno 27] File too large", nor "this is a bug" (the robustness walk)."""

from __future__ import annotations

import errno
import json

import pytest

from edgeling.core import cli
from edgeling.core.fileio import disk_words
from edgeling.core.jobs.runner import plain_failure


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG])
def test_a_full_disk_in_a_job_is_said_plainly(code):
    failed = plain_failure(OSError(code, "No space left on device", "/p/runs/run-001/last.pt"), "/logs/train.log")
    assert failed.message.startswith("The disk is full, or the file (/p/runs/run-001/last.pt) would be larger than")
    assert "what was saved before is kept" in failed.message and "OSError" not in failed.message


def test_a_read_only_folder_is_said_plainly_and_other_errors_are_not_called_disk_errors():
    said = disk_words(PermissionError(errno.EACCES, "Permission denied", "/p/runs/run-001/metrics.json"))
    assert said.startswith("Edgeling may not write there (/p/runs/run-001/metrics.json): the folder is read-only")
    assert disk_words(OSError(errno.EROFS, "Read-only file system")).startswith("Edgeling may not write there:")
    assert disk_words(FileNotFoundError(errno.ENOENT, "No such file")) is None
    assert disk_words(ValueError("x")) is None
    assert plain_failure(OSError(errno.EIO, "I/O error"), None).message.startswith("Something went wrong")


def test_the_cli_says_a_read_only_folder_plainly_not_a_bug(monkeypatch, capsys, tmp_path):
    def refuse(args):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "run" / "metrics.json"))

    parser = cli.build_parser()
    args = parser.parse_args(["evaluate", str(tmp_path / "run"), "--json"])
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    monkeypatch.setattr(args, "run", refuse, raising=False)
    monkeypatch.setattr(parser, "parse_known_args", lambda argv: (args, []))
    assert cli.main(["evaluate", str(tmp_path / "run"), "--json"]) == 2
    said = json.loads(capsys.readouterr().out)
    assert "the folder is read-only" in json.dumps(said) and "bug" not in json.dumps(said)


def test_a_refusal_the_user_can_fix_carries_no_traceback_in_its_details():
    """The robustness walk: a data folder gone showed a Python traceback under the box's Details."""
    from edgeling.core.data.dataset import DataError

    assert plain_failure(DataError("/data is gone. Choose it again."), None).details == ""
    assert plain_failure(OSError(errno.ENOSPC, "No space left"), None).details == ""
    try:
        raise ValueError("a bug")
    except ValueError as e:
        assert "Traceback" in plain_failure(e, None).details     # a fault of ours keeps it, for the report


def test_an_export_file_too_large_is_said_as_a_full_disk():
    from edgeling.core.export.files import _plain

    assert "The disk is full" in str(_plain("/out/m.tflite", OSError(errno.EFBIG, "File too large")))


def test_one_place_sorts_the_errors_a_user_can_fix():
    """fileio.disk_problem is what the jobs, the CLI, exports and the app all ask (they had three copies)."""
    from edgeling.core.fileio import FULL, NOT_WRITABLE, disk_problem

    assert [disk_problem(OSError(c, "x")) for c in (errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES)] == \
        [FULL, FULL, NOT_WRITABLE, NOT_WRITABLE]
    assert disk_problem(PermissionError("no errno given")) == NOT_WRITABLE
    assert disk_problem(FileNotFoundError(errno.ENOENT, "gone")) is None and disk_problem(ValueError()) is None
