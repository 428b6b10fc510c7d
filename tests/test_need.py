"""capcli need add | set | list: prompts, scripts, and the forward-only lifecycle tested directly."""

import pytest

from capcli.domain import needs
from capcli.errors import InvalidValue, RuleError
from tests.conftest import SIRET_PUBLIC, dump
from tests.test_prompts import DOWN, ENTER, terminal

CTRL_C = "\x03"


@pytest.fixture
def case_id(cli):
    """A maintien at a private employer (Agefiph), at its diagnostic phase (needs come from there on)."""
    case = cli.open("maintien", cli.person(), "--employer", str(cli.employer()), "--on", "2026-09-01")
    cli.ok("advance", str(case), "--on", "2026-09-02")
    return case


def add(cli, case_id, *extra):
    return cli.id("need", "add", case_id, "--category", "amenagement-poste", "--description", "Siège assis-debout",
                  *extra)


def test_add_by_script_suggests_the_funder_from_the_employers_sector(cli, case_id):
    need_id = add(cli, case_id, "--amount", "1 250,50 €")
    need = cli.show(case_id)["needs"][0]
    assert need == {"id": need_id, "category": "amenagement-poste", "description": "Siège assis-debout",
                    "funder": "agefiph", "amount": 1250.5, "status": "identifie", "created_on": "2026-11-22",
                    "updated_on": "2026-11-22", "aid": None}
    public = cli.open("maintien", cli.person("MARTIN", "Luc"), "--employer",
                      str(cli.employer(SIRET_PUBLIC, "Mairie", "public")))
    assert cli.refused("need", "add", str(public), "--category", "formation", "--description", "x") == (
        f"capcli: case {public} (maintien) is at phase signalement: the diagnostic and the needs come from the "
        f"diagnostic phase on (capcli advance {public})")
    cli.ok("advance", str(public))
    add(cli, public)
    assert cli.show(public)["needs"][0]["funder"] == "fiphfp"
    no_employer = cli.open("acces-emploi", cli.person("DURAND", "Léa"))
    add(cli, no_employer)
    assert cli.show(no_employer)["needs"][0]["funder"] is None
    # The suggestion is only a default: the adviser names another funder.
    add(cli, case_id, "--funder", "employeur")
    assert cli.show(case_id)["needs"][1]["funder"] == "employeur"
    add(cli, case_id, "--funder", "")
    assert cli.show(case_id)["needs"][2]["funder"] is None
    events = [(e["action"], e["detail"]) for e in cli.show(case_id)["events"] if e["action"] == "need-added"]
    assert events == [("need-added", f"{need_id} amenagement-poste agefiph"),
                      ("need-added", f"{need_id + 3} amenagement-poste employeur"),
                      ("need-added", f"{need_id + 4} amenagement-poste")]


def test_add_asks_each_question_with_the_suggested_funder_as_default(cli, case_id):
    keys = (DOWN + ENTER  # category: amenagement-poste, [aide-technique]
            + ENTER + "Plage braille" + ENTER  # an empty description is refused inline
            + ENTER  # funder: the suggestion (agefiph)
            + "12,5" + "€" + ENTER)
    with terminal(cli, keys):
        run = cli("need", "add", case_id)
    assert run.exit_code == 0, run.stderr
    need = cli.show(case_id)["needs"][0]
    assert (need["category"], need["description"], need["funder"], need["amount"]) == (
        "aide-technique", "Plage braille", "agefiph", 12.5)


def test_add_prompt_refuses_a_bad_amount_inline_and_overrides_the_funder(cli, case_id):
    keys = (ENTER + "Siège" + ENTER
            + DOWN + DOWN + ENTER  # funder: from [agefiph] down to employeur
            + "-30" + ENTER + "\x7f" * 3 + "abc" + ENTER + "\x7f" * 3 + ENTER)  # refused twice, then none
    with terminal(cli, keys):
        run = cli("need", "add", case_id)
    assert run.exit_code == 0, run.stderr
    need = cli.show(case_id)["needs"][0]
    assert (need["category"], need["funder"], need["amount"]) == ("amenagement-poste", "employeur", None)


def test_ctrl_c_while_adding_writes_nothing(cli, case_id, store_path):
    before = dump(store_path)
    with terminal(cli, DOWN + ENTER + "Plage braille" + ENTER + CTRL_C):
        run = cli("need", "add", case_id)
    assert run.exit_code == 1
    assert run.stderr.strip() == "capcli: cancelled: nothing was written"
    assert dump(store_path) == before


def test_status_moves_forward_and_is_journaled(cli, case_id):
    need_id = add(cli, case_id)
    cli.today = "2026-11-25"
    assert cli.ok("need", "set", need_id, "--status", "demande", "--on", "23/11/2026").stdout.strip() == (
        f"need {need_id}: identifie -> demande")
    cli.ok("need", "set", need_id, "--status", "accorde", "--note", "notification Agefiph")
    cli.ok("need", "set", need_id, "--status", "mis-en-place")
    shown = cli.show(case_id)
    assert (shown["needs"][0]["status"], shown["needs"][0]["updated_on"]) == ("mis-en-place", "2026-11-25")
    events = [(e["on"], e["detail"], e["note"]) for e in shown["events"] if e["action"] == "need-status"]
    assert events == [
        ("2026-11-23", f"{need_id} identifie -> demande", None),
        ("2026-11-25", f"{need_id} demande -> accorde", "notification Agefiph"),
        ("2026-11-25", f"{need_id} accorde -> mis-en-place", None),
    ]
    assert "need status" in cli.ok("show", case_id).stdout


def test_set_asks_the_status_on_a_terminal(cli, case_id):
    need_id = add(cli, case_id)
    # only the statuses allowed next are offered: demande, accorde, [refuse] (not identifie, nor mis-en-place)
    with terminal(cli, DOWN + DOWN + ENTER):
        run = cli("need", "set", need_id)
    assert run.exit_code == 0, run.stderr
    assert cli.show(case_id)["needs"][0]["status"] == "refuse"


def test_set_offers_only_the_statuses_allowed_next(cli, case_id, store_path):
    from capcli.domain.needs import next_statuses

    assert next_statuses("identifie") == ["demande", "accorde", "refuse"]
    assert next_statuses("demande") == ["accorde", "refuse"]
    assert next_statuses("accorde") == ["mis-en-place"]
    assert next_statuses("refuse") == next_statuses("mis-en-place") == []
    need_id = add(cli, case_id)
    cli.ok("need", "set", need_id, "--status", "accorde")
    with terminal(cli, ENTER):  # the one status offered after accorde: mis-en-place
        run = cli("need", "set", need_id)
    assert run.exit_code == 0, run.stderr
    assert run.stdout == f"need {need_id}: accorde -> mis-en-place\n"
    before = dump(store_path)
    with terminal(cli, ""):  # a final status is refused before any question
        run = cli("need", "set", need_id)
    assert run.exit_code == 1
    assert "is mis-en-place, which is final" in run.stderr
    with terminal(cli, ""):  # so are an unknown need and a wrong status or date given
        assert "no need with id 99" in cli("need", "set", "99").stderr
        assert "did you mean 'accorde'?" in cli("need", "set", need_id, "--status", "acorde").stderr
        assert cli("need", "set", need_id, "--on", "31/02/2026").exit_code == 1
    assert dump(store_path) == before


def test_set_json_gives_the_need_as_need_list_does(cli, case_id):
    need_id = add(cli, case_id)
    data = cli.ok("need", "set", need_id, "--status", "demande", "--json").json
    listed = cli.ok("need", "list", "--json").json[0]
    assert data == listed
    assert (data["id"], data["status"], data["updated_on"]) == (int(need_id), "demande", "2026-11-22")


def test_bad_need_input_is_refused_with_one_clear_line_and_nothing_written(cli, case_id, store_path):
    need_id = add(cli, case_id)
    cli.ok("need", "set", need_id, "--status", "demande")
    closed = cli.open("acces-emploi", cli.person("MARTIN", "Luc"))
    cli.ok("close", closed, "--outcome", "abandon")
    before = dump(store_path)
    refused = {
        ("need", "add", case_id, "--category", "fauteuil", "--description", "x"):
            "unknown need category 'fauteuil' (valid: amenagement-poste, aide-technique, aide-humaine, "
            "amenagement-organisationnel, formation, mobilite, prestation-appui, autre)",
        ("need", "add", case_id, "--category", "autre", "--description", "x", "--funder", "urssaf"):
            "unknown funder 'urssaf' (valid: agefiph, fiphfp, employeur, cpam, mdph, region, france-travail, autre)",
        ("need", "add", case_id, "--category", "autre", "--description", "x", "--amount", "-50"):
            "invalid amount '-50': an amount cannot be negative",
        ("need", "add", case_id, "--category", "autre", "--description", "x", "--amount", "mille"):
            "invalid amount 'mille': write euros like 1250, 1250.50 or 1 250,50",
        ("need", "add", case_id, "--category", "autre", "--description", " "): "description cannot be empty",
        ("need", "add", "99", "--category", "autre", "--description", "x"): "no case with id 99: see 'capcli list'",
        ("need", "add", closed, "--category", "autre", "--description", "x"):
            f"case {closed} (acces-emploi) is closed: add the need to the case that follows it",
        ("need", "set", need_id, "--status", "obtenu"):
            "unknown need status 'obtenu' (valid: identifie, demande, accorde, refuse, mis-en-place)",
        ("need", "set", need_id, "--status", "identifie"):
            f"need {need_id} is demande: a need's status only moves forward (identifie → demande → accorde | "
            "refuse → mis-en-place)",
        ("need", "set", need_id, "--status", "mis-en-place"):
            f"need {need_id} is demande: only a need that is accorde can be mis-en-place",
        ("need", "set", need_id, "--status", "accorde", "--on", "2026-11-01"):
            "01/11/2026 is before need 1 became demande (22/11/2026)",
        ("need", "set", "77", "--status", "demande"): "no need with id 77: see 'capcli need list'",
        ("need", "list", "99"): "no case with id 99: see 'capcli list'",
    }
    for args, message in refused.items():
        assert cli.refused(*args) == "capcli: " + message, args
    assert dump(store_path) == before


def test_missing_options_without_a_terminal_are_usage_errors(cli, case_id):
    run = cli("need", "add", case_id, "--category", "autre")
    assert (run.exit_code, run.stderr.strip()) == (2, "capcli: missing --description (there is no terminal to ask on)")
    run = cli("need", "set", "1")
    assert (run.exit_code, run.stderr.strip()) == (2, "capcli: missing --status (there is no terminal to ask on)")


def test_list_all_or_one_case_with_json_keys(cli, case_id):
    first = add(cli, case_id, "--amount", "300")
    other = cli.open("acces-emploi", cli.person("MARTIN", "Luc"))
    second = cli.id("need", "add", other, "--category", "mobilite", "--description", "Permis aménagé")
    cli.ok("need", "set", second, "--status", "demande")
    listed = cli.ok("need", "list", "--json").json
    assert [(n["id"], n["case_id"], n["person"], n["status"]) for n in listed] == [
        (first, case_id, "DUPONT Marie", "identifie"), (second, other, "MARTIN Luc", "demande")]
    assert set(listed[0]) == {"id", "case_id", "kind", "person", "category", "description", "funder", "amount",
                              "status", "created_on", "updated_on", "aid"}
    assert [n["id"] for n in cli.ok("need", "list", other, "--json").json] == [second]
    assert [n["id"] for n in cli.ok("need", "list", "--status", "demande", "--json").json] == [second]
    text = cli.ok("need", "list").stdout
    assert "Siège assis-debout" in text and "300.00 €" in text and "Permis aménagé" in text
    assert cli.ok("need", "list", "--status", "refuse").stdout.strip() == "No need recorded."


# --- the domain, directly ----------------------------------------------------------------


@pytest.mark.parametrize("current, new", [
    ("identifie", "demande"), ("demande", "accorde"), ("demande", "refuse"), ("accorde", "mis-en-place"),
    ("identifie", "accorde"), ("identifie", "refuse"),  # a later status may be recorded directly
])
def test_the_lifecycle_accepts_forward_moves(current, new):
    assert needs.check_status_change(1, current, new) == new


@pytest.mark.parametrize("current, new, message", [
    ("demande", "identifie", "only moves forward"),
    ("accorde", "demande", "only moves forward"),
    ("accorde", "refuse", "only moves forward"),
    ("demande", "demande", "already demande"),
    ("demande", "mis-en-place", "only a need that is accorde can be mis-en-place"),
    ("identifie", "mis-en-place", "only a need that is accorde"),
    ("refuse", "accorde", "final"),
    ("refuse", "mis-en-place", "final"),
    ("mis-en-place", "identifie", "final"),
])
def test_the_lifecycle_refuses_backward_repeated_and_final_moves(current, new, message):
    with pytest.raises(RuleError, match=message):
        needs.check_status_change(1, current, new)


@pytest.mark.parametrize("text, cents", [
    ("1250", 125000), ("1250.50", 125050), ("1 250,50", 125050), ("1250,50 €", 125050), ("1\u202f250,5\u00a0€", 125050),
    ("0", 0), ("12,05", 1205), ("€ 30", 3000), ("30 EUR", 3000), ("", None), (None, None),
    ("1.250,50", 125050),  # issue 20: the French thousands dot is accepted (refused before)
])
def test_amounts_are_read_as_french_offices_write_them(text, cents):
    assert needs.parse_amount(text) == cents


@pytest.mark.parametrize("text, message", [
    ("-5", "cannot be negative"), ("- 1 250", "cannot be negative"), ("abc", "write euros like"),
    ("12,345", "write euros like"), ("1e3", "write euros like"),
])
def test_bad_amounts_are_refused(text, message):
    with pytest.raises(InvalidValue, match=message):
        needs.parse_amount(text)


def test_the_funder_is_suggested_by_the_employers_sector():
    assert needs.suggested_funder("prive") == "agefiph"
    assert needs.suggested_funder("public") == "fiphfp"
    assert needs.suggested_funder(None) is None


def test_the_funders_answer_is_recorded_after_the_case_closed(cli, case_id):
    need_id = add(cli, case_id)
    cli.ok("need", "set", need_id, "--status", "demande")
    cli.ok("close", case_id, "--outcome", "maintien-poste")
    cli.today = "2026-12-10"
    cli.ok("need", "set", need_id, "--status", "accorde")
    assert cli.show(case_id)["needs"][0]["status"] == "accorde"
