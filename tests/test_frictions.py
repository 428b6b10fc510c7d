"""The small frictions of a newcomer's first day (issue 20)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = shutil.which("capcli", path=str(Path(sys.executable).parent)) or shutil.which("capcli")  # as test_script
needs_script = pytest.mark.skipif(SCRIPT is None, reason="capcli is not installed as a script")


# --- 3. `capcli demo` suggests commands that work as typed ----------------------------


def test_demo_names_capcli_as_it_can_be_run_again(tmp_path):
    from capcli.commands.demo import invocation

    script = tmp_path / "bin" / "capcli"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    other = tmp_path / "capcli"
    other.write_text("#!/bin/sh\n")
    assert invocation(str(script), str(script), "/usr/bin/python3") == "capcli"  # on the PATH
    assert invocation(str(script), None, "/usr/bin/python3") == str(script)  # not on the PATH
    assert invocation(str(script), str(other), "/usr/bin/python3") == str(script)  # another capcli on the PATH
    assert invocation("my dir/capcli", None, "/x/python") == "'my dir/capcli'"  # quoted for the shell
    assert invocation("/x/capcli/__main__.py", None, "/x/python") == "/x/python -m capcli"


def _demo_hint(args, cwd, path_env):
    env = {**os.environ, "PATH": path_env, "CAPCLI_TODAY": "2026-11-22", "CAPCLI_ADVISER": "alice",
           "CAPCLI_LANG": "en"}
    run = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip().splitlines()[-1]


@needs_script
def test_demo_hint_is_the_script_as_typed_when_capcli_is_not_on_the_path(tmp_path):
    bin_dir = Path(SCRIPT).parent
    demo = tmp_path / "demo.sqlite"
    # the README's first command: `.venv/bin/capcli demo`, capcli not on the PATH
    relative = os.path.join(bin_dir.parent.name, bin_dir.name, "capcli")
    hint = _demo_hint([relative, "--db", str(demo), "demo"], bin_dir.parent.parent, "/usr/bin:/bin")
    assert hint == f"Try: {relative} --db {demo} show 1"
    # on the PATH: plain `capcli`
    hint = _demo_hint(["capcli", "--db", str(demo), "demo"], tmp_path, f"{bin_dir}:/usr/bin:/bin")
    assert hint == f"Try: capcli --db {demo} show 1"
