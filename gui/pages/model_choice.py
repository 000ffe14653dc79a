"""The Model page's choice of network among the candidates: which row of the table is the project's network,
and the words saying it, whether the user clicked a row, chose a network in the Network box, or a plan was shown
(made again for a new device, kept with the project, or asked for with the button); and what the page says
without a table (a reopened project whose plan is not kept).

A network the user chose by hand (a row that is not the ★ pick, or the Network box) has no ``plan_explanation``
in ``project.model``; it stays, a family sized for each device, until the user chooses again or presses "Find
networks that fit". A pick, or Automatic, follows the ★ of the plan shown."""

from __future__ import annotations

from edgeling.gui.pages.model_plan import stored_plan
from edgeling.gui.pages.plain_terms import knob_tip
from edgeling.gui.qt import QAbstractItemView


class NetworkChoice:
    """Mixed into ``ModelPage`` (its ``table``, ``arch_box``, ``explanation``, ``plan`` and ``_cands``)."""

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

    def _row_of(self, model: dict, restoring: bool = False) -> int:
        """The table's row for ``model``: the row with its very settings when they fit the device (or the
        project is reopened: what was chosen, fitting or not), else the first row of its network that fits,
        or else its first; -1 when the table has none of it (or it is Automatic)."""
        arch = model.get("arch")
        rows = [r for r, c in enumerate(self._cands) if arch and c.get("arch") == arch]
        fitting = next((r for r in rows if self._cands[r].get("fits")), -1)
        same = next((r for r in rows if "knobs" in model and self._cands[r].get("knobs") == model["knobs"]), -1)
        if same >= 0 and (restoring or fitting < 0 or self._cands[same].get("fits")):
            return same
        return fitting if fitting >= 0 else (rows[0] if rows else -1)

    def _select_row_of(self, arch: str | None) -> None:
        """The table's row of the network just chosen in the Network box (the first that fits, or else the
        first), which chooses its settings too; no row when the table has none of it (or it is Automatic), and
        then the ★ words go, so the box and the table never say two different things."""
        row = self._row_of({"arch": arch})
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

    def _choose_in_plan(self, plan: dict, picked_row: int, restoring: bool, take_pick: bool) -> None:
        """The project's network in the table just filled. The user's own choice (a network without the
        plan's ``plan_explanation``: a row that was not the pick, or the Network box) is a family: its row for
        this device (``_row_of``), or the words that the table has none of it. A pick (of this plan or of an
        older one, for another device) or Automatic follows this plan's pick: the device changed, the ★ moved.
        A reopened project keeps what it had; the button (``take_pick``) makes the pick the network."""
        project = self.state.project
        if project is None:
            return
        model = project.model or {}
        pick = plan.get("pick") or {}
        by_hand = bool(model.get("arch")) and not model.get("plan_explanation")
        if not take_pick and (by_hand or (restoring and not model.get("arch"))):
            row = self._row_of(model, restoring)
            if row >= 0:
                self._select_silently(row)
                self._on_row_chosen()          # that row's words: the ★ sentence, or "Your choice: ..."
            else:
                self._select_row_of(model.get("arch"))     # "... is not among the networks", or Automatic
            return
        if picked_row >= 0:
            self._select_silently(picked_row)
        if pick:
            chosen = {"arch": pick.get("arch"), "knobs": pick.get("knobs"),
                      "plan_explanation": plan.get("explanation", "")}
            if chosen != project.model or not restoring:
                project.model = chosen
                self.state.edited()
            self._show_arch(pick.get("arch"))

    def _select_silently(self, row: int) -> None:
        """Select ``row`` (and scroll to it) without it counting as a click."""
        self._filling = True
        self.table.selectRow(row)
        self.table.scrollToItem(self.table.item(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        self._filling = False

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
