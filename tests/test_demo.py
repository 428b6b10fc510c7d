from capcli.domain.codes import KINDS


def test_demo_covers_every_kind_with_follow_ups(cli, tmp_path):
    demo = tmp_path / "demo.sqlite"
    run = cli.ok("--db", str(demo), "demo")
    assert "Follow-up contacts to do" in run.stdout
    cases = cli.ok("--db", str(demo), "list", "--json").json
    assert {c["kind"] for c in cases} == set(KINDS)
    assert len({c["person"]["id"] for c in cases}) == 12
    assert any(c["status"] == "closed" for c in cases)
    cli.ok("--db", str(demo), "demo")  # rebuilt, not duplicated
    assert len(cli.ok("--db", str(demo), "list", "--json").json) == len(cases)


def test_demo_never_replaces_a_real_store(cli, store_path):
    cli.person()
    assert "not a demo store" in cli.refused("--db", str(store_path), "demo")
    assert cli.ok("person", "list", "--json").json[0]["last_name"] == "DUPONT"


def test_demo_ends_with_the_morning_report_and_has_done_contacts(cli, tmp_path):
    demo = tmp_path / "demo.sqlite"
    out = cli.ok("--db", str(demo), "demo").stdout
    report = out.split("shows them each morning:")[1]
    assert "Due for alice · Sun 22/11/2026" in report
    for title in ("Overdue (", "Next 7 days (", "RQTH ending within 6 months, or ended (",
                  "Open cases with no event for 60 days ("):
        assert title in report
    assert cli.ok("--db", str(demo), "due", "--json").json  # the same store, the same adviser: not empty
    cases = cli.ok("--db", str(demo), "list", "--json").json
    shows = [cli.ok("--db", str(demo), "show", str(c["id"]), "--json").json for c in cases]
    done = [k for s in shows for k in s["contacts"] if k["done_on"]]
    assert any(k["at_risk"] for k in done) and any(not k["at_risk"] for k in done)
    renewed = [s for s in shows if s["kind"] == "suivi-conventionnel" and len(s["contacts"]) == 2]
    assert renewed and renewed[0]["contacts"][0]["done_on"]
    at_risk_suivi = [s for s in shows if s["kind"] == "suivi-conventionnel" and s["outcome"] == "a-risque"]
    assert at_risk_suivi and any(s["kind"] == "veille" and s["follows"] == at_risk_suivi[0]["id"] for s in shows)


def test_demo_json_names_the_store_and_counts_its_cases(cli, tmp_path):
    demo = tmp_path / "demo.sqlite"
    data = cli.ok("--db", str(demo), "demo", "--json").json
    assert data == {"path": str(demo), "cases": len(cli.ok("--db", str(demo), "list", "--json").json)}
    assert data["cases"] >= len(KINDS)


def test_demo_shows_signalements_and_an_aid_refused_over_its_ceiling(cli, tmp_path):
    demo = tmp_path / "demo.sqlite"
    out = cli.ok("--db", str(demo), "demo").stdout
    refused = out.split("Refused by the aid catalogue, as 'need add --aid' says it:")[1].split("\n\n")[0]
    assert "aid fiphfp-amenagement-poste pays at most 10,000.00 € in 36 months: 6,500.00 €" in " ".join(
        refused.split())
    assert all(len(line) <= 80 for line in refused.splitlines())
    cases = cli.ok("--db", str(demo), "list", "--json").json
    shows = [cli.ok("--db", str(demo), "show", str(c["id"]), "--json").json for c in cases]
    assert sum(1 for s in shows if s["signalement_by"]) >= 4
    needs = [n for s in shows for n in s["needs"]]
    assert [(n["aid"], n["amount"]) for n in needs] == [("fiphfp-amenagement-poste", 6500.0)]  # the refused one: not written
    uptake = cli.ok("--db", str(demo), "report", "--all", "--from", "01/01/2025", "--section", "uptake", "--json").json
    assert uptake["uptake"]["total"]["cases"] >= 4
