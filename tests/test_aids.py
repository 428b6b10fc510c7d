"""The aid catalogue (capcli/data/aids.toml and an agency's aids.toml): need add --aid checks the
amount against the flat amount or the ceiling over its period, once per person, the sector, and
says which documents are missing; need document records them; need list shows what is missing."""

from __future__ import annotations

import tomllib
from importlib.resources import files

import pytest

from capcli.domain import aids, codes
from tests.conftest import SIRET_A, SIRET_PUBLIC, dump


@pytest.fixture
def public_case(cli):
    """A maintien at a public employer (FIPHFP), past its signalement phase since 05/01/2026."""
    person = cli.person()
    cli.employer(SIRET_PUBLIC, "Mairie de Lunel", "public")
    case = cli.open("maintien", person, "--employer", SIRET_PUBLIC, "--on", "05/01/2026")
    cli.ok("advance", str(case), "--on", "10/01/2026")
    return case


@pytest.fixture
def private_case(cli):
    person = cli.person("MARTIN", "Paul")
    cli.employer(SIRET_A)
    case = cli.open("maintien", person, "--employer", SIRET_A, "--on", "05/01/2026")
    cli.ok("advance", str(case), "--on", "10/01/2026")
    return case


def need(cli, case, *args):
    return cli.ok("need", "add", str(case), *args, "--json").json


def test_the_shipped_catalogue_has_the_aids_with_their_sources():
    shipped = tomllib.loads((files("capcli") / "data" / "aids.toml").read_text(encoding="utf-8"))
    catalogue = aids.catalogue(shipped)
    for code in ("agefiph-recherche-solutions", "agefiph-adaptation-situations-travail", "fiphfp-amenagement-poste",
                 "epaast", *(f"pas-{t}" for t in ("auditif", "visuel", "moteur", "psychique", "mental", "cognitif"))):
        assert code in catalogue
    assert all(a.source.startswith("http") and a.checked_on is not None for a in catalogue.values())
    recherche = catalogue["agefiph-recherche-solutions"]
    assert (recherche.flat_cents, recherche.once_per_person, recherche.prescriber) == (200000, True, "cap-emploi")
    poste = catalogue["fiphfp-amenagement-poste"]
    assert (poste.ceiling_cents, poste.period_months, poste.funder, poste.sector) == (1000000, 36, "fiphfp", "public")
    assert "attestation-medecin-travail" in catalogue["agefiph-adaptation-situations-travail"].documents
    assert {catalogue[f"pas-{t}"].disability_type for t in ("auditif", "psychique")} == {"auditif", "psychique"}
    assert all(a.category in codes.NEED_CATEGORIES for a in catalogue.values())


def test_an_aid_fills_category_funder_description_and_the_flat_amount(cli, private_case):
    added = need(cli, private_case, "--aid", "agefiph-recherche-solutions")
    assert (added["funder"], added["aid"], added["amount"]) == ("agefiph", "agefiph-recherche-solutions", 2000.0)
    shown = cli.show(private_case)["needs"][0]
    assert (shown["category"], shown["aid"], shown["description"]) == (
        "autre", "agefiph-recherche-solutions",
        "Agefiph : aide à la recherche de solutions pour le maintien dans l'emploi")


def test_a_pas_is_paid_by_the_funder_of_the_employers_sector(cli, public_case, private_case):
    assert need(cli, public_case, "--aid", "pas-psychique")["funder"] == "fiphfp"
    assert need(cli, private_case, "--aid", "pas-psychique")["funder"] == "agefiph"


def test_the_missing_documents_are_said_and_listed_until_received(cli, private_case):
    run = cli.ok("need", "add", str(private_case), "--aid", "agefiph-adaptation-situations-travail",
                 "--amount", "1200", "--document", "Titre BOE")
    need_id = int(run.stdout.split()[0])
    assert "documents still missing for agefiph-adaptation-situations-travail: attestation-medecin-travail, devis" \
        in run.stderr
    listed = cli.ok("need", "list", "--json").json[0]
    assert (listed["documents"], listed["missing_documents"]) == (["titre-boe"], ["attestation-medecin-travail", "devis"])
    assert "documents missing: attestation-medecin-travail, devis" in cli.ok("need", "list").stdout
    run = cli.ok("need", "document", str(need_id), "attestation-medecin-travail")
    assert "documents still missing: devis" in run.stdout
    assert "every document" in cli.ok("need", "document", str(need_id), "devis").stdout
    assert "documents missing" not in cli.ok("need", "list").stdout
    assert cli.ok("need", "list", "--json").json[0]["missing_documents"] == []
    actions = [e["action"] for e in cli.show(private_case)["events"]]
    assert actions.count("need-document") == 2


def test_a_need_without_aid_lists_as_before(cli, private_case):
    cli.ok("need", "add", str(private_case), "--category", "formation", "--description", "CACES")
    assert "missing" not in cli.ok("need", "list").stdout
    assert "missing_documents" not in cli.ok("need", "list", "--json").json[0]


# --- the limits ----------------------------------------------------------------------


def test_the_ceiling_over_three_years_is_refused_with_the_rule(cli, store_path, public_case):
    need(cli, public_case, "--aid", "fiphfp-amenagement-poste", "--amount", "7000", "--on", "01/02/2026")
    before = dump(store_path)
    message = cli.refused("need", "add", str(public_case), "--aid", "fiphfp-amenagement-poste", "--amount", "3000,01")
    assert message == ("capcli: aid fiphfp-amenagement-poste pays at most 10,000.00 € in 36 months: 7,000.00 € "
                       "already in need(s) 1 since 22/11/2023, 3,000.01 € more is over its ceiling (on aggravation: "
                       "--renewal CODE)")
    assert dump(store_path) == before
    assert need(cli, public_case, "--aid", "fiphfp-amenagement-poste", "--amount", "3000")["amount"] == 3000.0  # exactly


def test_the_ceiling_alone_and_a_refused_need_does_not_count(cli, public_case):
    assert "pays at most 10,000.00 €: 10,000.01 € is over its ceiling" in cli.refused(
        "need", "add", str(public_case), "--aid", "fiphfp-amenagement-poste", "--amount", "10000.01")
    first = need(cli, public_case, "--aid", "fiphfp-amenagement-poste", "--amount", "9000", "--on", "01/02/2026")
    cli.ok("need", "set", str(first["id"]), "--status", "refuse")
    assert need(cli, public_case, "--aid", "fiphfp-amenagement-poste", "--amount", "9000")["amount"] == 9000.0


def test_the_period_ends_three_years_on(cli, tmp_path):
    cli.today = "2023-03-01"
    person = cli.person()
    cli.employer(SIRET_PUBLIC, "Mairie de Lunel", "public")
    old = cli.open("maintien", person, "--employer", SIRET_PUBLIC, "--on", "01/02/2023")
    cli.ok("advance", str(old), "--on", "02/02/2023")
    need(cli, old, "--aid", "fiphfp-amenagement-poste", "--amount", "10000", "--on", "01/03/2023")
    cli.ok("close", str(old), "--outcome", "sans-suite", "--on", "01/03/2023")
    cli.today = "2026-03-01"  # 36 months later to the day: the first one is out of the window
    case = cli.open("maintien", person, "--employer", SIRET_PUBLIC, "--on", "01/02/2026")
    cli.ok("advance", str(case), "--on", "02/02/2026")
    cli.today = "2026-02-28"
    assert "already in need(s) 1" in cli.refused("need", "add", str(case), "--aid", "fiphfp-amenagement-poste",
                                                 "--amount", "1", "--on", "28/02/2026")
    cli.today = "2026-03-01"
    assert need(cli, case, "--aid", "fiphfp-amenagement-poste", "--amount", "10000")["amount"] == 10000.0


def test_a_renewal_on_its_ground_waives_the_period_not_the_ceiling(cli, public_case):
    need(cli, public_case, "--aid", "fiphfp-amenagement-poste", "--amount", "9000", "--on", "01/02/2026")
    assert need(cli, public_case, "--aid", "fiphfp-amenagement-poste", "--amount", "5000", "--renewal", "aggravation")
    assert "over its ceiling" in cli.refused("need", "add", str(public_case), "--aid", "fiphfp-amenagement-poste",
                                             "--amount", "10001", "--renewal", "aggravation")
    assert "unknown renewal ground 'lassitude' (valid: aggravation)" in cli.refused(
        "need", "add", str(public_case), "--aid", "fiphfp-amenagement-poste", "--renewal", "lassitude")
    assert "'--renewal' does not apply" not in cli.refused(
        "need", "add", str(public_case), "--aid", "pas-visuel", "--renewal", "aggravation")
    events = [e["detail"] for e in cli.show(public_case)["events"] if e["action"] == "need-added"]
    assert events[-1].endswith("aid:fiphfp-amenagement-poste renewal:aggravation")


def test_once_per_period(cli, public_case):
    need(cli, public_case, "--aid", "fiphfp-etude-ergonomique", "--amount", "1500", "--on", "01/02/2026")
    assert "is granted once in 36 months: need 1 of 01/02/2026 already asks for it" in cli.refused(
        "need", "add", str(public_case), "--aid", "fiphfp-etude-ergonomique", "--amount", "100")


def test_once_per_person_whatever_the_case(cli, private_case):
    need(cli, private_case, "--aid", "agefiph-recherche-solutions", "--on", "01/02/2026")
    cli.ok("close", str(private_case), "--outcome", "maintien-poste", "--on", "01/03/2026")
    person = cli.show(private_case)["person"]["id"]
    other = cli.open("evolution-pro", person)
    message = cli.refused("need", "add", str(other), "--aid", "agefiph-recherche-solutions")
    assert message == ("capcli: aid agefiph-recherche-solutions is granted once per person: need 1 (case "
                       f"{private_case}, 01/02/2026) already asks for it")


@pytest.mark.parametrize("args, message", [
    (["--aid", "agefiph-recherche-solutions", "--amount", "2500"],
     "aid agefiph-recherche-solutions is a flat 2,000.00 €, not 2,500.00 €: leave --amount out"),
    (["--aid", "fiphfp-amenagement-poste"], "aid fiphfp-amenagement-poste is for public employers; this case's "
                                            "employer is prive"),
    (["--aid", "agefiph-recherche-solutions", "--funder", "fiphfp"],
     "aid agefiph-recherche-solutions is paid by agefiph, not fiphfp: leave --funder out"),
    (["--aid", "pas-visuel", "--category", "formation"],
     "aid pas-visuel is a prestation-appui need, not formation: leave --category out"),
    (["--aid", "agefiph-recherche-solution"], "unknown aid 'agefiph-recherche-solution': did you mean "
                                              "'agefiph-recherche-solutions'?"),
    (["--aid", "pas\x1b[31m"], "unknown aid"),
    (["--aid", "agefiph-recherche-solutions", "--document", "passeport"], "unknown document 'passeport'"),
    (["--aid", "agefiph-recherche-solutions", "--renewal", "aggravation"],
     "aid agefiph-recherche-solutions is not renewed before its time: --renewal does not apply"),
    (["--category", "formation", "--description", "x", "--document", "devis"], "--renewal and --document go with"),
])
def test_an_aid_that_breaks_a_rule_is_refused_and_nothing_is_written(cli, store_path, private_case, args, message):
    before = dump(store_path)
    run = cli("need", "add", str(private_case), *args)
    assert run.exit_code in (1, 2) and message in run.stderr and "Traceback" not in run.stderr
    assert dump(store_path) == before


@pytest.mark.parametrize("args, message", [
    (["1", "devis"], "need 1 has no aid of the catalogue"),
    (["99", "devis"], "no need with id 99"),
])
def test_need_document_refusals(cli, store_path, private_case, args, message):
    cli.ok("need", "add", str(private_case), "--category", "formation", "--description", "CACES")
    before = dump(store_path)
    assert message in cli.refused("need", "document", *args)
    assert dump(store_path) == before


def test_need_document_twice_or_unknown(cli, private_case):
    need_id = need(cli, private_case, "--aid", "agefiph-recherche-solutions")["id"]
    cli.ok("need", "document", str(need_id), "rib")
    assert "rib already recorded" in cli.refused("need", "document", str(need_id), "rib")
    assert "unknown document 'iban'" in cli.refused("need", "document", str(need_id), "iban")
    assert "in the future" in cli.refused("need", "document", str(need_id), "titre-boe", "--on", "23/11/2026")


# --- the agency's catalogue ----------------------------------------------------------


def test_an_agency_file_beside_the_store_changes_an_amount(cli, store_path, private_case):
    (store_path.parent / "aids.toml").write_text(
        '[aids.agefiph-recherche-solutions]\nflat_cents = 250000  # raised, source: the Agefiph letter of 2027\n'
        '[aids.region-mobilite]\nname = "Aide régionale à la mobilité"\nfunder = "region"\ncategory = "mobilite"\n'
        'ceiling_cents = 50000\n', encoding="utf-8")
    assert need(cli, private_case, "--aid", "agefiph-recherche-solutions")["amount"] == 2500.0
    assert "at most 500.00 €" in cli.refused("need", "add", str(private_case), "--aid", "region-mobilite",
                                             "--amount", "600")
    assert "region-mobilite · region" in cli.ok("need", "aids").stdout


def test_capcli_aids_names_the_agency_file(cli, tmp_path, private_case):
    path = tmp_path / "agency" / "catalogue.toml"
    path.parent.mkdir()
    path.write_text('[aids.fiphfp-amenagement-poste]\nsector = "prive"\n', encoding="utf-8")
    added = cli.ok("need", "add", str(private_case), "--aid", "fiphfp-amenagement-poste", "--json",
                   CAPCLI_AIDS=str(path)).json
    assert added["funder"] == "fiphfp"
    assert "cannot be read" in cli.refused("need", "aids", CAPCLI_AIDS=str(tmp_path / "none.toml"))


@pytest.mark.parametrize("text, message", [
    ("[aids.x\n", "not a valid TOML file"),
    ('[aids.pas-visuel]\nflat_cents = "2000"\n', "aid 'pas-visuel': 'flat_cents' is not a int"),
    ('[aids.pas-visuel]\nfunder = "banque"\n', "aid 'pas-visuel': unknown funder 'banque'"),
    ('[aids.new]\nfunder = "agefiph"\n', "aid 'new': 'name' is required"),
    ('[aids.Bad_Code]\nname = "x"\ncategory = "autre"\n', "aid 'Bad_Code': a code is lowercase"),
    ('[aids.pas-visuel]\nplafond = 3\n', "aid 'pas-visuel': unknown field 'plafond'"),
    ('[aids.pas-visuel]\nceiling_cents = -1\n', "'ceiling_cents' is out of bounds"),
    ('[aids.agefiph-recherche-solutions]\nceiling_cents = 100\n', "a flat amount or a ceiling, not both"),
    ('[aids.pas-visuel]\nonce_per_period = true\n', "once_per_period needs period_months"),
    ('[other]\nx = 1\n', "the aids are tables [aids.CODE]"),
])
def test_a_bad_agency_file_is_refused_in_one_line(cli, store_path, private_case, text, message):
    (store_path.parent / "aids.toml").write_text(text, encoding="utf-8")
    assert message in cli.refused("need", "add", str(private_case), "--aid", "pas-visuel")
    assert message in cli.refused("need", "aids")


def test_a_bad_agency_file_does_not_stop_other_commands(cli, store_path, private_case):
    (store_path.parent / "aids.toml").write_text("[aids.x\n", encoding="utf-8")
    cli.ok("need", "add", str(private_case), "--category", "formation", "--description", "CACES")
    cli.ok("need", "list")  # no need with an aid: the catalogue is not read
    cli.ok("show", str(private_case))
    cli.ok("list")


def test_need_aids_lists_the_catalogue(cli):
    text = cli.ok("need", "aids").stdout
    assert "fiphfp-amenagement-poste · fiphfp · amenagement-poste" in text
    assert "at most 10,000.00 € per 36 months" in text
    assert "flat 2,000.00 € · once per person · prescribed by cap-emploi only" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    listed = {a["code"]: a for a in cli.ok("need", "aids", "--json").json}
    assert listed["fiphfp-amenagement-poste"]["ceiling"] == 10000.0
    assert listed["pas-auditif"]["funder"] is None and listed["pas-auditif"]["disability_type"] == "auditif"
