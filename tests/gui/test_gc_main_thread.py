"""Cyclic garbage is collected on the GUI thread only, never in the Data page's import thread (a collection
there destroyed Qt widgets off the GUI thread: crashes and a hang in the GUI tests)."""

from __future__ import annotations

import gc
import threading


def test_the_app_collects_cycles_on_the_gui_thread_only(qtbot):
    from edgeling.gui.app import create_main_window

    w = create_main_window()
    qtbot.addWidget(w)
    assert not gc.isenabled(), "automatic collection would run in whatever thread allocates"
    destroyed_in: list[str] = []

    class Cycle:                           # like a closed dialog held in a cycle by its own slots
        def __init__(self):
            self.me = self

        def __del__(self):                 # a widget in the cycle would be destroyed here, in this thread
            destroyed_in.append(threading.current_thread().name)

    gc.collect()

    Cycle()                                # the last reference goes; the cycle keeps it alive
    kept: list = []

    def allocate_in_a_worker():            # as an import does: enough new objects to start a collection
        kept.extend([] for _ in range(5 * gc.get_threshold()[0]))

    worker = threading.Thread(target=allocate_in_a_worker, name="import-like worker")
    worker.start()
    worker.join()
    assert destroyed_in == []              # nothing was collected in the worker
    from edgeling.gui import gc_main_thread
    from edgeling.gui.qt import QApplication

    collector = gc_main_thread.install(QApplication.instance())
    assert collector.timer.isActive() and collector.thread() is QApplication.instance().thread()
    assert gc.get_count()[0] > collector.threshold[0]
    qtbot.waitUntil(lambda: gc.get_count()[0] < collector.threshold[0], timeout=5000)  # its timer collected
    gc.collect()                           # (the young generation's pass may leave the cycle for later)
    assert destroyed_in == ["MainThread"]
