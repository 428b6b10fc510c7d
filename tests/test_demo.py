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
