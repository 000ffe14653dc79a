"""Latency from a device's cost model: cycles per MAC by op kind and precision, plus per-op overhead.

    cycles = sum over ops (MACs x cycles_per_mac[kind], or element operations x cycles_per_element)
             + ops x op_overhead_cycles + invoke_overhead_cycles
    ms     = cycles / (clock_mhz x 1000)

The numbers live in resources/devices.json (``cost_models``), each with a ``source`` saying where it comes
from. Calibrated on shared/reference/device-numbers.md (tests/core/test_estimates.py holds each within a
factor of 2): the EFR32xG24 (MVP) model on Silicon Labs MLTK's latencies of the four MLPerf Tiny models,
the Cortex-M7 model on Edge Impulse's MobileNetV2 0.35 96x96 at 480 MHz; the Cortex-M4F is the M7 scaled
by Edge Impulse's M4F / M7 ratio; the other cores are stated assumptions; "this computer" is measured
(``host.measure_speed``). A precision a cost model lacks falls back to the one it has: float32
on a microcontroller is estimated as 2x the int8 cycles (software float, no SIMD), int8 on a CPU with only
float32 figures as the float32 cycles.
"""

from __future__ import annotations

from typing import Any

FLOAT_ON_MCU_FACTOR = 2.0
ELEMENT = "element"


def cycles_table(cost: dict[str, Any], precision: str) -> tuple[dict[str, float], str]:
    """The cycles-per-MAC table for ``precision`` and a note if it was derived from another precision."""
    if precision in cost:
        return dict(cost[precision]), ""
    if precision == "float32" and "int8" in cost:
        table = {k: v * FLOAT_ON_MCU_FACTOR for k, v in cost["int8"].items()}
        return table, f"float32 assumed {FLOAT_ON_MCU_FACTOR:g}x the int8 cycles"
    if "float32" in cost:
        return dict(cost["float32"]), "int8 assumed as fast as float32"
    raise ValueError("the device's cost model has no cycle figures")


def latency_ms(graph, ops: list[dict], device, precision: str) -> dict[str, Any]:
    """``{"ms", "cycles", "source", "note", "per_op_ms"}`` for the op table of ``estimate.op_table``."""
    cost = device.cost
    table, note = cycles_table(cost, precision)
    per_op = float(cost.get("op_overhead_cycles", 0))
    total = float(cost.get("invoke_overhead_cycles", 0))
    clock_hz = float(device.clock_mhz) * 1e6
    if clock_hz <= 0:
        raise ValueError(f"device {device.id} has no clock speed")
    per_op_ms = []
    for o in ops:
        rate = table.get(o["kind"], table.get(ELEMENT, 1.0)) if o["counts_as_macs"] else table.get(ELEMENT, 1.0)
        cycles = o["macs"] * rate + (per_op if o["kind"] != "reshape" else per_op / 4)
        total += cycles
        per_op_ms.append(round(cycles / clock_hz * 1e3, 4))
    return {"ms": total / clock_hz * 1e3, "cycles": int(total), "source": cost.get("source", ""),
            "note": note, "per_op_ms": per_op_ms}
