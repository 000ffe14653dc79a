"""The Data page's "read at [100, as recorded]" for sensor recordings, beside the window and step boxes:
the rate every recording is read at (``ImportOptions.sample_rate``, CLI --sample-rate). "as recorded" leaves it
to core (the rate most recordings were made at, shown from ``ds.meta["sample_rate"]``; for recordings with no
times, the rate the user said they were made at, ``options["recorded_rate"]``, asked by ``data_norate.py``); a
number typed reads every recording at it (resampled, timestamps or not). Choosing imports the recordings again
with ``options["sample_rate"]`` (and only it: the recorded rate stays as the user gave it), kept in the project
like the windows, so training and cross-validation (the Train
page's ``job_params``), the plan (``model_plan.import_args``) and so each run and its exports get it as they get
the other import options.

The Nano walk: the Arduino Nano 33 BLE Sense's library reads its accelerometer at a fixed 119 per second, and
the app could only train at the recordings' own 100. When the project's device has a sensor rate in the
catalogue (``sensors[].rate_hz``), a button beside the box reads at it in one click."""

from __future__ import annotations

from edgeling.gui.qt import QDoubleSpinBox, QEvent, QLabel, QObject, QPushButton

RATE_MAX = 100_000.0     # readings per second: above any sensor a small board reads
AS_RECORDED = "as recorded"     # "read at [100, as recorded]"
UNKNOWN = "the recorded rate"   # a project reopened with a rate chosen: the recordings' own is not known yet


class RateBox(QDoubleSpinBox):
    """Readings per second, shown without trailing zeros ("119 per second", "12.5 per second"); 0 shows
    "100, as recorded": the recordings' own rate, core's choice. ``lowest``: the smallest rate it takes."""

    def __init__(self, name: str, lowest: float, parent=None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setRange(lowest, RATE_MAX)
        self.setDecimals(2)
        self.setSingleStep(1.0)
        self.setSuffix(" per second")

    def textFromValue(self, value: float) -> str:
        text = super().textFromValue(value)
        point = self.locale().decimalPoint()
        if point in text:
            text = text.rstrip("0").rstrip(point)
        return text


def rate_words(rate: float) -> str:
    return f"{rate:.4g}"


def board_rate(device_id: str | None) -> tuple[float, str, str] | None:
    """(rate, the button's words, its tooltip) for the device's first on-board sensor with a rate in the
    catalogue; None for a device without one (or none chosen, or a catalogue that cannot be read)."""
    if not device_id:
        return None
    try:
        from edgeling.core.devices.catalogue import find_device

        device = find_device(device_id)
    except Exception:  # noqa: BLE001 - a broken catalogue: no button, the box still works
        return None
    for s in getattr(device, "sensors", None) or []:
        try:
            rate = float(s.get("rate_hz") or 0)
        except (TypeError, ValueError):
            continue
        if rate <= 0:
            continue
        sensor = s.get("sensor") or "sensor"
        part = f" ({s['part']})" if s.get("part") else ""
        library = f"its {s['library']} library" if s.get("library") else "its usual library"
        tip = (f"On {device.name}, {library} reads the {sensor}{part} at a fixed {rate_words(rate)} readings per "
               f"second. A model works best on readings taken at the rate it learnt: click to read every "
               f"recording at {rate_words(rate)} per second (resampled) and train at it.")
        if s.get("note"):
            tip += " " + str(s["note"])
        return rate, f"Read at {rate_words(rate)}, as the board does", tip
    return None


class SensorRate(QObject):
    """The label, the box and the board's button, for ``page`` (the Data page: ``state``, ``import_path``, and
    the window boxes it shares a row with). The button is shown only when the row has room for it: it never
    makes the window wider (it would need 911 pixels on the Data page, 735 without it)."""

    def __init__(self, page):
        super().__init__(page)
        self.page = page
        self.label = QLabel("read at")
        self.box = RateBox("rateBox", 0.0)
        self.box.setSpecialValueText(UNKNOWN)
        self.box.setKeyboardTracking(False)
        self.box.setToolTip("How many readings per second every recording is read at: as recorded (the rate most "
                            "of them were made at), or the rate your device reads its sensor at (type it; the "
                            "recordings are then resampled to it). Type 0 to read them as recorded again.")
        self.box.editingFinished.connect(self._on_typed)
        self.board = QPushButton()
        self.board.setObjectName("boardRateButton")
        self.board.setMinimumWidth(1)     # the window may be narrower than the row with it: it is hidden then
        self.board.clicked.connect(self._on_board)
        self._recorded: dict[str, float] = {}    # data path -> the rate core chose when none was given
        self._board: tuple[float, str, str] | None = None
        self._board_for: str | None = None      # the device ``_board`` was read for
        page.installEventFilter(self)

    def widgets(self) -> list:
        return [self.label, self.box, self.board]

    def chosen(self) -> float | None:
        """The rate kept in the project's import options; None: as recorded."""
        return self._option_rate("sample_rate")

    def recorded_rate(self) -> float | None:
        """The rate the user said recordings with no times were made at (kept as ``recorded_rate``); None when
        not asked."""
        return self._option_rate("recorded_rate")

    def _option_rate(self, key: str) -> float | None:
        """A positive rate kept under ``key`` in the project's import options, else None."""
        project = self.page.state.project
        options = (project.data.get("options") if project is not None else None) or {}
        try:
            rate = float(options.get(key) or 0)
        except (TypeError, ValueError):
            return None
        return rate if rate > 0 else None

    def show_for(self, ds) -> None:
        """Shown with the window boxes (``ds``: sensor data cut into windows, else None), set to the project's
        choice; "as recorded" says the rate core read the recordings at."""
        shown = ds is not None
        self.label.setVisible(shown)
        self.box.setVisible(shown)
        if not shown:
            self.board.setVisible(False)
            return
        chosen = self.chosen()
        rate = float(ds.meta.get("sample_rate") or 0)
        if chosen is None and rate > 0:
            self._recorded[str(ds.root)] = rate
        made_at = self.recorded_rate()
        if made_at is not None:          # recordings with no times: made at the rate the user said
            self._recorded[str(ds.root)] = made_at
        recorded = self._recorded.get(str(ds.root))
        self.box.setSpecialValueText(f"{rate_words(recorded)}, {AS_RECORDED}" if recorded else UNKNOWN)
        self.box.blockSignals(True)
        self.box.setValue(chosen or 0.0)
        self.box.blockSignals(False)
        self.show_board()

    def show_board(self, device_changed: bool = True) -> None:
        """The board's button, when the project's device has a sensor rate, the data is not read at it, and the
        row has room for it; ``device_changed``: read the device's rate from the catalogue again."""
        project = self.page.state.project
        device = project.device if project is not None else None
        if device_changed or device != self._board_for:
            self._board, self._board_for = board_rate(device), device
            if self._board is not None:
                self.board.setText(self._board[1])
                self.board.setToolTip(self._board[2])
        read_at = self._read_at()
        wanted = self._board is not None and self.box.isVisibleTo(self.page) and not (
            read_at is not None and abs(read_at - self._board[0]) < 1e-6)
        self.board.setVisible(wanted and self._room_for_board())

    def _read_at(self) -> float | None:
        """The rate the data shown is read at: the one chosen, else the rate it was recorded at ("as recorded",
        which core reads every recording at); None when not known. Recordings made at the board's 119 need no
        "Read at 119" button."""
        chosen = self.chosen()
        if chosen is not None:
            return chosen
        ds = self.page.state.dataset
        return self._recorded.get(str(ds.root)) if ds is not None else None

    def _room_for_board(self) -> bool:
        """Whether the row of window boxes has room for the button beside them, at the page's width now."""
        page = self.page
        row = [page.window_label, page.window_box, page.stride_label, page.stride_box, self.label, self.box,
               self.board]
        spacing = max(0, page.layout_.spacing())
        for w in row:
            w.ensurePolished()     # a button never shown yet says a size in another font
        needed = sum(w.sizeHint().width() for w in row) + spacing * (len(row) - 1)
        margins = page.layout_.contentsMargins()     # the layout's own rectangle is not set while hidden
        return needed <= page.width() - margins.left() - margins.right()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.page and event.type() == QEvent.Type.Resize and self.box.isVisibleTo(self.page):
            self.show_board(device_changed=False)
        return False

    def _on_typed(self) -> None:
        value = round(self.box.value(), 2)
        self.choose(value if value > 0 else None)

    def _on_board(self) -> None:
        if self._board is not None:
            self.choose(self._board[0])

    def choose(self, rate: float | None) -> None:
        """Read the recordings again at ``rate`` (None: as recorded), unless that is how they are read."""
        ds = self.page.state.dataset
        if ds is None or ds.kind != "timeseries":
            return
        now = self.chosen()
        if (rate is None and now is None) or (rate is not None and now is not None and abs(rate - now) < 1e-6):
            return
        project = self.page.state.project
        options = dict((project.data.get("options") if project else None) or {})
        if ds.meta.get("timestamp_unit") is None and not options.get("recorded_rate") and options.get("sample_rate"):
            # recordings with no times, read at a rate kept before the rate they were made at had its own
            # option: that rate is the one they were made at, and stays so
            options["recorded_rate"] = options["sample_rate"]
        options.pop("sample_rate", None)     # only the rate to read at changes: the recorded rate stays
        if rate is not None:
            options["sample_rate"] = rate
        self.page.import_path(ds.root, "timeseries", options)   # kept in the project once the import worked
