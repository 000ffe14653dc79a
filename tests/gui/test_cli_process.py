"""The CLI helper process: a command that was killed (its answer no longer wanted) reports nothing, even
when a newer command is already running on the same helper."""

from __future__ import annotations

from edgeling.gui.cli_process import CliProcess


def test_a_killed_command_reports_nothing_and_the_next_one_reports_once(qtbot):
    cli = CliProcess()
    results, failures = [], []
    cli.sig_result.connect(results.append)
    cli.sig_failed.connect(lambda message, details: failures.append(message))
    assert cli.start(["devices"])
    assert not cli.start(["devices"])          # one at a time
    cli.kill()
    assert not cli.running
    assert cli.start(["devices"])
    qtbot.waitUntil(lambda: not cli.running, timeout=60000)
    qtbot.wait(200)
    assert failures == [] and len(results) == 1 and "devices" in results[0]
