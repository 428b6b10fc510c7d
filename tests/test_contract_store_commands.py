"""Issue 15.4 for due, report and the store commands: help texts list their codes from the domain,
TAB completion offers them, and metavars say what a value is."""

import os
import subprocess
import sys

import pytest

from capcli.domain import report as figures
from capcli.domain.records import REPORTS
from capcli.domain.settings import BOUNDS


def _complete(words: str) -> list[str]:
    """What bash completion offers for ``words`` (the last one being typed), through the real app."""
    env = {**os.environ, "_CAPCLI_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)), "CAPCLI_LANG": "en"}
    code = "import sys; sys.argv = ['capcli']; from capcli.app import main; main()"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    return run.stdout.split()


@pytest.mark.parametrize("words, expected", [
    ("capcli export ", list(REPORTS)),
    ("capcli export co", [r for r in REPORTS if r.startswith("co")]),
    ("capcli settings ", list(BOUNDS)),
    ("capcli settings due", ["due_days"]),
    ("capcli report --section ", list(figures.SECTIONS)),
    ("capcli report --by ", list(figures.GROUPINGS)),
])
def test_tab_completion_offers_the_domain_codes(words, expected):
    assert _complete(words) == expected


def test_help_texts_list_the_codes_from_the_domain(cli):
    def text(*args):
        return " ".join(cli.ok(*args, "--help").stdout.split())

    assert ", ".join(REPORTS) in text("export")
    assert ", ".join(BOUNDS) in text("settings")
    report = text("report")
    assert ", ".join(figures.SECTIONS) in report and ", ".join(figures.GROUPINGS) in report
    for option in ("--from DATE", "--to DATE", "--adviser NAME", "--section CODE", "--by CODE"):
        assert option in report, option
    assert "--since DATE" in text("export") and "-o, --output FILE" in text("export")


@pytest.mark.parametrize("command", ["due", "import", "export", "report", "settings", "demo", "backup", "check",
                                     "purge"])
def test_every_command_of_the_group_has_json(cli, command):
    assert "--json" in cli.ok(command, "--help").stdout
