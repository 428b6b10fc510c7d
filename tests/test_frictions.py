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
    from capcli.render.store import invocation

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


# --- 5. the SIRET message says what its check catches ---------------------------------


def test_the_siret_check_catches_what_its_message_says():
    from capcli.domain.validate import siret
    from capcli.errors import InvalidValue

    good = "73282932000009"

    def refused(number):
        try:
            siret(number)
        except InvalidValue as exc:
            return exc.message
        return None

    for i in range(14):  # any one wrong digit
        for digit in "0123456789":
            if digit != good[i]:
                assert refused(good[:i] + digit + good[i + 1:]), (i, digit)
    for i in range(13):  # two neighbours swapped, unless they are 0 and 9
        pair = good[i:i + 2]
        if pair[0] != pair[1]:
            swapped = good[:i] + pair[::-1] + good[i + 2:]
            assert bool(refused(swapped)) == (set(pair) != {"0", "9"}), swapped
    assert refused("73282932000090") is None  # the swap the message does not promise to catch
    assert refused("73282932000008") == ("invalid SIRET '73282932000008': the check digit does not match (it "
                                         "catches one wrong digit, and two neighbouring digits swapped unless "
                                         "they are 0 and 9)")
    assert refused("356 000 000 49838") == ("invalid SIRET '356 000 000 49838': the digits of a La Poste SIRET "
                                            "(356 000 000 …) add up to a multiple of 5, these add up to 46")
    assert refused("35600000049837") is None and refused("35600000049873") is None  # no swap is caught there


# --- 6. a move to the date a contact already has changes nothing ---------------------


def _veille(cli):
    """A veille opened on 04/05/2026: its contacts are due 04/11/2026, 04/05/2027, 04/11/2027."""
    mee = cli.open("maintien-en-emploi", cli.person(), "--on", "2026-01-10")
    [opened] = cli.ok("close", str(mee), "--outcome", "reconversion", "--a-risque", "--on", "2026-05-04",
                      "--json").json["opened"]
    return opened["id"], [c["id"] for c in opened["contacts"]]


def test_a_move_to_the_same_date_changes_and_journals_nothing(cli, store_path):
    from tests.conftest import dump

    veille_id, contacts = _veille(cli)
    before = dump(store_path)
    run = cli.ok("contact", "move", str(contacts[1]), "--on", "04/05/2027", "--note", "again")
    assert run.stdout == (f"contact {contacts[1]} (2/3, case {veille_id} veille) is already due Tue 04/05/2027: "
                          "nothing changed\n")
    assert run.stderr == ""
    data = cli.ok("contact", "move", str(contacts[1]), "--on", "2027-05-04", "--json").json
    assert data == {"id": contacts[1], "case_id": veille_id, "number": 2, "of": 3, "due_on": "2027-05-04",
                    "done_on": None, "at_risk": None, "note": None, "moved": False}
    assert dump(store_path) == before  # no journal entry, nothing written
    # a real move still journals, and says it moved
    data = cli.ok("contact", "move", str(contacts[1]), "--on", "2027-06-01", "--json").json
    assert (data["due_on"], data["moved"]) == ("2027-06-01", True)
    assert cli.show(veille_id)["events"][-1]["detail"] == "2 2027-05-04 -> 2027-06-01"
    # a done contact is still refused, even to its own date
    cli.ok("contact", "done", str(contacts[0]))
    assert "a done contact is not moved" in cli.refused("contact", "move", str(contacts[0]), "--on", "2026-11-04")


# --- 7. a bad value given is reported before a missing option (no terminal) -----------


@pytest.mark.parametrize("args, message", [
    (["need", "add", "{case}", "--category", "bogus"], "unknown need category 'bogus'"),
    (["need", "add", "{case}", "--description", "x", "--funder", "bogus"], "unknown funder 'bogus'"),
    (["need", "add", "{case}", "--amount", "12,345"], "invalid amount '12,345'"),
    (["need", "set", "1", "--on", "31/02/2026"], "invalid --on '31/02/2026'"),
    (["open", "--person", "{person}", "--requested-by", "bogus"], "unknown requester 'bogus'"),
    (["open", "maintien", "--on", "2026-13-01"], "invalid --on '2026-13-01'"),
    (["open", "maintien", "--follows", "abc"], "invalid case id 'abc'"),
    (["close", "{case}", "--on", "2026-13-01"], "invalid --on '2026-13-01'"),
    (["close", "{case}", "--contract", "bogus"], "unknown contract 'bogus'"),
    (["employer", "add", "--siret", "73282932000008"], "invalid SIRET '73282932000008'"),
    (["employer", "add", "--name", "X", "--sector", "bogus"], "unknown sector 'bogus'"),
    (["employer", "add", "--siret", "73282932000009", "--name", " "], "employer name cannot be empty"),
    (["person", "add", "--last-name", "DUPONT", "--birth-date", "31/02/1980"], "invalid --birth-date '31/02/1980'"),
    (["person", "add", "--email", "nowhere"], "invalid e-mail address 'nowhere'"),
    (["person", "add", "--first-name", "Marie", "--boeth", "bogus"], "unknown BOETH title 'bogus'"),
])
def test_a_bad_value_given_is_reported_before_a_missing_option(cli, store_path, args, message):
    from tests.conftest import dump

    person = cli.person()
    case = cli.open("acces-emploi", person, "--on", "2026-10-01")
    before = dump(store_path)
    line = cli.refused(*[a.format(case=case, person=person) for a in args])
    assert message in line and "missing" not in line, line
    assert dump(store_path) == before


def test_a_missing_option_is_still_a_usage_error_when_the_values_given_are_good(cli):
    case = cli.open("acces-emploi", cli.person(), "--on", "2026-10-01")
    run = cli("need", "add", str(case), "--category", "formation", "--amount", "1250,50")
    assert (run.exit_code, run.stderr) == (2, "capcli: missing --description (there is no terminal to ask on)\n")
    run = cli("person", "add", "--last-name", "DUPONT", "--birth-date", "12/03/1984")
    assert (run.exit_code, run.stderr) == (2, "capcli: missing --first-name (there is no terminal to ask on)\n")


# --- 8. codes and amounts as a French adviser types them ------------------------------


@pytest.mark.parametrize("text, cents", [
    ("1.250,50", 125050), ("1 250,50", 125050), ("1250.50", 125050), ("1,250.50", 125050),
    ("1.250.000", 125000000), ("1.250.000,5 €", 125000050), ("1\u202f250,50\u00a0€", 125050), ("12,5", 1250),
])
def test_amounts_with_grouped_thousands(text, cents):
    from capcli.domain.needs import parse_amount

    assert parse_amount(text) == cents


@pytest.mark.parametrize("text, message", [
    ("1.250", "invalid amount '1.250': 1250 €? write euros like 1250 or 1.250,00 (at most 2 decimals: a dot or "
              "comma before 3 digits is ambiguous)"),
    ("12,345", "invalid amount '12,345': 12345 €? write euros like 12345 or 12,345.00 (at most 2 decimals: a dot "
               "or comma before 3 digits is ambiguous)"),
    ("1.250.50", "invalid amount '1.250.50': write euros like 1250, 1250.50 or 1 250,50"),
    ("0.250", "invalid amount '0.250': write euros like 1250, 1250.50 or 1 250,50"),
    ("1.2500,00", "invalid amount '1.2500,00': write euros like 1250, 1250.50 or 1 250,50"),
])
def test_ambiguous_or_misgrouped_amounts_say_how_to_write_them(text, message):
    from capcli.domain.needs import parse_amount
    from capcli.errors import InvalidValue

    with pytest.raises(InvalidValue) as refused:
        parse_amount(text)
    assert refused.value.message == message


def test_codes_typed_with_accents_capitals_or_spaces(cli, store_path):
    from tests.conftest import SIRET_A, SIRET_B, dump

    first = cli.ok("employer", "add", "--siret", SIRET_A, "--name", "A", "--sector", "privé", "--json").json["id"]
    second = cli.ok("employer", "add", "--siret", SIRET_B, "--name", "B", "--sector", "Public", "--json").json["id"]
    assert [e["sector"] for e in cli.ok("employer", "list", "--json").json] == ["prive", "public"]
    person = cli.id("person", "add", "--last-name", "DUPONT", "--first-name", "Marie", "--boeth", "Invalidité")
    case = cli.id("open", "Maintien", "--person", str(person), "--employer", str(first), "--on", "2026-06-01",
                  "--requested-by", "Employeur")
    cli.ok("advance", str(case), "--to", "Diagnostic", "--on", "2026-06-15")
    need = cli.ok("need", "add", str(case), "--category", "Aménagement poste", "--description", "siège",
                  "--funder", "France_Travail", "--amount", "1.250,50", "--json").json
    assert need["funder"] == "france-travail"
    cli.ok("advance", str(case), "--to", "Mise-en-Œuvre", "--on", "2026-07-01")
    cli.ok("close", str(case), "--outcome", "MAINTIEN-POSTE", "--on", "2026-08-20")
    shown = cli.show(case)
    assert (shown["kind"], shown["phase"], shown["outcome"], shown["requested_by"]) == (
        "maintien", "mise-en-oeuvre", "maintien-poste", "employeur")
    assert [(n["category"], n["amount"]) for n in shown["needs"]] == [("amenagement-poste", 1250.5)]
    assert cli.ok("person", "show", str(person), "--json").json["boeth"] == "invalidite"
    assert second
    before = dump(store_path)
    assert cli.refused("employer", "add", "--siret", SIRET_A, "--name", "C", "--sector", "privée") == (
        "capcli: unknown sector 'privée': did you mean 'prive'? (valid: prive, public)")
    assert dump(store_path) == before


# --- 9. a reader that stops early is no failure: quiet, status 0 ----------------------


def _script_env(store):
    return {**os.environ, "CAPCLI_DB": str(store), "CAPCLI_TODAY": "2026-11-22", "CAPCLI_ADVISER": "alice",
            "CAPCLI_LANG": "en", "NO_COLOR": "1"}


@needs_script
def test_piped_into_head_capcli_ends_quietly_with_status_0(tmp_path):
    import sqlite3

    store = tmp_path / "s.sqlite"
    env = _script_env(store)
    subprocess.run([SCRIPT, "person", "add", "--last-name", "A", "--first-name", "B"], env=env, check=True,
                   capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    with sqlite3.connect(store) as conn:  # far more than a pipe holds: capcli is still writing when head exits
        conn.executemany("INSERT INTO person (last_name, first_name, rqth_definitive, created_on) "
                         "VALUES (?, 'x', 0, '2026-11-22')", [(f"NOM{i:05d}",) for i in range(20000)])
    conn.close()
    for args in (["person", "list"], ["person", "list", "--json"], ["export", "persons"]):
        run = subprocess.run(["bash", "-c", 'set -o pipefail; "$@" | head -1', "bash", SCRIPT, *args],
                             capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)
        assert (run.returncode, run.stderr, run.stdout.count("\n")) == (0, "", 1), (args, run.stderr)


@needs_script
def test_a_reader_gone_before_the_first_write_is_no_failure_either(tmp_path):
    demo = tmp_path / "demo.sqlite"
    env = _script_env(demo)
    subprocess.run([SCRIPT, "--db", str(demo), "demo"], env=env, check=True, capture_output=True,
                   stdin=subprocess.DEVNULL, timeout=60)

    def closed_reader(*args):
        read, write = os.pipe()
        os.close(read)  # `| head` gone before capcli writes anything: every write is a broken pipe
        try:
            return subprocess.run([SCRIPT, *args], stdout=write, stderr=subprocess.PIPE, text=True, env=env,
                                  stdin=subprocess.DEVNULL, timeout=60)
        finally:
            os.close(write)

    for args in (["report"], ["report", "--csv"], ["show", "1"], ["list"], ["due", "--all"], ["due", "--json"],
                 ["--help"], ["--version"], ["person", "--help"]):
        run = closed_reader(*args)
        assert (run.returncode, run.stderr) == (0, ""), (args, run.stderr)
    refused = closed_reader("show", "999")  # a refusal stays one: its line on stderr, status 1
    assert (refused.returncode, refused.stderr) == (1, "capcli: no case with id 999: see 'capcli list'\n")


@pytest.mark.parametrize("error, status, said", [
    (BrokenPipeError(32, "Broken pipe"), 0, ""),
    (OSError(28, "No space left on device"), 1, "capcli: the system refused: No space left on device\n"),
])
def test_the_last_flush_at_exit(monkeypatch, capsys, error, status, said):
    from capcli.render import ui

    class Stdout:
        def flush(self):
            raise error

    monkeypatch.setattr(sys, "stdout", Stdout())
    with pytest.raises(SystemExit) as exited:
        ui.exit_flushed(0)
    assert exited.value.code == status
    assert capsys.readouterr().err == said
