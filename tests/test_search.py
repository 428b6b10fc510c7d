"""Finding people as French offices write them: case and accents aside, on either name; exact
duplicates refused; birth dates out of bounds refused (person add, person edit)."""

import pytest

from capcli.domain.identity import fold
from tests.conftest import dump
from tests.test_prompts import ENTER, terminal


@pytest.fixture
def people(cli):
    return {
        "helene": cli.person("LÉVÊQUE", "Hélène", "--birth-date", "12/03/1984"),
        "francois": cli.person("Lefèvre", "François"),
        "oeillet": cli.person("ŒILLET", "Noël"),
        "martin": cli.person("MARTIN", "Luc"),
    }


@pytest.mark.parametrize("search", ["lévêque", "LEVEQUE", "LÉVÊQUE", "leveque", "evequ", "hélène", "HELENE",
                                    "Helene Leveque", "leveque helene", "  LÉVÊQUE   hélène "])
def test_search_ignores_case_and_accents_on_both_names(cli, people, search):
    found = cli.ok("person", "list", "--search", search, "--json").json
    assert [p["id"] for p in found] == [people["helene"]]


def test_search_folds_ligatures_and_cedillas(cli, people):
    assert [p["id"] for p in cli.ok("person", "list", "--search", "oeillet", "--json").json] == [people["oeillet"]]
    assert [p["id"] for p in cli.ok("person", "list", "--search", "NOEL", "--json").json] == [people["oeillet"]]
    assert [p["id"] for p in cli.ok("person", "list", "--search", "francois", "--json").json] == [people["francois"]]
    assert [p["id"] for p in cli.ok("person", "list", "--search", "le", "--json").json] == [
        people["francois"], people["helene"], people["oeillet"]]  # ŒILLET: "oeiLLEt"


def test_search_with_no_match_says_so_and_like_wildcards_are_plain_text(cli, people):
    assert cli.ok("person", "list", "--search", "zz").stdout == "no one matches 'zz'\n"
    assert cli.ok("person", "list", "--search", "%").stdout == "no one matches '%'\n"
    assert cli.ok("person", "list", "--search", "_").stdout == "no one matches '_'\n"
    from capcli.store.engine import open_store

    empty = cli.store_path.with_name("empty.sqlite")
    open_store(empty, create=True).close()  # reading commands refuse a path where no store exists
    assert "No person yet" in cli.ok("--db", str(empty), "person", "list").stdout


def test_fold():
    assert fold("LÉVÊQUE Hélène") == fold("leveque helene") == "leveque helene"
    assert fold("Œillet") == "oeillet" and fold("Ça") == "ca" and fold(None) is None


def test_the_open_picker_finds_people_accents_aside(cli):
    import sqlite3

    from capcli.commands.open import PERSON_CHOICES

    helene = cli.person("LÉVÊQUE", "Hélène")
    with sqlite3.connect(cli.store_path) as conn:
        conn.executemany("INSERT INTO person (last_name, first_name, rqth_definitive, created_on) "
                         "VALUES (?, 'x', 0, '2026-11-22')", [(f"NOM{i:04d}",) for i in range(PERSON_CHOICES)])
    conn.close()
    keys = ENTER + "LEVEQUE" + ENTER + ENTER + ENTER  # kind; the search; the one person found; default adviser
    with terminal(cli, keys):
        run = cli("open")
    assert run.exit_code == 0, run.stderr
    assert cli.show(int(run.stdout.split()[0]))["person"]["id"] == helene


def test_an_exact_duplicate_is_refused_naming_the_existing_person(cli, people, store_path):
    before = dump(store_path)
    message = cli.refused("person", "add", "--last-name", "leveque", "--first-name", "HELENE",
                          "--birth-date", "1984-03-12")
    assert message == (f"capcli: leveque HELENE born 12/03/1984 is already person {people['helene']}: see 'capcli "
                       f"person show {people['helene']}' (two people with the same name and birth date: add "
                       "--duplicate-ok)")
    assert dump(store_path) == before
    twin = cli.id("person", "add", "--last-name", "leveque", "--first-name", "HELENE", "--birth-date", "1984-03-12",
                  "--duplicate-ok")
    assert twin != people["helene"]
    # another birth date, or none given, is another person
    cli.ok("person", "add", "--last-name", "LÉVÊQUE", "--first-name", "Hélène", "--birth-date", "13/03/1984")
    cli.ok("person", "add", "--last-name", "LÉVÊQUE", "--first-name", "Hélène")


def test_editing_into_a_duplicate_is_refused_unless_duplicate_ok(cli, people):
    other = cli.person("LEVEQUE", "Helene", "--birth-date", "1985-01-01")
    assert cli.refused("person", "edit", str(other), "--birth-date", "12/03/1984").startswith(
        f"capcli: LEVEQUE Helene born 12/03/1984 is already person {people['helene']}")
    cli.ok("person", "edit", str(other), "--birth-date", "12/03/1984", "--duplicate-ok")
    cli.ok("person", "edit", str(other), "--phone", "06")  # names untouched: not checked again


@pytest.mark.parametrize("birth, message", [
    ("23/11/2026", "capcli: the birth date 23/11/2026 is in the future"),
    ("21/11/1926", "capcli: the birth date 21/11/1926 is more than 100 years ago: check the year"),
    ("1826-01-01", "capcli: the birth date 01/01/1826 is more than 100 years ago: check the year"),
])
def test_a_birth_date_out_of_bounds_is_refused_by_add_and_edit(cli, store_path, birth, message):
    pid = cli.person()
    before = dump(store_path)
    assert cli.refused("person", "add", "--last-name", "A", "--first-name", "B", "--birth-date", birth) == message
    assert cli.refused("person", "edit", str(pid), "--birth-date", birth) == message
    assert dump(store_path) == before


def test_the_bounds_themselves_are_accepted(cli):
    cli.ok("person", "add", "--last-name", "A", "--first-name", "B", "--birth-date", "22/11/2026")
    cli.ok("person", "add", "--last-name", "C", "--first-name", "D", "--birth-date", "22/11/1926")


def test_import_refuses_a_birth_date_out_of_bounds_naming_its_line_and_column(cli, tmp_path, store_path):
    import csv
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "cases.csv"
    rows = list(csv.reader(example.open(encoding="utf-8")))[:2]
    rows[1][rows[0].index("birth_date")] = "01/01/1850"
    path = tmp_path / "old.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert ("line 2, column birth_date: the birth date 01/01/1850 is more than 100 years ago: check the year"
            in run.stderr)
