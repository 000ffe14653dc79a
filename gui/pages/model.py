"""Model: pick the device the model must run on, see the candidate networks with their RAM / flash /
latency against that device's limits, and the recommended pick explained in a sentence.

The device list and the plan come from the ``edgeling devices`` / ``edgeling plan`` commands run in a child
process (building candidates needs torch); the architecture list comes from the zoo, which is torch-free."""

from __future__ import annotations

from edgeling.core.models.autosize import size_labels
from edgeling.gui.cli_process import CliProcess, registered_commands
from edgeling.gui.errors import show_error, show_problem
from edgeling.gui.pages.base import Page
from edgeling.gui.pages.model_choice import NetworkChoice
from edgeling.gui.pages.model_limits import human_bytes, plan_limits
from edgeling.gui.pages.model_plan import (
    device_id,
    device_list,
    import_args,
    keep_plan,
    plan_key,
    stored_plan,
)
from edgeling.gui.pages.model_table import COLUMNS, fill_candidates, mark_selected_bars
from edgeling.gui.pages.plain_terms import jargon_tip
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


class ModelPage(NetworkChoice, Page):
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
        self.plan_button.clicked.connect(self._on_plan_pressed)
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
        self.table.itemSelectionChanged.connect(lambda: mark_selected_bars(self.table))
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
        self._pick_asked = False      # the plan being made was asked for with the button: its pick is taken
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
        self._replan_if_stale(device_changed=True)

    def _replan_if_stale(self, device_changed: bool = False) -> None:
        """A table of candidates for another device (or other data) is replaced, never left up: its "fits"
        column would judge the networks against the wrong board. The plan kept for the device and data as they
        are now is shown again; else, when a table was up or being made, the plan is made again at once (the
        user had already asked for one); else the page just says what to press. Either way the network the
        user chose by hand stays (sized for the new device), and one that was the old device's ★ pick follows
        the new pick (``show_plan``); only the button takes the pick over a choice made by hand."""
        project = self.state.project
        if project is None or (self.plan is not None and plan_key(project) == self._shown_for) \
                or (self._plan_cli.running and plan_key(project) == self._planning_for):
            return
        asked = self.plan is not None or self._plan_cli.running
        if not self._plan_cli.running:     # a press answered already: the plan made now is not one asked for
            self._pick_asked = False
        self._clear_plan()
        self._plan_cli.kill()
        self.plan_button.setEnabled(True)
        kept = stored_plan(project)
        if kept is not None:     # a change (not the project reopened): an Automatic network follows the pick
            self.show_plan(kept, restoring=not (device_changed or asked), made_for=plan_key(project))
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

    # --- plan -----------------------------------------------------------------------------------------
    def _on_plan_pressed(self) -> None:
        """The "Find networks that fit" button pressed: an explicit request, whose ★ pick becomes the project's
        network even over one chosen by hand (a plan made again by itself, for a new device, keeps that choice)."""
        self._pick_asked = True
        self._on_plan()

    def _on_plan(self) -> None:
        project = self.state.project
        first = ("Choose your data first, on the Data page: the networks are sized for it."
                 if project is None or not project.data.get("path") else
                 "Choose a device first: the list above says how much memory each one has." if not project.device
                 else "")
        if first:      # a step to take first, said under the button: no error message, no log (the GUI walk)
            self._pick_asked = False
            self.explanation.setText(first)
            self.explanation.setToolTip("")
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
        """The reason stands on the page, where the networks would (a device nothing fits left the empty table
        under "Press 'Find networks that fit'…", the reason only in a dialog: the robustness walk)."""
        from edgeling.core.terminal_hint import for_the_app

        self.plan_button.setEnabled(True)
        self._pick_asked = False
        self.explanation.setText("")
        self._show_stored_choice()
        if self.plan is None:
            self.explanation.setText(for_the_app(message))
            self.explanation.setToolTip("")
        if self._plan_cli.users_problem():     # the data or the device, not a fault: said plainly
            show_problem(self, message)
        else:
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
            self.state.edited()     # saved with the project, whichever network it leaves chosen
        take_pick, self._pick_asked = self._pick_asked, False
        self.show_plan(plan, made_for=self._planning_for, take_pick=take_pick)

    def show_plan(self, plan: dict, restoring: bool = False, made_for: dict | None = None,
                  take_pick: bool = False) -> None:
        """Fill the candidates table from the plan's JSON (``candidates``, ``pick``, ``explanation``), and
        choose the project's network in it (``_choose_in_plan``): a network the user chose by hand stays,
        sized for this device; one that came from a pick, or Automatic, follows this plan's ★ pick, and so does
        any choice when the user pressed the button (``take_pick``). ``restoring``: the project reopened, the
        table it had; nothing changes (the very row chosen, Automatic left as it is)."""
        self.plan = plan
        self._shown_for = plan_key(self.state.project) if restoring or made_for is None else made_for
        self.explanation.setToolTip("")
        device = {**self._device_entry(plan.get("device")), **(plan.get("device_info") or {})}
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
        self._filling = False
        self.explanation.setText(("★ " if pick else "") + str(plan.get("explanation", "")))
        self.limits_note.setText(limits["note"])
        self.limits_note.setToolTip(jargon_tip(limits["note"]))     # "Wi-Fi and the RTOS": the catalogue's words
        self._choose_in_plan(plan, picked_row, restoring, take_pick)

    def _device_entry(self, dev_id) -> dict:
        """The catalogue entry of the plan's device: from the list read for the Device box, else (a project
        reopened: its kept plan is shown before the list is read) from the catalogue itself, plain data. With
        no entry the page called a Raspberry Pi's storage "flash" (the speech walk)."""
        entry = next((d for d in self.devices if device_id(d) == dev_id), None)
        if entry is not None:
            return entry
        try:
            from dataclasses import asdict

            from edgeling.core.devices.catalogue import find_device

            found = find_device(dev_id)
        except Exception:  # noqa: BLE001 - a broken catalogue: the page says "flash", as before
            return {}
        return asdict(found) if found is not None else {}

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
        self._pick_asked = False
        self.plan_button.setEnabled(True)
        self._clear_plan()

    def shutdown(self) -> None:
        self._devices_cli.kill()
        self.leave_project()
