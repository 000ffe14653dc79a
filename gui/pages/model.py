"""Model: pick the device the model must run on, see the candidate networks with their RAM / flash /
latency against that device's limits, and the recommended pick explained in a sentence.

The device list and the plan come from the ``edgeling devices`` / ``edgeling plan`` commands run in a child
process (building candidates needs torch); the architecture list comes from the zoo, which is torch-free."""

from __future__ import annotations

from edgeling.core.models.autosize import size_labels
from edgeling.gui.cli_process import CliProcess, registered_commands
from edgeling.gui.errors import show_error
from edgeling.gui.pages.base import Page
from edgeling.gui.pages.model_limits import human_bytes, plan_limits
from edgeling.gui.pages.model_plan import (
    device_id,
    device_list,
    import_args,
    keep_plan,
    plan_key,
    stored_plan,
)
from edgeling.gui.pages.model_table import COLUMNS, fill_candidates
from edgeling.gui.pages.plain_terms import jargon_tip, knob_tip
from edgeling.gui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QWidget,
)


class ModelPage(Page):
    key = "model"
    title = "Model"
    hint = ("Choose the device your model will run on. Edgeling proposes networks that fit its memory and "
            "speed, and recommends one.")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        form = QFormLayout()
        self.device_box = QComboBox()
        self.device_box.setObjectName("deviceBox")
        self.device_box.currentIndexChanged.connect(self._on_device_chosen)
        drow = QHBoxLayout()
        drow.addWidget(self.device_box, 1)
        self.add_device_button = QPushButton("&Add your own device…")
        self.add_device_button.setToolTip("A board that is not in the list: give its RAM, flash, clock and "
                                          "processor.")
        self.add_device_button.clicked.connect(self.add_custom_device)
        drow.addWidget(self.add_device_button)
        form.addRow("Device:", drow)
        self.arch_box = QComboBox()
        self.arch_box.setObjectName("archBox")
        self.arch_box.currentIndexChanged.connect(self._on_arch_chosen)
        form.addRow("Network:", self.arch_box)
        self.layout_.addLayout(form)
        # The network's description under its box, beside the form rather than in it: a QFormLayout gave the
        # wrapped label the height of its size hint (70 px for one line of text, a blank band above and below).
        self.arch_note = QLabel("")
        self.arch_note.setObjectName("archNote")
        self.arch_note.setWordWrap(True)
        note_row = QHBoxLayout()
        note_row.addSpacing(max(form.labelForField(w).sizeHint().width() for w in (drow, self.arch_box))
                            + max(0, form.horizontalSpacing()))
        note_row.addWidget(self.arch_note, 1)
        self.layout_.addLayout(note_row)

        # Advanced settings, folded away: a tick box that shows them (a folded group box left an empty frame).
        self.advanced = QCheckBox("Show advanced settings")
        self.advanced.setChecked(False)
        self.advanced_body = QWidget()
        adv = QFormLayout(self.advanced_body)
        adv.setContentsMargins(24, 0, 0, 0)
        self.latency_limit = QDoubleSpinBox()
        self.latency_limit.setRange(0, 100000)
        self.latency_limit.setSuffix(" ms")
        self.latency_limit.setSpecialValueText("no limit")
        adv.addRow("Slowest answer allowed:", self.latency_limit)
        self.advanced_body.setVisible(False)
        self.advanced.toggled.connect(self.advanced_body.setVisible)
        self.layout_.addWidget(self.advanced)
        self.layout_.addWidget(self.advanced_body)

        row = QHBoxLayout()
        self.plan_button = QPushButton("&Find networks that fit")
        self.plan_button.clicked.connect(self._on_plan)
        row.addWidget(self.plan_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.explanation = QLabel("")
        self.explanation.setObjectName("planExplanation")
        self.explanation.setWordWrap(True)
        self.layout_.addWidget(self.explanation)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("candidatesTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._on_row_chosen)
        self.table.verticalHeader().setVisible(False)
        self._cands: list[dict] = []      # the table's rows' candidates, in its order
        self._labels: list[str] = []
        self.layout_.addWidget(self.table, 1)
        self.limits_note = QLabel("")
        self.limits_note.setObjectName("limitsNote")
        self.limits_note.setWordWrap(True)
        self.layout_.addWidget(self.limits_note)

        self.devices: list[dict] = []
        self.plan: dict | None = None
        self._shown_for: dict | None = None      # what the table's plan was made for (``plan_key``)
        self._planning_for: dict | None = None
        self._devices_cli = CliProcess(self)
        self._devices_cli.sig_result.connect(self._on_devices)
        self._devices_cli.sig_failed.connect(self._on_devices_failed)
        self._plan_cli = CliProcess(self)
        self._plan_cli.sig_result.connect(self._on_plan_result)
        self._plan_cli.sig_failed.connect(self._on_plan_failed)
        self._filling = False
        state.sig_dataset_changed.connect(self._on_dataset_changed)
        state.sig_project_changed.connect(lambda _p: self._fill_devices())
        state.sig_project_changed.connect(lambda _p: self._show_stored_choice())

    def on_shown(self) -> None:
        if not self.devices and not self._devices_cli.running:
            try:     # the catalogue is plain data (no torch): read it here
                from dataclasses import asdict

                from edgeling.core.devices.catalogue import list_devices

                self._on_devices({"devices": [asdict(d) for d in list_devices(measure=False)]})
                return
            except ImportError:
                pass
            except Exception as e:  # noqa: BLE001 - a broken catalogue file is a message, not a crash
                self.explanation.setText(f"The device list could not be read: {e}")
                return
            if "devices" in registered_commands():
                self._devices_cli.start(["devices"])
            else:
                self.explanation.setText("The device catalogue is not part of this build yet; you can "
                                         "still choose a network and train it.")

    # --- devices --------------------------------------------------------------------------------------
    def add_custom_device(self):
        """Open the "Add your own device" dialog; a saved device joins the list and is chosen."""
        from edgeling.gui.widgets.custom_device import CustomDeviceDialog

        dialog = CustomDeviceDialog(self)
        self.custom_dialog = dialog
        dialog.accepted.connect(lambda: self._on_custom_device_added(dialog.device))
        dialog.open()
        return dialog

    def _on_custom_device_added(self, device) -> None:
        if device is None:
            return
        self.devices = []
        self.on_shown()                       # re-read the list, custom devices included
        i = self.device_box.findData(device.id)
        if i >= 0:
            self.device_box.setCurrentIndex(i)


    def _on_devices(self, obj: dict) -> None:
        self.devices = device_list(obj)
        self._fill_devices()

    def _on_devices_failed(self, message: str, details: str) -> None:
        self.explanation.setText("The device list could not be read: " + message)

    def _fill_devices(self) -> None:
        self._filling = True
        self.device_box.clear()
        self.device_box.addItem("(choose a device)", "")
        for d in self.devices:
            ram = d.get("ram_bytes")
            label = f"{d.get('name', device_id(d))}" + (f"  ({human_bytes(ram)} RAM)" if ram else "")
            self.device_box.addItem(label, device_id(d))
        project = self.state.project
        if project is not None and project.device:
            i = self.device_box.findData(project.device)
            if i < 0:
                self.device_box.addItem(project.device, project.device)
                i = self.device_box.count() - 1
            self.device_box.setCurrentIndex(i)
        self._filling = False

    def _on_device_chosen(self, _i: int) -> None:
        project = self.state.project
        if self._filling or project is None:
            return
        project.device = self.device_box.currentData() or None
        self.state.edited()
        self._replan_if_stale()

    def _replan_if_stale(self) -> None:
        """A table of candidates for another device (or other data) is replaced, never left up: its "fits"
        column would judge the networks against the wrong board. The plan kept for the device and data as they
        are now is shown again; else, when a table was up or being made, the plan is made again at once (the
        user had already asked for one); else the page just says what to press."""
        project = self.state.project
        if project is None or (self.plan is not None and plan_key(project) == self._shown_for) \
                or (self._plan_cli.running and plan_key(project) == self._planning_for):
            return
        asked = self.plan is not None or self._plan_cli.running
        self._clear_plan()
        self._plan_cli.kill()
        self.plan_button.setEnabled(True)
        kept = stored_plan(project)
        if kept is not None:
            self.show_plan(kept, restoring=True)
        elif asked and plan_key(project) is not None and "plan" in registered_commands():
            self._on_plan()
        else:
            self._show_stored_choice()

    # --- architectures --------------------------------------------------------------------------------
    def _on_dataset_changed(self, ds) -> None:
        self._filling = True
        self.arch_box.clear()
        self.arch_box.addItem("Automatic (recommended)", "")
        if ds is not None:
            try:
                from edgeling.core.models import zoo

                for arch in zoo.architectures_for(ds.kind):
                    self.arch_box.addItem(arch, arch)
                    self.arch_box.setItemData(self.arch_box.count() - 1, zoo.describe(arch),
                                              Qt.ItemDataRole.ToolTipRole)
            except ImportError:
                pass
        project = self.state.project
        arch = (project.model or {}).get("arch") if project is not None else None
        if arch:
            i = self.arch_box.findData(arch)
            if i < 0:    # the data is not read yet (or not on this computer): the box still says the network
                self.arch_box.addItem(str(arch), arch)
                i = self.arch_box.count() - 1
            self.arch_box.setCurrentIndex(i)
        self._filling = False
        self._describe_arch()
        self._replan_if_stale()
        self._show_stored_choice()

    def _on_arch_chosen(self, _i: int) -> None:
        self._describe_arch()
        project = self.state.project
        if self._filling or project is None:
            return
        arch = self.arch_box.currentData() or None
        if arch != (project.model or {}).get("arch"):
            project.model = {"arch": arch}      # knobs belong to one network: another starts from its default
            self.state.edited()
            self._select_row_of(arch)

    def _select_row_of(self, arch: str | None) -> None:
        """The table's row of the network just chosen in the Network box (the first that fits, or else the
        first), which chooses its settings too; no row when the table has none of it (or it is Automatic), and
        then the ★ words go, so the box and the table never say two different things."""
        rows = [r for r, c in enumerate(self._cands) if arch and c.get("arch") == arch]
        row = next((r for r in rows if self._cands[r].get("fits")), rows[0] if rows else -1)
        if self.plan is None:
            self._show_stored_choice()
            return
        if row >= 0:
            self.table.selectRow(row)
            return
        self._filling = True
        self.table.clearSelection()
        self._filling = False
        if self.plan is not None:
            self.explanation.setText("Automatic: Edgeling picks the network that fits your device best when it "
                                     "trains." if not arch else
                                     f"{arch} is not among the networks sized for this device below; its size "
                                     "is not checked against the device. Press Find networks that fit to see "
                                     "the ones that are.")

    def _on_row_chosen(self) -> None:
        """A row of the table clicked: that network, with its settings, is the project's model (and the
        Network box's choice); the explanation is the ★ one for the recommended row, else says what was
        chosen."""
        rows = {i.row() for i in self.table.selectedIndexes()}
        project = self.state.project
        if self._filling or project is None or len(rows) != 1 or min(rows) >= len(self._cands):
            return
        row = min(rows)
        c = self._cands[row]
        pick = (self.plan or {}).get("pick") or {}
        is_pick = bool(pick) and c.get("arch") == pick.get("arch") and c.get("knobs") == pick.get("knobs")
        model = {"arch": c.get("arch"), "knobs": c.get("knobs")}
        if is_pick:
            model["plan_explanation"] = (self.plan or {}).get("explanation", "")
        if model != project.model:
            project.model = model
            self.state.edited()
        self._show_arch(c.get("arch"))
        if is_pick:
            self.explanation.setText("★ " + str((self.plan or {}).get("explanation", "")))
        else:
            label = self._labels[row] if row < len(self._labels) else str(c.get("arch"))
            fits = "It fits the device." if c.get("fits") else \
                "It does not fit the device: " + "; ".join(map(str, c.get("why_not") or [])) + "."
            self.explanation.setText(f"Your choice: {label} (the recommended network is marked ★). {fits}")

    def _describe_arch(self) -> None:
        arch = self.arch_box.currentData()
        if not arch:
            self.arch_note.setText("Edgeling picks the network that fits your device best.")
            return
        from edgeling.core.models import zoo

        self.arch_note.setText(zoo.describe(arch))

    def _plan_button_words(self) -> str:
        return self.plan_button.text().replace("&", "")

    def _show_stored_choice(self) -> None:
        """No table of candidates (a project reopened: the plan is not kept with it): say the network the
        project has, with its settings and why it was recommended when it was, and how to see the candidates
        again. The reopen walk: an empty table without a word, the chosen width shown nowhere."""
        project = self.state.project
        if self.plan is not None or self._plan_cli.running or project is None:
            return
        kept = stored_plan(project)
        if kept is not None:
            self.show_plan(kept, restoring=True)
            return
        from edgeling.core.models.autosize import describe_knobs

        model = project.model or {}
        again = f"Press “{self._plan_button_words()}” to see the candidates again."
        if model.get("arch"):
            knobs = describe_knobs(model.get("knobs") or {})
            said = [f"Chosen network: {model['arch']}" + (f", {knobs}." if knobs else ".")]
            if model.get("plan_explanation"):
                said.append("★ Recommended for the device when it was chosen: " + str(model["plan_explanation"]))
            self.explanation.setText("\n".join(said + [again]))
            self.explanation.setToolTip(knob_tip(model.get("knobs") or {}))
        elif project.device and project.data.get("path"):
            self.explanation.setText(f"Press “{self._plan_button_words()}” to see the networks sized for this "
                                     "device, and the one Edgeling recommends.")
            self.explanation.setToolTip("")
        else:
            self.explanation.setText("")
            self.explanation.setToolTip("")

    # --- plan -----------------------------------------------------------------------------------------
    def _on_plan(self) -> None:
        project = self.state.project
        if project is None or not project.data.get("path"):
            show_error(self, "Choose your data first, on the Data page.")
            return
        if not project.device:
            show_error(self, "Choose a device first: the list above says how much memory each one has.")
            return
        if "plan" not in registered_commands():
            show_error(self, "Finding networks that fit a device is not part of this build yet. Choose a "
                             "network yourself, or leave it on Automatic.")
            return
        args = ["plan", project.data["path"], "--device", project.device, *import_args(project.data)]
        if self.advanced.isChecked() and self.latency_limit.value() > 0:
            args += ["--latency-ms", str(self.latency_limit.value())]
        self.explanation.setText("Sizing networks for this device…")
        self.explanation.setToolTip("")
        self.plan_button.setEnabled(False)
        self._planning_for = plan_key(project)
        self._plan_cli.start(args)

    def _on_plan_failed(self, message: str, details: str) -> None:
        self.plan_button.setEnabled(True)
        self.explanation.setText("")
        self._show_stored_choice()
        show_error(self, message, details)

    def _on_plan_result(self, plan: dict) -> None:
        self.plan_button.setEnabled(True)
        project = self.state.project
        if project is not None and self._planning_for != plan_key(project):   # the device or data changed since
            if plan_key(project) is not None:
                self._on_plan()
            else:
                self._show_stored_choice()
            return
        if project is not None and self._planning_for is not None:
            keep_plan(project, self._planning_for, plan)
        self.show_plan(plan, made_for=self._planning_for)

    def show_plan(self, plan: dict, restoring: bool = False, made_for: dict | None = None) -> None:
        """Fill the candidates table from the plan's JSON (``candidates``, ``pick``, ``explanation``). A plan
        made now chooses its pick as the project's network; a kept one (``restoring``: the project reopened)
        selects the network the project has, which the user may have chosen over the pick."""
        self.plan = plan
        self._shown_for = plan_key(self.state.project) if restoring or made_for is None else made_for
        self.explanation.setToolTip("")
        device = next((d for d in self.devices if device_id(d) == plan.get("device")), {})
        device = {**device, **(plan.get("device_info") or {})}
        pick = plan.get("pick") or {}
        cands = [c for c in plan.get("candidates", []) if isinstance(c, dict)]
        # The recommended network first, then the others smallest first (the plan's order).
        cands.sort(key=lambda c: not (pick and c.get("arch") == pick.get("arch")
                                      and c.get("knobs") == pick.get("knobs")))
        self._filling = True          # the rows are chosen from below, not by a click
        self.table.clearSelection()
        self.table.setRowCount(len(cands))
        labels = size_labels(cands)   # only the settings that change the size; all of them in the tooltip
        self._cands, self._labels = cands, list(labels)
        # Bars against what the model can really use there (the plan's budget: on an ESP32-S3 the 320 KB free
        # block, not the 512 KB of RAM), the numbers the "fits" column is judged on; the totals in the note.
        limits = plan_limits(plan, device)
        picked_row = fill_candidates(self.table, cands, labels, pick, limits, device)
        self.table.resizeRowsToContents()
        project = self.state.project
        if restoring and project is not None:
            model = project.model or {}
            picked_row = next((r for r, c in enumerate(cands) if model.get("arch") and c.get("arch") == model["arch"]
                               and c.get("knobs") == model.get("knobs")), -1)
        if picked_row >= 0:
            self.table.selectRow(picked_row)
            self.table.scrollToItem(self.table.item(picked_row, 0),
                                    QAbstractItemView.ScrollHint.PositionAtCenter)
        self._filling = False
        self.explanation.setText(("★ " if pick else "") + str(plan.get("explanation", "")))
        self.limits_note.setText(limits["note"])
        self.limits_note.setToolTip(jargon_tip(limits["note"]))     # "Wi-Fi and the RTOS": the catalogue's words
        if restoring:
            if picked_row >= 0:
                self._on_row_chosen()          # that row's words: the ★ sentence, or "Your choice: ..."
            else:
                self._select_row_of((project.model or {}).get("arch") if project is not None else None)
            return
        if project is not None and pick:
            project.model = {"arch": pick.get("arch"), "knobs": pick.get("knobs"), "plan_explanation":
                             plan.get("explanation", "")}
            self.state.edited()
            self._show_arch(pick.get("arch"))

    def _show_arch(self, arch) -> None:
        """``arch`` in the Network box, without choosing it again (the table's choice already did)."""
        self._filling = True
        i = self.arch_box.findData(arch)
        if i < 0 and arch:   # not offered for this data (or the data is not read yet): added, so the box says it
            self.arch_box.addItem(str(arch), arch)
            i = self.arch_box.count() - 1
        if i >= 0:
            self.arch_box.setCurrentIndex(i)
        self._filling = False
        self._describe_arch()

    def _clear_plan(self) -> None:
        self.plan = None
        self._shown_for = None
        self._filling = True
        self.table.setRowCount(0)
        self._filling = False
        self._cands, self._labels = [], []
        self.explanation.setText("")
        self.limits_note.setText("")

    def leave_project(self) -> None:
        self._plan_cli.kill()
        self.plan_button.setEnabled(True)
        self._clear_plan()

    def shutdown(self) -> None:
        self._devices_cli.kill()
        self.leave_project()
