"""capcli diagnose: the wizard answered through real prompts, scripts (--from, flags), and the rules."""

import json
from datetime import date

import pytest

from capcli.domain import diagnostic
from capcli.errors import InvalidValue, RuleError
from tests.conftest import dump
from tests.test_prompts import DOWN, ENTER, terminal

CTRL_C = "\x03"
BACKSPACE = "\x7f"


@pytest.fixture
def case_id(cli):
    case = cli.open("maintien", cli.person(), "--on", "2026-09-01")
    cli.ok("advance", str(case), "--on", "2026-09-02")  # the diagnostic phase
    return case


def test_the_wizard_asks_every_field_then_records_after_confirmation(cli, case_id):
    keys = (
        ENTER  # situation is required: an empty answer is refused inline and asked again
        + "Cariste, lombalgie chronique" + ENTER
        + "pas de port de charges > 10 kg; pas de station debout prolongée ;" + ENTER
        + DOWN + ENTER  # disability type: (not stated), [moteur]
        + DOWN + DOWN + ENTER  # health opinion: (none), apte, [apte-avec-restrictions]
        + "CACES 3, 12 ans d'expérience" + ENTER
        + "rester dans l'entreprise" + ENTER
        + "ne peut plus conduire le chariot" + ENTER
        + "y"  # confirmation
    )
    with terminal(cli, keys):
        run = cli("diagnose", case_id)
    assert run.exit_code == 0, run.stderr
    assert "Diagnostic to record" in run.stdout and "* Situation: Cariste, lombalgie chronique" in run.stdout
    assert f"case {case_id}: diagnostic revision 1 recorded" in run.stdout
    d = cli.show(case_id)["diagnostic"]
    assert d == {
        "situation": "Cariste, lombalgie chronique",
        "restrictions": ["pas de port de charges > 10 kg", "pas de station debout prolongée"],
        "disability_type": "moteur",
        "health_opinion": "apte-avec-restrictions",
        "capacities": "CACES 3, 12 ans d'expérience",
        "aspirations": "rester dans l'entreprise",
        "impact": "ne peut plus conduire le chariot",
        "author": "alice",
        "on": "2026-11-22",
        "revisions": 1,
    }


def test_the_wizard_starts_from_the_previous_revision(cli, case_id):
    cli.ok("diagnose", case_id, "--situation", "Cariste", "--restriction", "pas de charges",
           "--disability-type", "moteur", "--health-opinion", "apte", "--impact", "faible", "--on", "2026-10-01")
    # Keep every default, except the health opinion (apte -> inapte) and the impact (replaced).
    keys = (ENTER + ENTER + ENTER + DOWN + DOWN + ENTER + ENTER + ENTER
            + BACKSPACE * len("faible") + "fort" + ENTER + ENTER)
    with terminal(cli, keys):
        run = cli("diagnose", case_id)
    assert run.exit_code == 0, run.stderr
    assert "revision 2 recorded (health_opinion, impact)" in run.stdout
    shown = cli.show(case_id)
    d = shown["diagnostic"]
    assert (d["situation"], d["restrictions"], d["disability_type"]) == ("Cariste", ["pas de charges"], "moteur")
    assert (d["health_opinion"], d["impact"], d["revisions"], d["on"]) == ("inapte", "fort", 2, "2026-11-22")
    journal = [(e["on"], e["detail"]) for e in shown["events"] if e["action"] == "diagnostic"]
    assert journal == [
        ("2026-10-01", "revision 1: situation, restrictions, disability_type, health_opinion, impact"),
        ("2026-11-22", "revision 2: health_opinion, impact"),
    ]
    text = cli.ok("show", case_id).stdout
    assert "Diagnostic (revision 2: 22/11/2026, alice)" in text and "Health opinion: inapte" in text


def test_ctrl_c_in_the_wizard_writes_nothing(cli, case_id, store_path):
    before = dump(store_path)
    with terminal(cli, "Cariste" + ENTER + CTRL_C):
        run = cli("diagnose", case_id)
    assert run.exit_code == 1
    assert run.stderr.strip() == "capcli: cancelled: nothing was written"
    assert dump(store_path) == before


def test_no_at_the_confirmation_writes_nothing(cli, case_id, store_path):
    before = dump(store_path)
    with terminal(cli, "Cariste" + ENTER + ENTER + ENTER + ENTER + ENTER + ENTER + ENTER + "n"):
        run = cli("diagnose", case_id)
    assert run.exit_code == 1
    assert "* Situation: Cariste" in run.stdout
    assert run.stderr.strip() == "capcli: not recorded: nothing was written"
    assert dump(store_path) == before


def test_a_closed_case_is_refused_before_any_question(cli, case_id, store_path):
    cli.ok("close", case_id, "--outcome", "sans-suite")
    before = dump(store_path)
    with terminal(cli, ""):
        run = cli("diagnose", case_id)
    assert run.exit_code == 1
    assert run.stderr.strip() == (f"capcli: case {case_id} (maintien) is closed: its diagnostic can no longer be "
                                  "revised (open a case that --follows it)")
    assert "closed" in cli.refused("diagnose", case_id, "--situation", "x")
    assert dump(store_path) == before


def test_from_file_and_flags_merge_over_the_previous_revision(cli, case_id, tmp_path):
    source = tmp_path / "d.json"
    source.write_text(json.dumps({"situation": "Agent d'accueil", "restrictions": ["pas d'écran > 2 h"],
                                  "disability_type": "visuel", "health_opinion": None}), encoding="utf-8")
    assert "revision 1 recorded" in cli.ok("diagnose", case_id, "--from", source, "--on", "01/10/2026").stdout
    source.write_text('{"aspirations": "reconversion"}', encoding="utf-8")
    run = cli.ok("diagnose", case_id, "--from", source, "--impact", "moyen", "--restriction", "a",
                 "--restriction", "b")
    assert "revision 2 recorded (restrictions, aspirations, impact)" in run.stdout
    d = cli.show(case_id)["diagnostic"]
    assert (d["situation"], d["disability_type"], d["restrictions"]) == ("Agent d'accueil", "visuel", ["a", "b"])
    assert (d["aspirations"], d["impact"], d["health_opinion"]) == ("reconversion", "moyen", None)
    # The same again changes nothing and writes nothing; an empty flag clears a field.
    assert "unchanged (revision 2): nothing written" in cli.ok("diagnose", case_id, "--impact", "moyen").stdout
    cli.ok("diagnose", case_id, "--impact", "", "--restriction", "")
    d = cli.show(case_id)["diagnostic"]
    assert (d["impact"], d["restrictions"], d["revisions"]) == (None, [], 3)


@pytest.mark.parametrize("content, message", [
    ('{"situation": "x", "diagnosis": "lombalgie"}',
     "d.json: unknown diagnostic field 'diagnosis' (valid: situation, restrictions, disability_type, "
     "health_opinion, capacities, aspirations, impact)"),
    ('{"situation": 3}', "d.json: invalid situation: expected text"),
    ('{"restrictions": "dos"}', "d.json: invalid restrictions: expected a list of texts"),
    ('{"disability_type": "lombalgie"}',
     "d.json: unknown disability type 'lombalgie' (valid: moteur, visuel, auditif, psychique, mental, cognitif, "
     "maladie-invalidante, pluri)"),
    ('{"situation": "x",', "d.json is not valid JSON (line 1, column 19: Expecting property name enclosed in "
                           "double quotes)"),
    ('["x"]', "d.json must hold one JSON object of diagnostic fields (situation, restrictions, disability_type, "
              "health_opinion, capacities, aspirations, impact)"),
])
def test_a_bad_from_file_is_refused_and_nothing_written(cli, case_id, tmp_path, store_path, content, message,
                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.json").write_text(content, encoding="utf-8")
    before = dump(store_path)
    assert cli.refused("diagnose", case_id, "--from", "d.json") == "capcli: " + message
    assert dump(store_path) == before


def test_bad_script_input_is_refused_and_nothing_written(cli, case_id, store_path, tmp_path):
    before = dump(store_path)
    assert cli.refused("diagnose", "99", "--situation", "x") == "capcli: no case with id 99: see 'capcli list'"
    assert cli.refused("diagnose", case_id, "--from", tmp_path / "none.json").startswith(
        f"capcli: cannot read {tmp_path / 'none.json'}: No such file")
    assert cli.refused("diagnose", case_id, "--health-opinion", "apte-partiel") == (
        "capcli: unknown health opinion 'apte-partiel' (valid: apte, apte-avec-restrictions, inapte)")
    assert cli.refused("diagnose", case_id, "--impact", "fort") == (
        "capcli: a diagnostic describes the person's situation: add --situation TEXT")
    assert "is in the future" in cli.refused("diagnose", case_id, "--situation", "x", "--on", "2026-12-01")
    assert "before case" in cli.refused("diagnose", case_id, "--situation", "x", "--on", "2026-08-01")
    assert dump(store_path) == before
    cli.ok("diagnose", case_id, "--situation", "x")
    assert cli.refused("diagnose", case_id, "--situation", "y", "--on", "2026-10-01") == (
        "capcli: 01/10/2026 is before the current diagnostic (22/11/2026): a revision is dated on or after it")


def test_without_a_field_nor_a_terminal_it_is_a_usage_error(cli, case_id, store_path):
    before = dump(store_path)
    run = cli("diagnose", case_id)
    assert run.exit_code == 2
    assert run.stderr.strip() == ("capcli: nothing to record: give --from FILE or a field option such as "
                                  "--situation (there is no terminal to ask on)")
    assert dump(store_path) == before


def test_the_diagnostic_never_shows_health_data_in_the_journal(cli, case_id):
    cli.ok("diagnose", case_id, "--situation", "x", "--disability-type", "psychique", "--health-opinion", "inapte")
    events = cli.show(case_id)["events"]
    assert not any("psychique" in (e["detail"] or "") or "inapte" in (e["detail"] or "") for e in events)


# --- the domain, directly ----------------------------------------------------------------


def test_fields_are_validated_and_normalised():
    assert diagnostic.field("situation", "  Cariste ") == "Cariste"
    assert diagnostic.field("situation", "  ") is None
    assert diagnostic.field("disability_type", "Moteur") == "moteur"
    assert diagnostic.field("health_opinion", "") is None
    assert diagnostic.split_restrictions(" a ; b;; a ") == ["a", "b"]
    with pytest.raises(InvalidValue, match="too long"):
        diagnostic.field("impact", "x" * (diagnostic.MAX_TEXT + 1))
    with pytest.raises(InvalidValue, match="expected one of apte"):
        diagnostic.field("health_opinion", 1)


def test_a_revision_is_the_previous_one_with_the_changes_on_top():
    previous = diagnostic.revise(diagnostic.empty(), {"situation": "x", "restrictions": ["a"]})
    revised = diagnostic.revise(previous, {"impact": "fort"})
    assert revised["restrictions"] == ["a"] and revised["impact"] == "fort"
    assert diagnostic.changed_fields(previous, revised) == ["impact"]
    assert diagnostic.from_row({**diagnostic.to_row(revised)}) == revised


def test_a_revision_needs_a_situation_and_is_not_dated_before_the_current_one():
    with pytest.raises(RuleError, match="situation"):
        diagnostic.check_revision(diagnostic.empty())
    diagnostic.check_revision_date(date(2026, 5, 1), date(2026, 5, 1))
    diagnostic.check_revision_date(date(2026, 5, 1), None)
    with pytest.raises(RuleError, match="before the current diagnostic"):
        diagnostic.check_revision_date(date(2026, 4, 30), date(2026, 5, 1))


def test_help_of_diagnose_and_need_imports_nothing_heavy():
    from tests.test_startup import _loaded

    for argv in (["capcli", "diagnose", "--help"], ["capcli", "need", "add", "--help"]):
        run, heavy = _loaded(argv)
        assert "Usage" in run.stdout
        assert heavy == "", f"{argv} imported {heavy}"


def test_from_stdin(cli, case_id):
    run = cli("diagnose", case_id, "--from", "-", input='{"situation": "Magasinier", "disability_type": "auditif"}')
    assert run.exit_code == 0, run.stderr
    assert cli.show(case_id)["diagnostic"]["disability_type"] == "auditif"


def test_diagnose_json_names_the_revision_and_the_fields_never_their_values(cli, case_id):
    data = cli.ok("diagnose", case_id, "--situation", "Cariste, lombalgie", "--health-opinion", "inapte",
                  "--on", "2026-11-20", "--json").json
    assert data == {"case_id": int(case_id), "revision": 1, "changed": ["situation", "health_opinion"],
                    "on": "2026-11-20"}
    again = cli.ok("diagnose", case_id, "--situation", "Cariste, lombalgie", "--json").json
    assert again == {"case_id": int(case_id), "revision": 1, "changed": [], "on": None}  # nothing written


def test_diagnose_help_lists_the_codes_of_the_domain(cli):
    from capcli.domain import codes

    text = "".join(cli.ok("diagnose", "--help").stdout.split())  # the help wraps lines, even at a hyphen
    assert ",".join(codes.DISABILITY_TYPES) in text and ",".join(codes.HEALTH_OPINIONS) in text
