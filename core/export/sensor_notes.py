"""What a sensor model's card and C header say about reading the sensor on the device: the board's own
sensor library (its fixed rate and units, from the device catalogue's ``sensors``), and how exactly the
magnitude channel's scale must match the training recordings.

The firmware walk: on the Arduino Nano 33 BLE Sense, the Arduino_LSM9DS1 library reads the accelerometer at
a fixed 119 Hz, in g, while the model took 100 readings per second; and the model's |xyz| channel was
standardised with a spread of 0.027 around 1.003, so a sensor reading 2% high already cost 2 windows of 24
(5% high: 11 of 24)."""

from __future__ import annotations


def board_sensor_lines(device, frontend: dict, data_meta: dict | None = None) -> list[str]:
    """One sentence per on-board sensor of ``device`` (a ``Device``) for a sensor model's ``frontend``:
    its library's rate and units, and the resampling (and unit conversion: the model's unit from ``data_meta``,
    ``model_unit``) the model then needs. [] for other models or boards without sensors in the catalogue."""
    if device is None or (frontend or {}).get("type") not in ("window", "spectral"):
        return []
    rate = frontend.get("sample_rate")
    out = []
    for s in getattr(device, "sensors", None) or []:
        if not s.get("library") or not s.get("rate_hz"):
            continue
        lib_rate = float(s["rate_hz"])
        part = f" ({s['part']})" if s.get("part") else ""
        said = (f"On {device.name}, the {s['library']} library reads the {s.get('sensor') or 'sensor'}{part} at a "
                f"fixed {lib_rate:g} Hz" + (f", in {s['units']}" if s.get("units") else ""))
        unit = model_unit(frontend, data_meta)
        steps = []
        if s.get("units") and unit and s["units"] != unit and {s["units"], unit} == {"g", "m/s^2"}:
            # the pump walk: a model learnt in m/s^2, a board library reading g, and no word of converting
            steps.append(f"{'multiply' if unit == 'm/s^2' else 'divide'} each reading by 9.81, as the model "
                         f"learnt x, y, z in {unit}")
        if rate and abs(float(rate) - lib_rate) > 0.01 * float(rate):
            steps.append(f"resample to {float(rate):g} Hz, the model's rate")
        if steps:
            said += ": " + ", and ".join(steps)
        if rate and abs(float(rate) - lib_rate) > 0.01 * float(rate):
            if lib_rate < float(rate):   # the pump walk: 119 Hz readings stretched to the 200 Hz the model learnt
                said += (f". Readings at {lib_rate:g} Hz hold no vibration faster than {lib_rate / 2:g} Hz, which "
                         f"resampling cannot add back, while the model learnt from recordings with up to "
                         f"{float(rate) / 2:g} Hz: if it tells the classes apart by faster vibrations, it will do "
                         f"worse on the board. For the closest match, record the training data with this board at "
                         f"{lib_rate:g} Hz")
        out.append(said + "." + (f" {s['note']}" if s.get("note") else ""))
    return out


def model_unit(frontend: dict, data_meta: dict | None = None) -> str | None:
    """"g" or "m/s^2": the unit the model learnt its accelerometer in, as the import read it
    (``data_meta["axis_units"]``), else from its magnitude channel's average (about 1 or about 9.8); None
    when neither tells."""
    units = {u.get("unit") for u in (data_meta or {}).get("axis_units") or [] if isinstance(u, dict)}
    if len(units) == 1 and units <= {"g", "m/s^2"}:
        return units.pop()
    for name, m in zip((frontend or {}).get("channel_names") or [], (frontend or {}).get("mean") or []):
        if str(name).startswith("|") and str(name).endswith("|"):
            return "g" if 0.8 < float(m) < 1.25 else "m/s^2" if 8.0 < float(m) < 12.0 else None
    return None


def magnitude_scale_said(frontend: dict) -> str:
    """For a window model with a magnitude channel (|xyz|): at rest it must read what the training sensor read,
    within a tolerance worked out from the channel's standardisation (a third of its std, as a share of its
    mean). '' otherwise."""
    if (frontend or {}).get("type") != "window":
        return ""
    names, mean, std = frontend.get("channel_names") or [], frontend.get("mean") or [], frontend.get("std") or []
    for name, m, s in zip(names, mean, std):
        name, m, s = str(name), float(m), float(s)
        if not (name.startswith("|") and name.endswith("|")) or m <= 0 or s <= 0:
            continue
        averaged = f"the training windows averaged {m:.4g}"
        at_rest = (f"1.00 (1 g; {averaged})" if 0.8 < m < 1.25 else
                   f"9.81 (1 g in m/s^2; {averaged})" if 8.0 < m < 12.0 else
                   f"what the training sensor read at rest ({averaged})")
        return (f"Check the sensor's scale: at rest its magnitude {name} must read {at_rest}, within about "
                f"{100 * s / m / 3:.2g}%: the model standardises {name} with a spread (std) of only {s:.3g}, so a "
                f"gain error of 1% already moves it by {0.01 * m / s:.2g} of that spread. Calibrate the sensor's "
                "gain if it reads otherwise.")
    return ""
