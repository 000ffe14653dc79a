"""The "Add your own device" dialog: name, RAM, flash, clock and processor core, checked by
``edgeling.core.devices.custom.add_custom_device`` (plain data, no torch). A mistake is shown in the dialog
in plain words, and the dialog stays open so it can be corrected."""

from __future__ import annotations

from edgeling.gui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
)

CORE_WORDS = {"cortex-m0plus": "Arm Cortex-M0+ (small, low-power boards)",
              "cortex-m4f": "Arm Cortex-M4F (e.g. nRF52840, STM32F4)",
              "cortex-m33": "Arm Cortex-M33 (e.g. nRF5340, STM32U5)",
              "cortex-m7": "Arm Cortex-M7 (e.g. STM32H7, Teensy 4)",
              "xtensa-lx7": "Xtensa LX7 (ESP32-S3)",
              "cortex-a72": "Arm Cortex-A72 (e.g. Raspberry Pi 4)",
              "cortex-a76": "Arm Cortex-A76 (e.g. Raspberry Pi 5)",
              "cortex-a78": "Arm Cortex-A78 (recent phones)"}
KIND_WORDS = {"microcontroller": "microcontroller", "sbc": "single-board computer", "phone": "phone",
              "desktop": "desktop computer"}


class CustomDeviceDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        from edgeling.core.devices.catalogue import DEVICE_KINDS
        from edgeling.core.devices.custom import CUSTOM_CORES

        self.setWindowTitle("Add your own device")
        self.setObjectName("customDeviceDialog")
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. My sensor board")
        form.addRow("Name:", self.name)
        self.kind = QComboBox()
        for k in DEVICE_KINDS:
            self.kind.addItem(KIND_WORDS.get(k, k), k)
        form.addRow("Kind:", self.kind)
        self.core = QComboBox()
        for c in CUSTOM_CORES:
            self.core.addItem(CORE_WORDS.get(c, c), c)
        self.core.setToolTip("Choose the closest processor; its speed is used for the latency estimate.")
        form.addRow("Processor (closest):", self.core)
        self.ram_kb = QSpinBox()
        self.ram_kb.setRange(0, 2 ** 31 - 1)
        self.ram_kb.setValue(256)
        self.ram_kb.setSuffix(" KB")
        form.addRow("RAM:", self.ram_kb)
        self.flash_kb = QSpinBox()
        self.flash_kb.setRange(0, 2 ** 31 - 1)
        self.flash_kb.setValue(1024)
        self.flash_kb.setSuffix(" KB")
        self.flash_kb.setToolTip("Program storage; 1024 KB is 1 MB.")
        form.addRow("Flash:", self.flash_kb)
        self.clock = QDoubleSpinBox()
        self.clock.setRange(0, 100000)
        self.clock.setDecimals(0)
        self.clock.setValue(64)
        self.clock.setSuffix(" MHz")
        form.addRow("Clock:", self.clock)
        self.message = QLabel("")
        self.message.setObjectName("customDeviceMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b")
        form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.device = None

    def save(self) -> bool:
        """Validate and store the device; on a mistake show it here and keep the dialog open."""
        from edgeling.core.devices import custom
        from edgeling.core.devices.catalogue import DeviceError
        from edgeling.core.devices.custom import add_custom_device

        ram, flash = self.ram_kb.value() * 1024, self.flash_kb.value() * 1024
        if self.name.text().strip() and not custom.MIN_RAM <= ram <= custom.MAX_RAM:
            self.message.setText(f"{self.ram_kb.value()} KB of RAM is not plausible: enter the RAM in KB, at "
                                 f"least {custom.MIN_RAM // 1024} KB (256 KB is a typical microcontroller).")
            return False
        if self.name.text().strip() and not custom.MIN_FLASH <= flash <= custom.MAX_FLASH:
            self.message.setText(f"{self.flash_kb.value()} KB of flash is not plausible: enter the flash "
                                 f"(program storage) in KB, at least {custom.MIN_FLASH // 1024} KB "
                                 "(1024 KB is 1 MB).")
            return False
        try:
            self.device = add_custom_device(self.name.text(), ram, flash, self.clock.value(),
                                            self.core.currentData(), self.kind.currentData())
        except DeviceError as e:
            self.message.setText(str(e))
            return False
        except OSError as e:
            self.message.setText(f"The device could not be saved ({e.strerror or e}). Check that the disk is "
                                 "not full, then try again.")
            return False
        self.accept()
        return True
