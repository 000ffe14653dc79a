"""File > Delete copies of imported data…: the decoded copies of imported data (kept outside the projects, in
the cache folder; ``core/data/cache_clear.py``) can be deleted from the app. It asks first, saying where they
are, how big, that the data and projects are untouched and that the next import takes as long as the first;
it refuses while an import or training runs in this window; afterwards it says how much was freed and what
was left in use."""

from __future__ import annotations

import pytest

from edgeling.core.models.autosize import format_bytes
from edgeling.gui.qt import QAction, QApplication, QMessageBox, QTimer


@pytest.fixture
def cache(tmp_path, monkeypatch):
    root = tmp_path / "my cache"
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(root))
    for key in ("a1", "b2"):
        (root / "datasets" / key).mkdir(parents=True)
        (root / "datasets" / key / "x.npy").write_bytes(b"\0" * 300_000)
        (root / "datasets" / key / "lists.json").write_text('{"sources": ["clinic/p01.wav"]}', encoding="utf-8")
    (root / "scratch").mkdir()
    (root / "scratch" / "import-123.npy").write_bytes(b"\0" * 1000)
    return root


def _action(window) -> QAction:
    found = [a for a in window.findChildren(QAction) if a.text().replace("&", "") ==
             "Delete copies of imported data…"]
    assert len(found) == 1
    menu = next(m for m in window.menuBar().actions() if m.text().replace("&", "") == "File")
    assert found[0] in menu.menu().actions()
    return found[0]


def _answers(replies: list[str], seen: list[tuple[str, str]]):
    """Answer the questions as they come: click the button named by the next of ``replies``; record the
    question's text and informative text in ``seen``."""
    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        seen.append((box.text(), box.informativeText()))
        wanted = replies.pop(0)
        next(b for b in box.buttons() if b.text().replace("&", "") == wanted).click()
        if replies:
            QTimer.singleShot(50, answer)
    QTimer.singleShot(50, answer)


def test_the_copies_are_deleted_after_asking(window, cache):
    size = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    seen: list = []
    _answers(["Keep them"], seen)
    _action(window).trigger()
    question, about = seen[0]
    assert str(cache) in question and format_bytes(size) in question and "2 imports" in question
    assert "data and your projects are not touched" in about and "as long as the first" in about
    assert (cache / "datasets" / "a1" / "x.npy").is_file()           # kept: nothing deleted

    _answers(["Delete the copies", "OK"], seen)
    _action(window).trigger()
    assert not any((cache / "datasets").iterdir()) and not any((cache / "scratch").iterdir())
    said, more = seen[-1]
    assert said == f"Deleted {format_bytes(size)} of copies of imported data." and more == ""
    assert "Deleted" in window.statusBar().currentMessage()

    _answers(["OK"], seen)                                          # nothing left to delete: said so
    _action(window).trigger()
    assert seen[-1][0] == "There are no copies of imported data to delete."


def test_what_is_left_in_use_is_named(window, cache, monkeypatch):
    from edgeling.core.data import cache_clear

    monkeypatch.setattr(cache_clear, "clear_cache", lambda: {"folder": str(cache), "freed_bytes": 301_000,
                                                             "left": [str(cache / "datasets" / "b2")]})
    seen: list = []
    _answers(["Delete the copies", "OK"], seen)
    _action(window).trigger()
    said, more = seen[-1]
    assert said.startswith("Deleted ") and more.startswith("1 could not be deleted because they are in use (b2)")
    assert str(cache) in more


@pytest.mark.parametrize("busy", ["training", "import"])
def test_refused_while_an_import_or_training_runs(window, cache, monkeypatch, busy):
    if busy == "training":
        monkeypatch.setattr(type(window), "running_work", lambda self: ["training"])
    else:
        monkeypatch.setattr(type(window.pages["data"]), "importing", property(lambda self: True))
    seen: list = []
    _answers(["OK"], seen)
    _action(window).trigger()
    said, more = seen[0]
    assert said == ("Training" if busy == "training" else "An import") + \
        " is running in this window and may be reading these copies."
    assert "Wait until it has finished" in more
    assert (cache / "datasets" / "a1" / "x.npy").is_file() and (cache / "scratch" / "import-123.npy").is_file()
