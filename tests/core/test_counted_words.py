"""Messages count in words: "1 recording was left out", "3 recordings were", never "1 recording(s) were"
(``sentences.counted`` and ``sentences.verb``). A walk found about 30 such "(s)" in the sensor and data reports;
this reads every string core and the app show, outside docstrings and comments, so a new one is caught."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLURAL_IN_BRACKETS = re.compile(r"[A-Za-z]\(s\)")  # "file(s)"; not a unit such as "time (s)"
CODE_IN_BRACES = re.compile(r"\{[^{}]*\}")


def shown_strings(path: Path) -> list[tuple[int, str]]:
    """String literals that are not docstrings, with the code inside an f-string's braces taken out."""
    found, before = [], tokenize.NEWLINE
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if tok.type == tokenize.STRING and before not in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            found.append((tok.start[0], CODE_IN_BRACES.sub("", tok.string)))
        if tok.type not in (tokenize.COMMENT, tokenize.NL):
            before = tok.type
    return found


def test_the_checker_sees_a_bracketed_plural_and_passes_a_unit_and_a_docstring(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text('"""Says \'1 file(s)\' nowhere."""\nA = f"{n} file(s) were skipped"\nB = "time (s)"\n'
                      'C = f"{min(s)} left"\n', encoding="utf-8")
    assert [line for line, s in shown_strings(sample) if PLURAL_IN_BRACKETS.search(s)] == [2]


def test_no_message_says_file_s():
    found = [f"{path.relative_to(ROOT)}:{line}: {text}"
             for folder in ("core", "gui") for path in sorted((ROOT / folder).rglob("*.py"))
             for line, text in shown_strings(path) if PLURAL_IN_BRACKETS.search(text)]
    assert not found, "\n".join(found)
