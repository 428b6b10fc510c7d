from tests.conftest import dump


def test_add_prints_the_id_and_show_reads_it_back(cli):
    pid = cli.person("DUPONT", "Marie", "--birth-date", "12/03/1984", "--rqth-until", "2027-06-30",
                     "--external-id", "SI-1")
    person = cli.ok("person", "show", str(pid), "--json").json
    assert person["id"] == pid
    assert person["birth_date"] == "1984-03-12"
    assert person["boeth"] == "rqth" and person["rqth_until"] == "2027-06-30"
    assert person["external_id"] == "SI-1"
    text = cli.ok("person", "show", str(pid)).stdout
    assert "DUPONT Marie" in text and "until 30/06/2027" in text


def test_add_json_prints_the_id_object(cli):
    assert cli.ok("person", "add", "--last-name", "A", "--first-name", "B", "--json").json == {"id": 1}


def test_list_and_search(cli):
    cli.person("DUPONT", "Marie")
    cli.person("MARTIN", "Luc", "--rqth-definitive")
    names = [p["last_name"] for p in cli.ok("person", "list", "--json").json]
    assert names == ["DUPONT", "MARTIN"]
    assert [p["last_name"] for p in cli.ok("person", "list", "--search", "mart", "--json").json] == ["MARTIN"]
    assert "MARTIN Luc" in cli.ok("person", "list").stdout


def test_bad_person_input_is_refused_and_nothing_written(cli, store_path):
    cli.person()
    before = dump(store_path)
    assert "no person with id 9" in cli.refused("person", "show", "9")
    assert "ids are whole numbers" in cli.refused("person", "show", "abc")
    assert "no such day" in cli.refused("person", "add", "--last-name", "A", "--first-name", "B",
                                        "--birth-date", "31/04/1990")
    assert "unknown BOETH title 'nir'" in cli.refused("person", "add", "--last-name", "A", "--first-name", "B",
                                                      "--boeth", "nir")
    assert "either definitive or has an end date" in cli.refused(
        "person", "add", "--last-name", "A", "--first-name", "B", "--rqth-definitive", "--rqth-until", "2030-01-01")
    assert "last name cannot be empty" in cli.refused("person", "add", "--last-name", " ", "--first-name", "B")
    assert dump(store_path) == before


def test_missing_name_without_a_terminal_is_a_usage_error(cli):
    run = cli("person", "add", "--first-name", "B")
    assert run.exit_code == 2
    assert run.stderr.strip() == "capcli: missing --last-name (there is no terminal to ask on)"


def test_capcli_prefix_is_reserved_for_capcli_ids(cli, tmp_path):
    assert cli.refused("person", "add", "--last-name", "A", "--first-name", "B", "--external-id", "capcli-1") == (
        "capcli: invalid external id 'capcli-1': ids starting with 'capcli-' are capcli's own")
    from tests.test_import import cases_file, row

    run = cli("import", cases_file(tmp_path, row(person_ref="CAPCLI-x")))
    assert run.exit_code == 1
    assert ("line 2, column person_ref: invalid external id 'CAPCLI-x': ids starting with 'capcli-' are "
            "capcli's own") in run.stderr
