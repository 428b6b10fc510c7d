from tests.conftest import dump


def test_advance_to_next_and_named_phase_is_journaled(cli):
    case_id = cli.open("acces-emploi", cli.person(), "--on", "2026-09-01")
    assert cli.ok("advance", str(case_id), "--on", "15/09/2026", "--note", "projet validé").stdout.strip() == \
        f"case {case_id}: diagnostic -> projet"
    cli.ok("advance", str(case_id), "--to", "suivi-emploi")
    shown = cli.show(case_id)
    assert shown["phase"] == "suivi-emploi"
    advanced = [e for e in shown["events"] if e["action"] == "advanced"]
    assert [(e["on"], e["detail"], e["note"]) for e in advanced] == [
        ("2026-09-15", "diagnostic -> projet", "projet validé"),
        ("2026-11-22", "projet -> suivi-emploi", None),
    ]


def test_advance_refusals(cli, store_path):
    case_id = cli.open("acces-emploi", cli.person(), "--on", "2026-09-01")
    cli.ok("advance", str(case_id), "--to", "recherche")
    before = dump(store_path)
    assert "only moves forward (later phases: suivi-emploi)" in cli.refused("advance", str(case_id), "--to", "projet")
    assert "unknown phase of acces-emploi 'signalement'" in cli.refused("advance", str(case_id), "--to",
                                                                          "signalement")
    assert "before case 1 (acces-emploi) opened" in cli.refused("advance", str(case_id), "--on", "2026-08-01")
    assert "no case with id 77" in cli.refused("advance", "77")
    assert "ids are whole numbers" in cli.refused("advance", "x1")
    cli.ok("advance", str(case_id))
    before = dump(store_path)
    assert "at its last phase" in cli.refused("advance", str(case_id))
    cli.ok("close", str(case_id), "--outcome", "emploi-durable")
    before = dump(store_path)
    assert "is closed (emploi-durable" in cli.refused("advance", str(case_id))
    assert dump(store_path) == before


def test_a_phase_change_or_a_closing_is_not_dated_before_the_last_phase_change(cli, store_path):
    from tests.conftest import dump

    case_id = cli.open("maintien", cli.person(), "--on", "01/09/2026")
    cli.ok("advance", str(case_id), "--on", "01/10/2026")
    before = dump(store_path)
    message = "capcli: 15/09/2026 is before the last phase change of case {id} (maintien) (01/10/2026)".format(
        id=case_id)
    assert cli.refused("advance", str(case_id), "--on", "15/09/2026").startswith(message)
    assert cli.refused("close", str(case_id), "--outcome", "sans-suite", "--on", "15/09/2026").startswith(message)
    assert dump(store_path) == before
    cli.ok("advance", str(case_id), "--on", "01/10/2026")  # the same day is fine
    cli.ok("close", str(case_id), "--outcome", "sans-suite", "--on", "02/10/2026")
