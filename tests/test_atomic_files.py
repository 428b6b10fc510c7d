"""Interrupted work never leaves a file that looks valid (issue 14.1): every file capcli writes goes
to a temporary file beside its target and is renamed over it once whole; a symbolic link at the
target is refused; an empty or table-less file is never taken for a new store."""

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself: its modes, its -wal, a killed write

CAPCLI = Path(sys.executable).with_name("capcli")  # the installed script


def _start(store_path, *args, **env):
    return subprocess.Popen(
        [str(CAPCLI), "--db", str(store_path), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CAPCLI_TODAY": "2026-11-22", "CAPCLI_LANG": "en", "CAPCLI_ADVISER": "bob", **env})


def _temps(folder: Path, target: Path) -> list[Path]:
    return sorted(folder.glob(f".{target.name}.capcli-tmp-*"))


def _wait_for_temp(worker, folder: Path, target: Path) -> Path:
    """The temporary file of ``target``, once the worker has written into it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for temp in _temps(folder, target):
            try:
                if temp.stat().st_size > 0:
                    return temp
            except FileNotFoundError:
                pass
        assert worker.poll() is None, worker.communicate()
        time.sleep(0.002)
    raise AssertionError("no temporary file appeared")


def _signal_midway(store_path, target: Path, sig, *args, **env):
    """Run `capcli ARGS`, send ``sig`` once it has written into its temporary file: (status, stderr, temp)."""
    worker = _start(store_path, *args, **env)
    try:
        temp = _wait_for_temp(worker, target.parent, target)
        os.kill(worker.pid, sig)
        _out, err = worker.communicate(timeout=60)
    finally:
        worker.kill()
        worker.wait(timeout=30)
    return worker.returncode, err, temp


def _store_with_pages(cli, store_path, persons=60):
    cli.person("DUPONT", "Marie")
    for i in range(persons):
        cli.person(f"N{i}", "x" * 300)


def _big_store(cli, store_path, persons=150_000):
    """Enough persons that `export persons` writes for a while."""
    cli.person("DUPONT", "Marie")
    conn = sqlite3.connect(store_path)
    with conn:
        conn.executemany("INSERT INTO person (last_name, first_name, address, created_on) VALUES (?, ?, ?, ?)",
                         ((f"P{i}", "Jean", "12 rue des Lilas, 34000 Montpellier", "2026-11-22")
                          for i in range(persons)))
    conn.close()


# --- backup ------------------------------------------------------------------------------


def test_a_backup_killed_midway_leaves_no_backup_only_a_temporary_file(cli, store_path, tmp_path):
    _store_with_pages(cli, store_path)
    target = tmp_path / "b.sqlite"
    status, _err, temp = _signal_midway(store_path, target, signal.SIGKILL, "backup", str(target),
                                        CAPCLI_TEST_SLOW_BACKUP="0.05")
    assert status == -signal.SIGKILL
    assert not target.exists()  # nothing to mistake for a backup
    assert temp.name.startswith(".b.sqlite.capcli-tmp-") and stat.S_IMODE(temp.stat().st_mode) == 0o600
    assert cli.refused("--db", str(target), "check") == (
        f"capcli: no store at {target}: check --db or CAPCLI_DB; 'capcli person add' creates it")
    assert cli.ok("check").stdout == "store OK\n"  # the store itself is sound


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_backup_stopped_by_sigterm_or_sighup_removes_its_temporary_file(cli, store_path, tmp_path, sig):
    _store_with_pages(cli, store_path)
    target = tmp_path / "b.sqlite"
    status, err, _temp = _signal_midway(store_path, target, sig, "backup", str(target), CAPCLI_TEST_SLOW_BACKUP="0.05")
    assert status == 128 + sig
    assert err == f"capcli: stopped by {signal.Signals(sig).name}: {target} was not written\n"
    assert not target.exists() and not list(tmp_path.glob(".b.sqlite*"))


def test_a_backup_whole_is_a_sound_store_and_leaves_no_temporary_file(cli, store_path, tmp_path):
    _store_with_pages(cli, store_path, persons=5)
    target = tmp_path / "b.sqlite"
    run = _start(store_path, "backup", str(target), CAPCLI_TEST_SLOW_BACKUP="0.001")
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    assert out == f"{target}\n" and not _temps(tmp_path, target)
    assert cli.ok("--db", str(target), "check").stdout == "store OK\n"


def test_a_backup_to_a_missing_folder_says_so_in_the_users_language(cli, store_path, tmp_path):
    cli.person()
    target = tmp_path / "usb" / "b.sqlite"
    assert cli.refused("backup", str(target)) == (
        f"capcli: cannot write the backup {target}: the folder {target.parent} does not exist")
    from capcli import i18n

    i18n.reset()  # the language is read once per process: as a new process would
    french = cli.refused("backup", str(target), CAPCLI_LANG="fr")
    assert french.startswith(f"capcli: impossible d'écrire la sauvegarde {target} : ") and "n'existe pas" in french
    assert "No such file" not in french
    assert not target.parent.exists()


# --- stores that are not stores ----------------------------------------------------------


def test_an_empty_file_is_not_taken_for_a_new_store(cli, tmp_path):
    empty = tmp_path / "restored.sqlite"
    empty.touch()
    message = (f"capcli: {empty} is empty (0 bytes): not a capcli store; a killed copy? restore a backup, or "
               "delete it to start a new store")
    for command in (["check"], ["list"], ["due"], ["person", "add", "--last-name", "A", "--first-name", "B"]):
        assert cli.refused("--db", str(empty), *command) == message, command
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["restored.sqlite"]  # no -wal, no -shm
    # the fast path of `capcli due` (the installed script) says the same
    run = subprocess.run([str(CAPCLI), "--db", str(empty), "due"], capture_output=True, text=True,
                         env={**os.environ, "CAPCLI_LANG": "en"}, timeout=60)
    assert (run.returncode, run.stderr) == (1, message + "\n")


def test_an_sqlite_file_without_capclis_tables_is_not_a_store(cli, tmp_path):
    bare = tmp_path / "bare.sqlite"
    conn = sqlite3.connect(bare)
    conn.execute("PRAGMA user_version = 1")  # a header, no table
    conn.close()
    before = bare.read_bytes()
    for command in (["check"], ["person", "add", "--last-name", "A", "--first-name", "B"]):
        assert cli.refused("--db", str(bare), *command) == (
            f"capcli: {bare} is an SQLite database without capcli's tables: not a capcli store; a killed copy? "
            "restore a backup, or delete it to start a new store")
    assert bare.read_bytes() == before


# --- exports -------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_an_export_cut_short_keeps_the_previous_file(cli, store_path, tmp_path, sig):
    _big_store(cli, store_path)
    out = tmp_path / "persons.csv"
    out.write_text("the export of last week\n")
    status, err, _temp = _signal_midway(store_path, out, sig, "export", "persons", "-o", str(out))
    assert out.read_text() == "the export of last week\n"
    if sig == signal.SIGTERM:  # turned into an exception while writing: the temporary file is removed
        assert status == 143
        assert err == f"capcli: stopped by SIGTERM: {out} was not written\n"
        assert not _temps(tmp_path, out)
    else:
        assert status == -signal.SIGKILL


def test_an_export_replaces_the_previous_file_whole_and_owner_only(cli, tmp_path):
    cli.person()
    out = tmp_path / "persons.csv"
    out.write_text("old\n")
    os.chmod(out, 0o644)
    for command in (["export", "persons", "-o", str(out)], ["person", "export", "1", "-o", str(out)],
                    ["due", "--ics", str(out)]):
        cli.ok(*command)
        assert out.read_text() != "old\n" and stat.S_IMODE(out.stat().st_mode) == 0o600, command
        assert sorted(p.name for p in tmp_path.iterdir() if "capcli-tmp" in p.name) == []


def test_a_symbolic_link_at_the_target_is_refused_and_its_file_untouched(cli, store_path, tmp_path):
    cli.person()
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file\n")
    os.chmod(victim, 0o644)
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    for command in (["export", "persons", "-o", str(link)], ["due", "--ics", str(link)],
                    ["person", "export", "1", "-o", str(link)]):
        assert cli.refused(*command) == (
            f"capcli: {link} is a symbolic link: capcli does not write through one; give the file's own name")
    assert "already exists" in cli.refused("backup", str(link))
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    assert "is a symbolic link" in cli.refused("export", "persons", "-o", str(dangling))
    assert victim.read_text() == "someone else's file\n" and stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert link.is_symlink() and not (tmp_path / "nowhere.csv").exists()
    assert not list(tmp_path.glob(".*capcli-tmp*"))


def test_a_device_is_written_in_place_and_keeps_its_mode(cli):
    cli.person()
    before = os.stat("/dev/null")
    assert "1 row written to /dev/null" in cli.ok("export", "persons", "-o", "/dev/null").stdout
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_mode == before.st_mode
