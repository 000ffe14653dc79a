"""Calling Qt from Python must not wear down the reference counts of ``None`` and ``True`` until Python
aborts (a PySide6 6.12 bug on Python 3.11: void methods and ``emit`` return them without a reference;
edgeling.gui.qt guards against it). Run in a fresh interpreter, since a failure is a hard abort."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
import sys
from edgeling.gui.qt import QObject, Signal

class P(QObject):
    sig = Signal(object)

p = P()
p.sig.connect(lambda v: None)
for i in range(20000):
    p.sig.emit(i)              # drops a reference to True on the buggy binding
    p.setObjectName("x")       # drops a reference to None on the buggy binding
print("alive", sys.getrefcount(True) > 0, sys.getrefcount(None) > 0)
"""


def test_many_qt_calls_do_not_abort_python():
    r = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr[-2000:]
    assert "alive True True" in r.stdout
