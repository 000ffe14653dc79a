"""Target devices: the catalogue in resources/devices.json, custom devices, this computer, cost models.

No torch here at import time (the GUI lists devices); only ``host.measure_speed`` imports torch, when called.
"""
