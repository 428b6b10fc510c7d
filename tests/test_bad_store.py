"""--db pointing to what is not a usable store: a clear message, exit 1, the file untouched."""

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.conftest import dump

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself: its modes, its -wal, a killed write

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_REASON = ("running as root: chmod does not stop root from writing (CI containers run tests as root); "
               "test_read_only_store_and_directory_for_another_user covers this as the user nobody")


def _store(cli, path):
    cli.ok("--db", str(path), "person", "add", "--last-name", "A", "--first-name", "B")
    for i in range(40):
        cli.ok("--db", str(path), "person", "add", "--last-name", f"N{i}", "--first-name", "x" * 300)
    cli.ok("--db", str(path), "backup", str(path.with_name("clean.sqlite")))
    return path.with_name("clean.sqlite")


def _untouched(path, run_refused, expected):
    before = path.read_bytes()
    mode = os.stat(path).st_mode
    message = run_refused()
    assert expected in message, message
    assert path.read_bytes() == before and os.stat(path).st_mode == mode
    return message


def test_a_damaged_store(cli, tmp_path):
    clean = _store(cli, tmp_path / "s.sqlite")
    damaged = tmp_path / "damaged.sqlite"
    data = bytearray(clean.read_bytes())
    data[4096:] = bytes((i * 7) % 256 for i in range(len(data) - 4096))  # the header survives, the rest not
    damaged.write_bytes(bytes(data))
    for command in (["list"], ["person", "add", "--last-name", "C", "--first-name", "D"], ["check"], ["backup"]):
        _untouched(damaged, lambda: cli.refused("--db", str(damaged), *command),
                   "is not a capcli store (not an SQLite database, or damaged)")


def test_a_store_damaged_further_in_is_reported_by_commands_and_by_check(cli, tmp_path):
    clean = _store(cli, tmp_path / "s.sqlite")
    damaged = tmp_path / "damaged.sqlite"
    data = bytearray(clean.read_bytes())
    data[-3 * 4096:] = b"\x00\xff" * (3 * 2048)  # person rows' pages
    damaged.write_bytes(bytes(data))
    message = _untouched(damaged, lambda: cli.refused("--db", str(damaged), "person", "list"), "malformed")
    assert message.startswith("capcli: the store could not be used")
    run = cli("--db", str(damaged), "check")
    assert run.exit_code == 1 and "Traceback" not in run.stderr and run.stdout.startswith("integrity")


def test_a_file_that_is_not_sqlite_and_a_directory(cli, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("Marie DUPONT, RQTH until 2027\n" * 50)
    _untouched(text, lambda: cli.refused("--db", str(text), "person", "add", "--last-name", "A", "--first-name", "B"),
               "is not a capcli store")
    _untouched(text, lambda: cli.refused("--db", str(text), "check"), "is not a capcli store")
    assert "is a directory" in cli.refused("--db", str(tmp_path), "person", "add", "--last-name", "A",
                                           "--first-name", "B")
    assert "is a directory" in cli.refused("--db", str(tmp_path), "backup")


def test_a_location_where_nothing_can_be_created(cli):
    # /proc refuses new files even to root: a read-only location that holds in CI.
    message = cli.refused("--db", "/proc/capcli-test.sqlite", "person", "add", "--last-name", "A", "--first-name", "B")
    assert message.startswith("capcli: cannot create the store /proc/capcli-test.sqlite:")
    assert not os.path.exists("/proc/capcli-test.sqlite")


@pytest.mark.skipif(AS_ROOT, reason=ROOT_REASON)
def test_a_read_only_store_file(cli, tmp_path):
    path = tmp_path / "s.sqlite"
    _store(cli, path)
    before = dump(path)
    os.chmod(path, 0o400)
    try:
        message = cli.refused("--db", str(path), "person", "add", "--last-name", "A", "--first-name", "B")
        assert "read-only" in message or "cannot use the store" in message
        assert dump(path) == before
    finally:
        os.chmod(path, 0o600)


@pytest.mark.skipif(AS_ROOT, reason=ROOT_REASON)
def test_a_store_in_a_read_only_directory(cli, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    os.chmod(folder, 0o500)
    try:
        message = cli.refused("--db", str(folder / "s.sqlite"), "person", "add", "--last-name", "A",
                              "--first-name", "B")
        assert message.startswith("capcli: cannot create the store")
    finally:
        os.chmod(folder, 0o700)
    shutil.rmtree(folder)


def _as_nobody():
    """Run capcli as the unprivileged user ``nobody`` (root ignores file modes): for the read-only
    cases above when the tests run as root, as in CI containers. None when that is impossible."""
    import subprocess
    import sys

    setpriv = shutil.which("setpriv")
    if not AS_ROOT or setpriv is None:
        return None
    drop = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": "/tmp", "CAPCLI_TODAY": "2026-11-22", "CAPCLI_LANG": "en",
           "CAPCLI_ADVISER": "nobody"}
    probe = subprocess.run([*drop, sys.executable, "-c", "import capcli.app, sqlmodel"], capture_output=True, env=env)
    if probe.returncode != 0:  # the checkout or the virtualenv is not readable by others
        return None

    def run(*args):
        return subprocess.run([*drop, sys.executable, "-m", "capcli", *args], capture_output=True, text=True,
                              env=env, stdin=subprocess.DEVNULL)

    return run


@pytest.fixture
def shared_dir():
    import tempfile

    folder = tempfile.mkdtemp(prefix="capcli-ro-")
    os.chmod(folder, 0o755)  # others may enter, only root may create
    yield folder
    shutil.rmtree(folder)


@pytest.mark.skipif(_as_nobody() is None, reason="needs root and setpriv to run as another user")
def test_read_only_store_and_directory_for_another_user(cli, shared_dir):
    from pathlib import Path

    run = _as_nobody()
    path = Path(shared_dir) / "s.sqlite"
    _store(cli, path)
    os.chmod(path, 0o644)
    before, mode = path.read_bytes(), os.stat(path).st_mode
    for command in (["person", "add", "--last-name", "C", "--first-name", "D"], ["list"]):
        done = run("--db", str(path), *command)
        assert done.returncode == 1, done.stdout + done.stderr
        assert done.stderr == f"capcli: the store {path} is read-only: check its permissions\n"
        assert path.read_bytes() == before and os.stat(path).st_mode == mode
    copy = Path(shared_dir) / "copy.sqlite"  # what the README advises for read-only hands-out
    cli.ok("--db", str(path), "backup", str(copy))
    os.chmod(copy, 0o644)
    done = run("--db", str(copy), "person", "list", "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 41
    missing = Path(shared_dir) / "new.sqlite"
    done = run("--db", str(missing), "person", "add", "--last-name", "C", "--first-name", "D")
    assert done.returncode == 1
    assert done.stderr.startswith(f"capcli: cannot create the store {missing}:") and "\n" == done.stderr[-1]
    assert "Traceback" not in done.stderr and not missing.exists()


def test_created_files_are_owner_only_whatever_the_umask(cli, tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "s.sqlite"
        cli.ok("--db", str(path), "person", "add", "--last-name", "A", "--first-name", "B")
        backup = tmp_path / "b.sqlite"
        cli.ok("--db", str(path), "backup", str(backup))
        export = tmp_path / "p.json"
        cli.ok("--db", str(path), "person", "export", "1", "-o", str(export))
    finally:
        os.umask(old)
    for f in (path, backup, export):
        assert stat.S_IMODE(os.stat(f).st_mode) == 0o600, f


def test_no_output_file_is_ever_written_over_a_store(cli, tmp_path):
    path = tmp_path / "s.sqlite"
    _store(cli, path)
    backup = path.with_name("clean.sqlite")  # any SQLite database, not only the one in use
    wal = Path(str(path) + "-wal")  # the files beside a store too (refused by their store's header)
    for target in (path, backup, wal):
        before = dump(target) if target != wal else None
        for command in (["export", "cases", "-o", str(target)], ["due", "--ics", str(target)],
                        ["person", "export", "1", "-o", str(target)]):
            message = cli.refused("--db", str(path), *command)
            assert message.startswith(
                f"capcli: {target} is an SQLite database (a capcli store?): capcli never writes over one"), message
            if before is not None:
                assert dump(target) == before
    assert cli.ok("--db", str(path), "check").stdout == "store OK\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_one_line(cli, tmp_path):
    path = tmp_path / "s.sqlite"
    _store(cli, path)
    assert cli.refused("--db", str(path), "export", "persons", "-o", "/dev/full") == (
        "capcli: the system refused: No space left on device")


def test_a_bug_is_one_line_without_its_values_unless_capcli_debug(cli, monkeypatch):
    from capcli.services import cases

    pid = cli.person("DUPONT", "Marie")
    case_id = cli.open("maintien", pid)

    def broken(store, case_id):
        raise ValueError("DUPONT Marie, inapte")  # what a bug's message could carry

    monkeypatch.setattr(cases, "case_detail", broken)
    run = cli("show", str(case_id), CAPCLI_DEBUG="")
    assert run.exit_code == 1
    assert run.stderr == ("capcli: internal error (ValueError): nothing was written; run again with "
                          "CAPCLI_DEBUG=1 and report what it prints\n")
    with pytest.raises(ValueError):
        cli("show", str(case_id))  # CAPCLI_DEBUG=1 (the tests' default): the exception itself


def test_a_file_name_with_a_nul_character_is_one_line(cli, tmp_path):
    for args in (["--db", "a\x00b", "list"], ["backup", "x\x00"], ["import", "f\x00.csv"],
                 ["export", "cases", "-o", "o\x00.csv"], ["person", "export", "1", "-o", "p\x00"],
                 ["due", "--ics", "c\x00.ics"]):
        message = cli.refused(*args)
        assert "contains a NUL character" in message, (args, message)
