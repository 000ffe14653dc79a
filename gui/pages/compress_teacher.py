"""The Compress page's "Distil ... on the answers of:" run. It listed the runs newest first like "Start from",
so it showed the same run, and the run would have been taught by itself (the vineyard re-walk). It now offers
another run: the biggest other finished run of the same data (the size of its saved checkpoints; the data by
the fingerprint in its run.json), and with no such run, none, with a plain hint. Compress refuses a run as its
own teacher.

Reopening a project whose newest run is int8 (run-001-ptq) then offered, as the teacher, the run it was made from
(run-001), and listed the int8 run itself: an int8 or other compressed run is a copy of a trained run, and
run-001 was the very network Edgeling sizes for the device, so a student sized for the device (at most half its
teacher) would come out smaller than the device can hold. The list now holds only trained (float) runs of the same
data that are bigger than the network sized for the device (``teachers``); with none, Distil is off and the hint
says what to train."""

from __future__ import annotations

from edgeling.core.project import ProjectError
from edgeling.core.runs import read_config
from edgeling.gui.pages.model_plan import stored_plan
from edgeling.gui.qt import QLabel, QSize
from edgeling.gui.widgets.run_picker import RunPicker

NO_OTHER_RUN = ("To distil, a second finished run of the same data is needed for the smaller network to learn "
                "from, ideally a bigger one: choose a bigger network on the Model page and train it on the Train "
                "page first.")
NOT_BIGGER = ("The trained runs of this data are no bigger than the network Edgeling sizes for this device, so a "
              "network learning from them would be smaller than the device can hold. To distil, choose a bigger "
              "network on the Model page and train it on the Train page first.")
NO_TEACHER_ITEM = "(no bigger trained run of this data)"
BIGGER = 1.1       # a teacher has at least this many times the parameters of the device's network
SAME_RUN = ("A run cannot learn from its own answers: under Distil, choose another run of the same data (a bigger "
            "one), or untick Distil.")


class WrappedHint(QLabel):
    """A word-wrapped label that asks for the height its text takes at the width it has: a plain one asked for
    the height it takes at about 230 pixels (84 pixels for two lines), and the form centred its two lines in that,
    an empty band above them (the GUI walk)."""

    def sizeHint(self) -> QSize:           # noqa: N802 - Qt's name
        hint = super().sizeHint()
        width = self.width() if self.width() > hint.width() else hint.width()
        return QSize(hint.width(), self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:    # noqa: N802 - Qt's name
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.height() != self.heightForWidth(self.width()):
            self.updateGeometry()            # the form asks again, at the new width


def hint_label() -> QLabel:
    label = WrappedHint(NO_OTHER_RUN)
    label.setObjectName("teacherHint")
    label.setWordWrap(True)
    label.hide()
    return label


def _folder(project, rel):
    try:
        return project.path_in(rel)
    except (ProjectError, TypeError):
        return None


def _config(folder) -> dict:
    return read_config(folder) or {}


def fingerprint(folder) -> str | None:
    return (_config(folder).get("dataset") or {}).get("fingerprint") if folder is not None else None


def run_size(folder) -> int:
    """The bytes of the run's kept weights (``best.pt``; else its biggest checkpoint): a bigger network saves more.
    (``last.pt`` also holds the optimiser's state, three times the weights: a trained run looked three times
    the size of its int8 copy, the same network.)"""
    try:
        best = folder / "checkpoints" / "best.pt"
        if best.is_file():
            return best.stat().st_size
        return max((p.stat().st_size for p in (folder / "checkpoints").iterdir() if p.is_file()), default=0)
    except OSError:
        return 0


def run_params(folder) -> int:
    """The run's parameter count (run.json's ``params``; for a run from before it was recorded, its kept
    weights' bytes over 4)."""
    params = _config(folder).get("params") if folder is not None else None
    if isinstance(params, int) and not isinstance(params, bool) and params > 0:
        return params
    return run_size(folder) // 4 if folder is not None else 0


def device_network_params(project) -> int | None:
    """The parameters of the network Edgeling sizes for the project's device, which a student is sized like: a
    trained run whose network Edgeling chose for that device (or the ★ pick, said in its ``arch_reason``), else
    the ★ pick of the plan kept for it; None when neither is known."""
    for entry in project.runs:
        folder = None if entry.get("compressed_from") else _folder(project, entry.get("folder"))
        config = _config(folder) if folder is not None else {}
        if config.get("device") and config.get("device") == project.device \
                and config.get("arch_reason") not in (None, "", "chosen by you"):
            return run_params(folder) or None
    plan = stored_plan(project) or {}
    pick = plan.get("pick") or {}
    params = next((c.get("params") for c in plan.get("candidates") or [] if isinstance(c, dict)
                   and c.get("arch") == pick.get("arch") and c.get("knobs") == pick.get("knobs")), None)
    return int(params) if isinstance(params, (int, float)) and params > 0 else None


def teachers(project, entries: list[dict], start_rel) -> list[dict]:
    """The runs among ``entries`` offered to teach a network started from ``start_rel``: trained runs (not
    compressed: an int8, pruned or distilled run is a copy of one), not that run itself, of the same data, and
    bigger than the network sized for the device (when that size is known)."""
    least = device_network_params(project)
    kept = []
    for entry in entries:
        rel = entry.get("folder")
        folder = _folder(project, rel) if rel else None
        if folder is None or rel == start_rel or entry.get("compressed_from") \
                or not _same_data(project, entry, start_rel):
            continue
        if least is None or run_params(folder) > BIGGER * least:
            kept.append(entry)
    return kept


def teacher_picker(page, state) -> RunPicker:
    """The Distil run picker of ``page``: the runs that can teach its "Start from" run (``teachers``). A run the
    user picks there stays picked while it can teach; else the biggest is (``offer_teacher``)."""
    picker = RunPicker(state, follow_new=False, empty_text=NO_TEACHER_ITEM,
                       keep=lambda entries: teachers(state.project, entries, page.runs.currentData()))
    picker.setObjectName("teacherPicker")
    page.teacher_by_hand = None
    picker.activated.connect(lambda _i: setattr(page, "teacher_by_hand", picker.currentData()))
    state.sig_project_changed.connect(lambda _p: setattr(page, "teacher_by_hand", None))
    return picker


def pick_teacher(picker, project) -> bool:
    """Pick in ``picker`` its biggest run; False when it lists none."""
    best, best_size = -1, -1
    for i in range(picker.count()):
        folder = _folder(project, picker.itemData(i)) if picker.itemData(i) else None
        size = run_size(folder) if folder is not None else -1
        if folder is not None and size > best_size:
            best, best_size = i, size
    if best >= 0:
        picker.setCurrentIndex(best)
    return best >= 0


def offer_teacher(page) -> None:
    """List the runs that can teach the run to start from and show the one the user picked, else the biggest;
    with none, untick Distil and say why (no other trained run of the data, or none bigger than the device's
    network)."""
    project = page.state.project
    if project is None:
        return
    page.teacher.refresh()
    kept = page.teacher.findData(page.teacher_by_hand) if page.teacher_by_hand else -1
    if kept >= 0:
        page.teacher.setCurrentIndex(kept)
    found = kept >= 0 or pick_teacher(page.teacher, project)
    if not found:
        page.distill.setChecked(False)
        source = page.runs.currentData()
        trained = [r for r in project.runs if r.get("status") == "finished" and not r.get("compressed_from")
                   and r.get("folder") != source and _same_data(project, r, source)]
        page.teacher_hint.setText(NOT_BIGGER if trained else NO_OTHER_RUN)
    page.distill.setEnabled(found)
    page.teacher.setEnabled(found)
    page.teacher_hint.setVisible(not found)


def _same_data(project, entry: dict, start_rel) -> bool:
    """False only when both runs say which data they were trained on, and it differs."""
    start = _folder(project, start_rel) if start_rel else None
    folder = _folder(project, entry.get("folder"))
    data, other = fingerprint(start), fingerprint(folder)
    return not (data and other and other != data)
