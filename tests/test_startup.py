"""`--help` and shell completion must not import SQLModel/SQLAlchemy (~0.3 s on every TAB)."""

import os
import subprocess
import sys

HEAVY = ("sqlmodel", "sqlalchemy", "questionary", "pydantic")

PROBE = """
import sys
sys.argv = {argv!r}
from capcli.app import main
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})
print('HEAVY=' + ','.join(heavy), file=sys.stderr)
"""


def _loaded(argv, **env):
    code = PROBE.format(argv=argv, heavy=HEAVY)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "CAPCLI_DB": "/nonexistent/never-created.sqlite", **env}, timeout=60)
    line = [l for l in run.stderr.splitlines() if l.startswith("HEAVY=")][-1]
    return run, line[len("HEAVY="):]


def test_help_does_not_import_heavy_modules():
    for argv in (["capcli", "--help"], ["capcli", "open", "--help"], ["capcli", "person", "add", "--help"]):
        run, heavy = _loaded(argv)
        assert "Usage" in run.stdout
        assert heavy == "", f"{argv} imported {heavy}"


def test_completion_does_not_import_heavy_modules():
    run, heavy = _loaded(["capcli"], _CAPCLI_COMPLETE="complete_bash", COMP_WORDS="capcli ad", COMP_CWORD="1")
    assert "advance" in run.stdout
    assert heavy == ""
