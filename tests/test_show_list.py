import pytest


def _caseload(cli):
    a = cli.person("DUPONT", "Marie")
    b = cli.person("MARTIN", "Luc")
    cli.employer()
    m = cli.open("maintien", a, "--employer", "1", "--on", "2026-05-04")
    cli.ok("advance", str(m), "--on", "2026-06-01")
    cli.ok("close", str(m), "--outcome", "maintien-poste", "--on", "2026-08-03")
    cli.open("acces-emploi", b, "--adviser", "bob")
    return m


def test_show_text_has_phases_contacts_and_history(cli):
    m = _caseload(cli)
    text = cli.ok("show", "2").stdout
    assert "Case 2 · suivi-conventionnel · open" in text
    assert "Follows       case 1" in text
    assert "1/1  Tue 03/11/2026" in text and "to do" in text
    closed = cli.ok("show", str(m)).stdout
    assert "signalement > [diagnostic] > solutions > mise-en-oeuvre" in closed
    assert "closed: maintien-poste on 03/08/2026" in closed
    for line in ("04/05/2026  opened", "01/06/2026  phase", "signalement -> diagnostic", "03/08/2026  closed"):
        assert line in closed


def test_show_json_keys(cli):
    _caseload(cli)
    shown = cli.show(2)
    for key in ("phase", "status", "outcome", "follows", "contacts", "needs", "events", "diagnostic", "person"):
        assert key in shown
    assert shown["contacts"][0].keys() >= {"id", "number", "of", "due_on", "done_on", "at_risk"}


def test_a_due_date_on_a_weekend_is_shown_on_the_next_working_day(cli):
    pid = cli.person()
    m = cli.open("maintien", pid, "--on", "2026-05-04")
    cli.ok("close", str(m), "--outcome", "maintien-poste", "--on", "2026-08-22")  # +3 months: Sunday 22/11/2026
    assert "Mon 23/11/2026 *" in cli.ok("show", "2").stdout
    assert cli.show(2)["contacts"][0]["due_on"] == "2026-11-22"


def test_list_filters(cli):
    _caseload(cli)
    ids = lambda *args: [c["id"] for c in cli.ok("list", "--json", *args).json]  # noqa: E731
    assert ids() == [1, 2]  # your own cases (alice's), like `due` and `report`
    assert ids("--all") == [1, 2, 3]
    assert ids("--all", "--open") == [2, 3]
    assert ids("--open") == [2]
    assert ids("--all", "--closed") == [1]
    assert ids("--adviser", "bob") == [3]
    assert ids("--kind", "maintien") == [1]
    assert ids("--person", "1") == [1, 2]
    assert "MARTIN Luc" in cli.ok("list", "--all", "--open").stdout
    assert "MARTIN Luc" not in cli.ok("list", "--open").stdout
    assert "unknown kind 'x'" in cli.refused("list", "--kind", "x")
    assert cli.ok("list", "--adviser", "nobody").stdout.strip() == "No case matches."


def test_unknown_case(cli):
    cli.new_store()
    assert "no case with id 3" in cli.refused("show", "3")


# --- list streams (issue 19): the lines of the whole table, read as the store gives them ----


def _whole_table(headers, rows, shrink):
    """The lines of `list` as they were built before it streamed: every row held at once."""
    from capcli.render import fit, ui

    return "\n".join(ui.align(fit.wrapped(headers, rows, shrink)))


def _streamed(headers, rows, shrink, piece=2):
    from capcli.render import fit, ui

    pieces = [[[ui.safe(str(cell)) for cell in column] for column in zip(*rows[i:i + piece])]
              for i in range(0, len(rows), piece)]
    return "\n".join(fit.streamed(headers, iter(pieces), shrink))


def test_streamed_lines_are_those_of_the_whole_table_with_escapes_and_short_cuts():
    headers = ["id", "kind", "person"]
    shrink = {1: 4, 2: 4}
    tables = [
        [[1, "maintien", "DUPONT Marie"], [22, "veille", "MARTIN Luc"]],  # fits: nothing cut
        [[i, "maintien-en-emploi" * 2, f"NOM{i} " + "Prénom" * 8] for i in range(1, 8)],  # cut, pieces of 2
        # every cut name ends at a space: the column comes out shorter than its width
        [[1, "a" * 30, "ABCDEFGHIJ" + " " * 2 + "K" * 40], [2, "b" * 30, "ABCDEFGHIJ" + " " * 2 + "L" * 45]],
        # text a terminal must not obey is escaped (\x1b, bidi override), longer than stored
        [[1, "maintien\x1b[2J", "EVIL\u202eNAME " + "x" * 50], [2, "veille", "tab\there\u00a0nbsp"]],
        # the last cell empty, or ending with a blank: the line ends where its text does
        [[1, "veille", ""], [2, "maintien", "ends with a blank "], [3, "veille", "x"]],
    ]
    for rows in tables:
        assert _streamed(headers, rows, shrink) == _whole_table(headers, rows, shrink)
        assert _streamed(headers, rows, shrink, piece=1000) == _whole_table(headers, rows, shrink)
    assert "\x1b" not in _streamed(headers, tables[3], shrink)
    assert _streamed(headers, [], shrink) == ""


@pytest.mark.sqlite_only  # a team store reads them in one join, and refuses to lose a person
def test_every_case_is_named_from_the_persons_read_in_their_order_even_in_a_damaged_store(cli, monkeypatch):
    """`list --all` reads the persons as a second stream sorted by case (queries._every_case_line),
    not a lookup per case: each line has its own person's name. A case whose person is missing
    (foreign keys off) is left out, as the join of every other listing leaves it, in any piece."""
    from tests.conftest import sql
    from capcli.store import queries

    persons = [cli.person(f"NOM{i}", f"Prenom{i}") for i in range(6)]
    order = (5, 3, 0, 4, 1, 2)  # persons out of case order, one of them twice
    ids = [cli.open("maintien", persons[i]) for i in order] + [cli.open("acces-emploi", persons[5])]
    order += (5,)

    def named() -> list[tuple[int, str]]:
        lines = cli.ok("list", "--all").stdout.splitlines()[1:]
        return [(int(line.split()[0]), line.split()[3]) for line in lines]

    assert named() == [(case, f"NOM{i}") for case, i in zip(ids, order)]
    whole = cli.ok("list", "--all").stdout
    monkeypatch.setattr(queries._every_case_line, "__defaults__", (2,))  # pieces of 2 cases
    assert cli.ok("list", "--all").stdout == whole
    sql(cli.store_path, "DELETE FROM person WHERE id = ?", (persons[4],))  # case ids[3]'s person
    assert named() == [(case, f"NOM{i}") for case, i in zip(ids, order) if i != 4]
    assert [c["id"] for c in cli.ok("list", "--all", "--json").json] == [c for c, _n in named()]


@pytest.mark.sqlite_only
def test_on_a_terminal_every_case_comes_through_the_join_first_lines_at_once(cli, monkeypatch):
    """The persons' stream sorts every case before its first row (0.5 s at 1M): a terminal's first
    page reads the join instead, its first rows at once."""
    from capcli import env as env_module
    from capcli.store import queries

    cli.open("maintien", cli.person("NOM1", "Prenom1"))
    piped = cli.ok("list", "--all").stdout
    monkeypatch.setattr(queries, "_every_case_line", lambda *args: pytest.fail("sorted before the first page"))
    monkeypatch.setattr(env_module, "_isatty", lambda stream: True)
    assert cli.ok("list", "--all").stdout == piped


def test_list_json_is_written_case_by_case_with_the_bytes_of_one_array(cli, capsys):
    from capcli.render import ui

    for items in ([], [{"id": 1, "name": "DUPONT\nMarie", "employer": None}], [{"a": [1, {"b": 2}]}, {"c": "é"}]):
        ui.json_out(items)
        whole = capsys.readouterr().out
        ui.json_array_out(iter(items))
        assert capsys.readouterr().out == whole
    for kind in ("maintien", "acces-emploi", "maintien"):
        cli.open(kind, cli.person())
    listed = cli.ok("list", "--json").json
    assert [case["kind"] for case in listed] == ["maintien", "acces-emploi", "maintien"]


def test_on_a_terminal_list_takes_its_widths_from_each_page(cli, monkeypatch):
    from capcli import env as env_module
    from capcli.render import cases

    short, long_ = cli.person("LI", "Wu"), cli.person("DE LA TOUR-MONTAGNE", "Marie-Christine")
    ids = [cli.open("maintien", short), cli.open("acces-emploi", short), cli.open("maintien", long_)]

    def date_column(lines):  # where the last column (opened: a date) starts
        return [lines[0].index("opened")] + [len(line) - len("22/11/2026") for line in lines[1:]]

    piped = cli.ok("list").stdout.splitlines()
    assert len(set(date_column(piped))) == 1  # one table
    monkeypatch.setattr(cases, "PAGE", 2)
    monkeypatch.setattr(env_module, "_isatty", lambda stream: True)
    paged = cli.ok("list").stdout.splitlines()
    assert len(paged) == 4
    assert [line.split()[0] for line in paged] == ["id"] + [str(i) for i in ids]  # the headers once
    at = date_column(paged)
    assert at[0] == at[1] == at[2] < at[3]  # the first page (with the headers), then the second
    assert "DE LA TOUR-MONTAGNE Marie-Christine" in paged[3] and paged[1:3] != piped[1:3]
