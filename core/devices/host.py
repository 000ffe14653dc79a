""""This computer": RAM and storage from the operating system, speed from a short benchmark.

The benchmark (``measure_speed``) imports torch only when called, runs for about a second on one thread,
and is cached in the cache folder, keyed by the machine, so it runs once per computer. Nothing here runs
at import time.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import time
from pathlib import Path

from edgeling.core.devices.catalogue import THIS_COMPUTER, Device

CACHE_FILE = "this-computer-speed.json"
SPEED_FORMAT = 1
NOMINAL_CLOCK_MHZ = 1000.0
"""The measured speed is stored as cycles of a nominal 1 GHz clock, i.e. nanoseconds."""

# Used until the benchmark has run (``edgeling plan --device this-computer`` runs it): a modest laptop.
UNMEASURED = {"conv2d": 0.25, "depthwise_conv2d": 1.0, "dense": 0.5, "element": 0.5}


def total_ram_bytes() -> int:
    try:
        if sys.platform == "win32":
            import ctypes

            class MemStatus(ctypes.Structure):
                _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                            ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                            ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                            ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                            ("ullAvailExtendedVirtual", ctypes.c_ulonglong)]

            stat = MemStatus()
            stat.dwLength = ctypes.sizeof(MemStatus)
            ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(stat))
            return int(stat.ullTotalPhys)
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 4 * 1024 ** 3


def free_storage_bytes() -> int:
    try:
        return int(shutil.disk_usage(Path.home()).free)
    except OSError:
        return 0


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _cache_path() -> Path:
    from edgeling.core.data.cache import cache_root

    return cache_root() / CACHE_FILE


def _machine_key() -> str:
    return f"{platform.system()}|{platform.machine()}|{cpu_name()}|{os.cpu_count()}"


def cached_speed() -> dict | None:
    from edgeling.core.fileio import read_json

    try:
        data = read_json(_cache_path())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != SPEED_FORMAT or data.get("machine") != _machine_key():
        return None
    return data


def _rate(fn, macs: int, min_seconds: float) -> float:
    """Best-of MACs per second of ``fn`` (a few warm-up calls first)."""
    for _ in range(3):
        fn()
    best = float("inf")
    end = time.perf_counter() + min_seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return macs / best


def measure_speed(min_seconds: float = 0.25) -> dict:
    """Time a conv, a depthwise conv, a dense layer and a tiny op on one thread (float32, torch kernels as
    a stand-in for ONNX Runtime's); store and return ns per MAC and per-op overhead."""
    import torch
    import torch.nn.functional as F

    from edgeling.core.fileio import atomic_write_json

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.no_grad():
            x = torch.randn(1, 32, 32, 32)
            w = torch.randn(32, 32, 3, 3)
            wd = torch.randn(32, 1, 3, 3)
            a = torch.randn(1, 512)
            m = torch.randn(512, 512)
            tiny = torch.randn(1, 8)
            conv = _rate(lambda: F.conv2d(x, w, padding=1), 32 * 32 * 32 * 32 * 9, min_seconds)
            dw = _rate(lambda: F.conv2d(x, wd, padding=1, groups=32), 32 * 32 * 32 * 9, min_seconds)
            dense = _rate(lambda: a @ m, 512 * 512, min_seconds)
            overhead_s = 1.0 / _rate(lambda: F.relu(tiny), 1, min_seconds)
    finally:
        torch.set_num_threads(threads)
    ns = 1e9
    speed = {"format": SPEED_FORMAT, "machine": _machine_key(), "measured_at": time.time(),
             "float32": {"conv2d": ns / conv, "depthwise_conv2d": ns / dw, "dense": ns / dense,
                         "element": ns / dense},
             "op_overhead_cycles": overhead_s * ns, "invoke_overhead_cycles": 20 * overhead_s * ns}
    try:
        atomic_write_json(_cache_path(), speed)
    except OSError:
        pass  # a read-only cache folder: measure again next time
    return speed


def this_computer(measure: bool = False) -> Device:
    """This computer as a Device. With ``measure`` the speed benchmark runs if none is cached."""
    speed = cached_speed()
    if speed is None and measure:
        speed = measure_speed()
    if speed is not None:
        table = dict(speed["float32"])
        cost = {"runtime": "ONNX Runtime (speed measured on this computer, one thread)",
                "float32": table, "int8": table,
                "op_overhead_cycles": speed["op_overhead_cycles"],
                "invoke_overhead_cycles": speed["invoke_overhead_cycles"],
                "source": "measured: a short conv / depthwise / dense benchmark on this computer"}
        origin = "measured"
    else:
        cost = {"runtime": "ONNX Runtime", "float32": dict(UNMEASURED), "int8": dict(UNMEASURED),
                "op_overhead_cycles": 5000, "invoke_overhead_cycles": 50000,
                "source": "not measured yet: a typical laptop is assumed until the speed test has run"}
        origin = "catalogue"
    return Device(id=THIS_COMPUTER, name=f"This computer ({cpu_name()})", kind="desktop", core="host",
                  clock_mhz=NOMINAL_CLOCK_MHZ, ram_bytes=total_ram_bytes(), flash_bytes=free_storage_bytes(),
                  formats=["onnx", "tflite-float32", "tflite-int8"], cost=cost, chip=cpu_name(),
                  cores=os.cpu_count() or 1, notes="RAM from the operating system; storage is the free disk "
                  "space; speed " + ("measured." if origin == "measured" else "not measured yet."),
                  origin=origin)
