"""The Train page's Epochs box: it proposes the number of epochs the command line would choose for the same
data (``core.training.defaults.choose_hyperparams``, from the number of training samples; no torch), so the app
and ``edgeling train`` train alike when nobody changes anything. A number the user typed is kept for that data
(in the project, so it is still there when the project is reopened) and given up when other data is chosen."""

from __future__ import annotations

from pathlib import Path

from edgeling.gui.qt import QLabel, QSpinBox

UI_KEY = "train_epochs"     # project.ui: {"value": the epochs typed, "data": the data they were typed for}
EXAMPLES = {"images": "pictures", "audio": "clips", "timeseries": "windows", "table": "rows"}
EARLY_STOP = "training stops early when the model stops getting better on the validation samples"


def training_samples(ds) -> int:
    from edgeling.core.data.dataset import TRAIN

    return int(len(ds.indices(TRAIN)))


def proposed_epochs(ds) -> int:
    """The epochs ``edgeling train`` chooses for ``ds`` when none are given (the training job's own call)."""
    import numpy as np

    from edgeling.core.data.dataset import TRAIN
    from edgeling.core.training.defaults import choose_hyperparams

    train_idx = ds.indices(TRAIN)
    counts = np.bincount(np.asarray(ds.y)[train_idx].astype(np.int64), minlength=ds.num_classes).tolist() \
        if ds.task == "classification" else None
    return int(choose_hyperparams(ds.kind, ds.task, len(train_idx), ds.num_classes, counts)["epochs"])


def data_key(ds) -> list:
    """What makes data "the same" for a typed number of epochs: its place, kind and training samples."""
    return [str(Path(ds.root)), str(ds.kind), ds.num_samples, training_samples(ds)]


class EpochsChooser:
    """Keeps ``spin`` (and the note beside it) at the data's proposal unless the user typed a number for
    this data. ``state``: the window state (project and dataset)."""

    def __init__(self, state, spin: QSpinBox, note: QLabel):
        self.state, self.spin, self.note = state, spin, note
        self.proposal: int | None = None
        self._key: list | None = None
        self._what = ""
        self._setting = False
        spin.valueChanged.connect(self._on_typed)
        state.sig_dataset_changed.connect(self.on_dataset)
        self._say()

    def on_dataset(self, ds) -> None:
        if ds is None:                  # the last number stays until data is read again
            self.proposal, self._key = None, None
            self._say()
            return
        self.proposal, self._key = proposed_epochs(ds), data_key(ds)
        self._what = f"{training_samples(ds)} training {EXAMPLES.get(ds.kind, 'samples')}"
        project = self.state.project
        typed = (project.ui.get(UI_KEY) if project is not None else None) or {}
        value = typed.get("value") if typed.get("data") == self._key else None
        self._setting = True
        self.spin.setValue(int(value) if isinstance(value, int) and value > 0 else self.proposal)
        self._setting = False
        self._say()

    def epochs(self) -> int | None:
        """The epochs the project trains for: the box's number, except while its data is not read yet (a
        project just reopened): then the number typed for it (kept in the project), else None (unknown)."""
        project = self.state.project
        if self.proposal is not None or project is None or not (project.data or {}).get("path"):
            return self.spin.value()
        typed = (project.ui.get(UI_KEY) or {}).get("value")
        return typed if isinstance(typed, int) and typed > 0 else None

    def _on_typed(self, value: int) -> None:
        if self._setting:
            return
        project = self.state.project
        if project is not None and self._key is not None:
            project.set_ui(UI_KEY, {"value": int(value), "data": self._key})
            self.state.edited()
        self._say()

    def _say(self) -> None:
        if self.proposal is None:
            text = ""
            tip = ("How many times training goes through all the training samples. Once your data is read, "
                   f"the number is chosen from it; {EARLY_STOP}.")
        else:
            chosen = f"chosen from your {self._what}"      # one level of brackets at most
            text = (f"{chosen}; {EARLY_STOP}." if self.spin.value() == self.proposal else
                    f"your choice. For your {self._what}, {self.proposal} would be chosen; {EARLY_STOP}.")
            tip = ("How many times training goes through all the training samples. "
                   f"{self.proposal} is {chosen}, the number the command line (edgeling train) uses too; "
                   f"{EARLY_STOP}, so a larger number costs time only when it helps.")
        self.note.setText(text[:1].upper() + text[1:])
        self.note.setVisible(bool(text))
        self.spin.setToolTip(tip)
        self.note.setToolTip(tip)
