"""The spectral features of a sensor window (``signal_features.spectral_features``) as steps firmware can
repeat: which FFT bins each band averages, the filter's kept bins, the Hann window's power sum, and the
working memory of the FFT. Used by the model card's recipe and the C header's constants.
"""

from __future__ import annotations

import numpy as np


def is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def spectral_band_bins(frontend: dict) -> list[tuple[int, int]]:
    """Per band, the first and last bin (inclusive) of the window's real FFT whose power it averages: the
    very bins ``signal_features.spectral_features`` uses."""
    from edgeling.core.models import signal_features as sf

    n = int(frontend["length"])
    w = sf._band_matrix(n, float(frontend.get("sample_rate") or 1.0), list(frontend["band_edges_hz"]))
    out = []
    for b in range(w.shape[1]):
        inside = np.flatnonzero(w[:, b])
        out.append((int(inside[0]), int(inside[-1])))
    return out


def filter_bins(frontend: dict) -> tuple[int, int] | None:
    """The first and last FFT bin the high-pass / low-pass filter keeps; None without a filter."""
    hp, lp = frontend.get("highpass_hz"), frontend.get("lowpass_hz")
    if not hp and not lp:
        return None
    n, rate = int(frontend["length"]), float(frontend.get("sample_rate") or 1.0)
    freqs = np.fft.rfftfreq(n, d=1.0 / rate)
    keep = np.ones(len(freqs), bool)
    if hp:
        keep &= freqs >= hp
    if lp:
        keep &= freqs <= lp
    inside = np.flatnonzero(keep)
    return (int(inside[0]), int(inside[-1])) if len(inside) else (0, -1)


def hann_power_sum(n: int) -> float:
    """The sum of the periodic Hann window's squares (what the band powers are divided by)."""
    window = np.hanning(n + 1)[:-1] if n > 1 else np.ones(1)
    return float((window ** 2).sum())


def fft_note(n: int) -> str:
    if is_power_of_two(n):
        return f"a real FFT of {n} points"
    return (f"a real FFT of exactly {n} points, not padded ({n} is not a power of two, so CMSIS-DSP's "
            "arm_rfft_fast_f32 cannot do it: use an FFT that takes any length, such as KISS FFT, or compute "
            "the bins as a plain DFT)")


def spectral_step(frontend: dict) -> str:
    """What ``signal_features.spectral_features`` computes, as the steps firmware must repeat."""
    n, rate = int(frontend["length"]), float(frontend.get("sample_rate") or 1.0)
    names, principal = frontend.get("channel_names") or [], frontend.get("principal_channels") or []
    pcs = [nm for nm, pc in zip(names, principal) if pc]
    n_bands, count = int(frontend.get("n_bands", 0)), len(frontend.get("feature_names") or [])
    bins = spectral_band_bins(frontend)
    hz = rate / n
    bands = ", ".join(f"band{b} = bins {lo}-{hi} ({lo * hz:g}-{hi * hz:g} Hz)" for b, (lo, hi) in enumerate(bins))
    subs = [f"m = the mean of the window's {n} values v[t] of the channel; d[t] = v[t] - m. m is the channel's "
            "first feature" + (f", except for {', '.join(pcs)}: their mean is always 0 and is not a feature."
                               if pcs else ".")]
    kept = filter_bins(frontend)
    if kept:
        limits = " and ".join(x for x in (
            f"below {frontend['highpass_hz']:g} Hz" if frontend.get("highpass_hz") else "",
            f"above {frontend['lowpass_hz']:g} Hz" if frontend.get("lowpass_hz") else "") if x)
        subs.append(f"Filter d: take {fft_note(n)} of d (no window), set every bin {limits} to 0 (bins "
                    f"{kept[0]}-{kept[1]} are kept; bin k is at k x {hz:g} Hz), and transform back with the "
                    f"inverse real FFT of {n} points, divided by {n} (so that a signal with every bin kept comes "
                    "back unchanged; most FFT libraries leave that division to you). From here on d is the "
                    "filtered signal.")
    subs += ["rms = sqrt(the mean of d[t]^2). If rms > 1e-12: skewness = the mean of (d[t] / rms)^3 and "
             "kurtosis = the mean of (d[t] / rms)^4, minus 3; otherwise both are 0.",
             f"Band powers: multiply d[t] by the periodic Hann window w[t] = 0.5 - 0.5 cos(2 pi t / {n}), take "
             + (fft_note(n) if not kept else f"the real FFT of {n} points again")
             + f", X[k] for k = 0..{n // 2} (bin k is at k x {hz:g} Hz), and the power "
             f"P[k] = |X[k]|^2 / {hann_power_sum(n):.9g} (the sum of w[t]^2). Each band is the mean of P[k] "
             f"over its bins, and its feature is log10(max(band, 1e-10)): {bands}.",
             f"The channel's features in this order: mean (if it has one), rms, skewness, kurtosis, then band0 "
             f"to band{n_bands - 1}."]
    return (f"Compute the {count} features channel by channel, in the order of the channels above (the names "
            "are feature_names in the front end below); for each channel:\n"
            + "\n".join(f"   - {s}" for s in subs))


def fft_buffers(n: int) -> str:
    """A real FFT's working memory in words: n floats in, n / 2 + 1 complex values out."""
    return (f"a real FFT of {n} points ({n} floats in and {n // 2 + 1} complex values out, "
            f"{(n + 2 * (n // 2 + 1)) * 4:,} bytes, plus any tables of the FFT library)")
