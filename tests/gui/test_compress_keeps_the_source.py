"""After a compression the Compress page keeps the run the user started from as the source; the new run is
listed (and Evaluate and Export start from it). It jumped to the new int8 run, a dead end for trying another
option on the same run (the vineyard walk)."""

from __future__ import annotations

from tests.gui.test_compress_page import compress_window  # noqa: F401 - the fixture


def test_the_source_stays_chosen_and_the_new_run_is_listed(compress_window, qtbot):  # noqa: F811
    window = compress_window
    page, project = window.pages["compress"], window.state.project
    assert page.runs.currentData() == "runs/run-001"
    with qtbot.waitSignal(page.job.sig_finished, timeout=60000):
        assert page.start_compression()
    new = project.runs[-1]["folder"]
    assert new != "runs/run-001" and page.runs.findData(new) >= 0          # listed
    assert page.runs.currentData() == "runs/run-001"                        # still the source
    assert page.int8.isEnabled() and page.int8.currentData() == "ptq"       # int8 still offered for it
    window.show_page("export")
    window.show_page("compress")
    assert page.runs.currentData() == "runs/run-001"
    assert window.pages["export"].runs.currentData() == new                 # Export starts from the new run
    page.prune.setValue(50)                                                 # another option, the same source
    with qtbot.waitSignal(page.job.sig_finished, timeout=60000) as blocker:
        assert page.start_compression()
    assert blocker.args[0]["echo"]["run"].endswith("run-001")
