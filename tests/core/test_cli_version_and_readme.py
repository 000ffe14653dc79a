"""``edgeling --version`` prints the version and exits 0; every flag the README names for a command is one
that command accepts (the README once said ``crossval --folds`` while the help showed only ``--parts``)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from edgeling.core import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FLAG = re.compile(r"--[a-z][a-z0-9-]*")


def pyproject_version() -> str:
    return re.search(r'(?m)^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8")).group(1)


def test_version_prints_the_name_and_version_and_exits_0(capsys):
    assert cli.main(["--version"]) == 0
    out, err = capsys.readouterr()
    assert out == f"edgeling {pyproject_version()}\n" and err == ""


def test_a_packaged_app_with_no_install_metadata_nor_pyproject_still_says_its_version(monkeypatch, tmp_path, capsys):
    """A PyInstaller app carries neither (packaging/edgeling.spec): it said "(version unknown)"."""
    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    monkeypatch.setattr(cli, "__file__", str(tmp_path / "core" / "cli.py"))
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"edgeling {pyproject_version()}\n"


def test_the_version_the_code_says_is_the_one_pyproject_installs():
    """One version: the package's __version__ (ONNX producer, plans, --version) is pyproject's, and the installed
    metadata's when there is one."""
    from edgeling.core import __version__

    assert __version__ == pyproject_version() == metadata.version("edgeling")


def test_the_installed_command_prints_its_version():
    r = subprocess.run([sys.executable, "-m", "edgeling.core.cli", "--version"], capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert r.returncode == 0 and re.fullmatch(r"edgeling \d+\.\d+\S*\n", r.stdout), r.stdout + r.stderr


def command_line_section() -> str:
    return README.split("\n## Command line", 1)[1].split("\n## ", 1)[0]


def commands() -> dict:
    return cli.build_parser().commands


def options(name: str) -> set[str]:
    return {o for action in commands()[name]._actions for o in action.option_strings}


def table_rows() -> list[tuple[str, str]]:
    """(command, the whole row) for each row of the README's command table."""
    rows = []
    for line in command_line_section().splitlines():
        found = re.match(r"\| `([a-z]+)[ `]", line)
        if found and found.group(1) in commands():
            rows.append((found.group(1), line))
    return rows


def test_the_readme_table_has_a_row_for_every_command():
    assert sorted(name for name, _ in table_rows()) == sorted(commands())


@pytest.mark.parametrize("name, row", table_rows(), ids=[name for name, _ in table_rows()])
def test_every_flag_in_a_command_row_of_the_readme_is_one_the_command_accepts(name, row):
    unknown = sorted(set(FLAG.findall(row)) - options(name))
    assert not unknown, f"README's row for '{name}' names {unknown}, which 'edgeling {name} --help' lacks"


@pytest.mark.parametrize("name, row", table_rows(), ids=[name for name, _ in table_rows()])
def test_a_readme_rows_usage_names_each_flag_as_the_help_does(name, row):
    """The usage in the first cell says ``--parts``, as ``edgeling crossval --help`` does; an alias
    (``--folds``) may be mentioned after it."""
    usage = re.match(r"\| `([^`]*)`", row).group(1)
    primary = {o: a.option_strings[0] for a in commands()[name]._actions for o in a.option_strings}
    aliases = sorted(f for f in set(FLAG.findall(usage)) if f in primary and primary[f] != f)
    assert not aliases, f"README's usage of '{name}' says {aliases}; the help says {[primary[a] for a in aliases]}"


@pytest.mark.parametrize("name, row", table_rows(), ids=[name for name, _ in table_rows()])
def test_the_choices_a_readme_row_lists_are_the_commands(name, row):
    """``--format onnx|onnx-int8|...``, ``--quantize ptq|qat``, ``--events jsonl``: as the parser has them."""
    usage = re.match(r"\| `([^`]*)`", row).group(1).replace("\\|", "|")
    for flag, value in re.findall(r"(--[a-z][a-z0-9-]*) ([a-z0-9|-]+)", usage):
        action = next((a for a in commands()[name]._actions if flag in a.option_strings), None)
        if action is not None and action.choices is not None:      # an unknown flag fails the test above
            assert set(value.split("|")) == set(action.choices), (name, flag, value)


def inline_commands() -> list[str]:
    """Every ``edgeling COMMAND ...`` written in the README, in code spans or in the walk's code block."""
    spans = re.findall(r"`(edgeling [a-z]+[^`\n]*)`", README)
    block = command_line_section().split("```bash", 1)[1].split("```", 1)[0]
    lines = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    return spans + [line for line in lines if line.startswith("edgeling ")]


def test_the_readme_has_a_walk_to_check():
    assert sum(line.startswith("edgeling train ") for line in inline_commands()) >= 1


@pytest.mark.parametrize("line", inline_commands())
def test_every_edgeling_command_written_in_the_readme_parses(line):
    words = shlex.split(line)[1:]
    assert words[0] in commands(), f"README: '{line}': there is no command '{words[0]}'"
    unknown = sorted(set(FLAG.findall(line)) - options(words[0]))   # exactly: argparse takes '--save-result'
    assert not unknown, f"README: '{line}': {unknown} not accepted"
    if any(w.isupper() or w.startswith("<") for w in words[1:]):    # a placeholder: the flags were all to check
        return
    args, extra = cli.build_parser().parse_known_args(words)
    assert not extra, f"README: '{line}': {extra} not accepted"
