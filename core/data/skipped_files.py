"""Files an importer could not use, collected with the reason for each and reported once per reason, so a
user sees "12 files could not be read as an image: the file ends early (truncated)" and the list."""

from __future__ import annotations

from collections import defaultdict

from edgeling.core.data import report as R

ADVICE = {
    R.EMPTY_FILE: "These files hold no data at all (0 bytes), often from a copy or download that did not "
                  "finish. Copy them again from the original, or delete them.",
    R.CORRUPT_FILE: "Open each file in another program to check it. Copy it again from the original, "
                    "convert it to a supported format, or delete it.",
}


class SkippedFiles:
    def __init__(self, what: str):
        self.what = what  # "an image", "audio"
        self._by: dict[tuple[str, str], list[str]] = defaultdict(list)

    def add(self, code: str, source: str, reason: str) -> None:
        self._by[(code, reason)].append(source)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by.values())

    def files(self) -> list[str]:
        return [f for v in self._by.values() for f in v]

    def report_to(self, report: R.Report) -> None:
        for (code, reason), files in self._by.items():
            n = len(files)
            noun = "file" if n == 1 else "files"
            if code == R.EMPTY_FILE:
                message = (f"{n} {noun} {'is' if n == 1 else 'are'} empty (0 bytes) and "
                           f"{'was' if n == 1 else 'were'} skipped.")
            else:
                message = (f"{n} {noun} could not be read as {self.what}: {reason}. "
                           f"{'It was' if n == 1 else 'They were'} skipped.")
            report.add(code, message, ADVICE.get(code, ""), files=sorted(files), severity="warning")
