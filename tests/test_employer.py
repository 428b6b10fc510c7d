from tests.conftest import SIRET_A, SIRET_PUBLIC, dump


def test_add_and_list(cli):
    assert cli.employer() == 1
    assert cli.employer(SIRET_PUBLIC, "Mairie", "public") == 2
    listed = cli.ok("employer", "list", "--json").json
    assert [(e["name"], e["sector"]) for e in listed] == [("Ateliers du Lez", "prive"), ("Mairie", "public")]


def test_siret_with_spaces_is_accepted(cli):
    cli.id("employer", "add", "--siret", "732 829 320 00009", "--name", "X")
    assert cli.ok("employer", "list", "--json").json[0]["siret"] == SIRET_A


def test_invalid_siret_says_why(cli, store_path):
    assert "14 digits, this one has 5" in cli.refused("employer", "add", "--siret", "12345", "--name", "X")
    assert "check digit does not match" in cli.refused("employer", "add", "--siret", "73282932000008", "--name", "X")
    assert "digits only" in cli.refused("employer", "add", "--siret", "7328293200000A", "--name", "X")
    assert "unknown sector 'prive2'" in cli.refused("employer", "add", "--siret", SIRET_A, "--name", "X",
                                                    "--sector", "prive2")
    assert dump(store_path) == [] or all(rows == [] for table, rows in dump(store_path) if table == "employer")


def test_same_siret_twice_is_refused(cli):
    cli.employer()
    assert "already employer 1" in cli.refused("employer", "add", "--siret", SIRET_A, "--name", "Y")
