"""What the sensor import says about the rate recordings were read at, beyond the rate they were made at
(``timeseries_align.common_rate``): recordings with no timestamps taken to be at the others' rate, and a rate
chosen above every recording's."""

from __future__ import annotations

from edgeling.core.data import report as R
from edgeling.core.sentences import counted, verb
from edgeling.core.terminal_hint import in_terminal

TOLERANCE = 0.02     # as timeseries_align.RATE_TOLERANCE: rates this close are one rate


def report_all_raised(slower: list, rate: float, report: R.Report) -> None:
    """The rate chosen is above every recording's: all were resampled up to it, which adds nothing they lack."""
    lowest, highest = min(r.rate for r in slower), max(r.rate for r in slower)
    made = f"{lowest:.4g}" if abs(highest - lowest) <= TOLERANCE * highest else f"{lowest:.4g} to {highest:.4g}"
    report.add(R.SAMPLE_RATE_MISMATCH,
               f"You chose {rate:.4g} samples per second, more than the {made} per second the recordings were made "
               f"at, so every recording was resampled up to it. Resampling up cannot add what was never recorded: "
               f"they hold no vibration faster than {lowest / 2:.4g} Hz, while a device reading at {rate:.4g} per "
               f"second sees up to {rate / 2:.4g} Hz, which the model never met.",
               f"Nothing to do if the device reads at {rate:.4g} per second and what you measure is slower than "
               f"{lowest / 2:.4g} Hz. For the closest match, record the training data with the device itself.",
               files=[f"{r.source} ({r.rate:.4g} per second)" for r in slower], severity="warning")


def report_untimed(untimed: list, rate: float, report: R.Report) -> None:
    """Recordings without timestamps among timed ones, taken to be at their rate (the pump walk: a 100 Hz
    recording read at 200 per second was said as a note)."""
    n = len(untimed)
    report.add(R.SAMPLE_RATE_MISMATCH,
               f"{counted(n, 'recording has', 'recordings have')} no timestamps (no column of times that could "
               f"be read), so {verb(n, 'it was', 'they were')} taken to be at {rate:.4g} samples per second like "
               f"the others. If {verb(n, 'it was', 'they were')} recorded at another rate, {verb(n, 'its', 'their')} "
               "readings are stretched or squeezed in time, and the model learns the wrong speed of every "
               "movement or vibration in them.",
               f"Add a timestamp column (seconds, milliseconds, or times such as 08:00:00.005) to "
               f"{verb(n, 'it', 'them')}, or give the rate {verb(n, 'it was', 'they were')} recorded at ('read at' on the "
               f"Data page{in_terminal('--sample-rate')}: every recording is then read at that rate); if that was "
               f"{rate:.4g} per second, nothing to do.", files=[r.source for r in untimed], severity="warning")
