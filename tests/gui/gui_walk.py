"""Run in a fresh interpreter by test_no_torch_in_gui: open the main window offscreen, create a project,
import a small image folder through the Data page, visit every page, and print what heavy modules the
process loaded. Kept apart so other tests' imports cannot mask a torch import."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"


def make_images(root: Path) -> Path:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    for cls in ("cats", "dogs"):
        (root / cls).mkdir(parents=True, exist_ok=True)
        for i in range(6):
            Image.fromarray((rng.random((12, 12, 3)) * 255).astype("uint8")).save(root / cls / f"{i}.png")
    return root


def main(work: str) -> None:
    work_dir = Path(work)
    t0 = time.perf_counter()
    from edgeling.gui.app import create_main_window
    from edgeling.gui.main_window import PAGE_CLASSES
    from edgeling.gui.qt import QApplication

    window = create_main_window()
    window.show()
    QApplication.processEvents()
    startup_s = time.perf_counter() - t0
    data = make_images(work_dir / "images")
    window.pages["home"].name_edit.setText("Walk")
    window.pages["home"].create_button.click()
    window.pages["data"].import_path(str(data))
    deadline = time.monotonic() + 60
    while window.state.dataset is None and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    visited = []
    for cls in PAGE_CLASSES:
        assert window.show_page(cls.key), cls.key
        for _ in range(5):
            QApplication.processEvents()
        visited.append(window.current_page().key)
    window.close()
    QApplication.processEvents()
    print(json.dumps({"visited": visited, "imported": window.state.dataset is not None,
                      "startup_s": startup_s,
                      "heavy": [m for m in ("torch", "onnxruntime") if m in sys.modules]}))


if __name__ == "__main__":
    main(sys.argv[1])
