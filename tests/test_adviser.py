"""The advisers of a store: a team store knows its advisers (a typo is not a new caseload) and
signs every write with the database login; a local store takes any name."""

import pytest

from tests.conftest import dump
from tests.test_import import cases_file, row


def test_adviser_list_shows_every_caseload_with_its_open_cases(cli, backend):
    person = cli.person()
    cli.open("maintien", person)
    cli.open("acces-emploi", cli.person("MARTIN", "Luc"), "--adviser", "bob")
    rows = {r["name"]: r for r in cli.ok("adviser", "list", "--json").json}
    assert (rows["alice"]["open"], rows["alice"]["cases"]) == (1, 1)
    assert (rows["bob"]["open"], rows["bob"]["cases"]) == (1, 1)
    text = cli.ok("adviser", "list").stdout.splitlines()
    assert text[0].split() == ["adviser", "open", "cases", "added"]


@pytest.mark.sqlite_only
def test_a_local_store_takes_any_adviser_name(cli):
    cli.open("maintien", cli.person(), "--adviser", "anyone")
    assert cli.refused("adviser", "add", "bob") == (
        "capcli: a local store takes any adviser name: the list of advisers is kept by a team store "
        "(--db postgresql://…)")


@pytest.mark.team_only
@pytest.mark.parametrize("command", [
    ("open", "maintien", "--person", "{person}", "--adviser", "bbo"),
    ("reassign", "--from", "alice", "--to", "bbo"),
    ("case", "edit", "{case}", "--adviser", "bbo"),
])
def test_on_a_team_store_an_unknown_adviser_is_refused_and_nothing_is_written(cli, store_path, backend, command):
    person = cli.person()
    case = cli.open("acces-emploi", person)
    before = dump(store_path)
    args = [a.format(person=person, case=case) for a in command]
    assert cli.refused(*args) == (
        "capcli: 'bbo' is not an adviser of this team store: see 'capcli adviser list' ('capcli adviser add bbo' "
        "registers a new one)")
    assert dump(store_path) == before


@pytest.mark.team_only
def test_an_adviser_added_may_then_be_given_cases(cli, backend):
    assert cli.ok("adviser", "add", "zoé").stdout == "zoé is an adviser of this store\n"
    assert cli.refused("adviser", "add", "zoé") == "capcli: 'zoé' is already an adviser of this store"
    assert cli.refused("adviser", "add", "  ") == "capcli: give the adviser's name"
    case = cli.open("maintien", cli.person(), "--adviser", "zoé")
    assert cli.show(case)["adviser"] == "zoé"
    entry = {r["name"]: r for r in cli.ok("adviser", "list", "--json").json}["zoé"]
    assert (entry["open"], entry["added_on"], entry["added_by"]) == (1, "2026-11-22", "alice")


@pytest.mark.team_only
def test_an_import_naming_an_unknown_adviser_is_refused_on_its_line(cli, store_path, tmp_path, backend):
    cli.new_store()
    before = dump(store_path)
    path = cases_file(tmp_path, row(case_ref="C1", adviser="alice"), row(case_ref="C2", person_ref="P2", adviser="bbo"))
    run = cli("import", path)
    assert run.exit_code == 1
    assert "line 3, column adviser: 'bbo' is not an adviser of this team store" in run.stderr
    assert dump(store_path) == before


@pytest.mark.team_only
def test_on_a_team_store_the_author_is_the_database_login_not_capcli_adviser(cli, store_path, backend):
    person = cli.person()
    # bob logs in as bob but says he is alice: the journal, and "you", are bob.
    as_bob = {"CAPCLI_DB": store_path.for_login("bob"), "CAPCLI_ADVISER": "alice"}
    case = cli.id("open", "maintien", "--person", str(person), **as_bob)
    shown = cli.ok("show", str(case), "--json").json
    assert shown["adviser"] == "bob"
    assert {e["author"] for e in shown["events"]} == {"bob"}
    assert "Nothing due for alice" not in cli.ok("due", **as_bob).stdout
    assert [c["id"] for c in cli.ok("list", "--json", **as_bob).json] == [case]


@pytest.mark.sqlite_only
def test_adviser_add_on_a_missing_local_store_creates_nothing(cli, tmp_path):
    missing = tmp_path / "none.sqlite"
    assert "no store at" in cli.refused("--db", str(missing), "adviser", "add", "bob")
    assert not missing.exists()
