"""Where the bundled resources (device catalogue, samples, icons) are.

``resources/`` sits next to the package folders in every way Edgeling is installed: ``<repo>/resources``
beside ``<repo>/core`` in a checkout or editable install, ``site-packages/edgeling/resources`` in a wheel
(pyproject maps it as the ``edgeling.resources`` package data), and ``<bundle>/_internal/edgeling/resources``
in the frozen app (packaging/edgeling.spec). ``EDGELING_RESOURCES`` overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    env = os.environ.get("EDGELING_RESOURCES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / "resources"


def samples_dir() -> Path:
    return resources_dir() / "samples"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
