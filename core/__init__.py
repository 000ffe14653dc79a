"""edgeling.core: everything Edgeling does, with no GUI. Never imports Qt or pyqtgraph (a test holds it);
torch and onnxruntime are imported only inside the functions of a job that needs them."""

from edgeling.core.no_telemetry import switch_off as _switch_off_telemetry

__version__ = "0.1.0"
_switch_off_telemetry()     # before any library that would queue telemetry is imported (``no_telemetry.py``)
