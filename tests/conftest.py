"""Every test writes Edgeling's cache, app data and logs under one temporary folder, never into the user's own
(the newcomer walk: the README's test command left 17 decoded copies of the tests' data in ~/.cache/edgeling,
which `edgeling cache` then counted as the user's). A test that needs a folder of its own still sets it."""

from __future__ import annotations

import os
import shutil
import tempfile

_HOME = tempfile.mkdtemp(prefix="edgeling-tests-")
for _name, _sub in (("EDGELING_CACHE_DIR", "cache"), ("EDGELING_DATA_DIR", "appdata"), ("EDGELING_LOG_DIR", "logs")):
    os.environ[_name] = os.path.join(_HOME, _sub)       # children (jobs in spawned processes) inherit these


def pytest_unconfigure(config):
    shutil.rmtree(_HOME, ignore_errors=True)
