"""capcli due: the morning report (SPEC §2 rule 9, §3), with today = Monday 23/11/2026."""

import re

import pytest

from capcli import i18n

from tests.conftest import SIRET_B, SIRET_PUBLIC

MONDAY = "2026-11-23"


@pytest.fixture
def caseload(cli):
    """alice's caseload on Monday 23/11/2026 (and one case of bob's)."""
    cli.today = MONDAY
    lez = cli.employer()
    roch = cli.employer(SIRET_B, "Clinique Saint-Roch")
    ids = {}
    # Overdue: a suivi contact due Friday 20/11.
    ids["dupont"] = p = cli.person("DUPONT", "Marie", "--boeth", "rqth", "--rqth-until", "2027-01-10")
    m = cli.open("maintien", p, "--employer", str(lez), "--on", "2026-06-01")
    ids["suivi"] = cli.ok("close", str(m), "--outcome", "maintien-poste", "--on", "2026-08-20", "--json").json[
        "opened"][0]["id"]
    # Today: the first veille contact, due Monday 23/11.
    ids["martin"] = p = cli.person("MARTIN", "Luc", "--boeth", "rqth", "--rqth-until", "2026-10-01")
    mee = cli.open("maintien-en-emploi", p, "--employer", str(roch), "--on", "2026-01-10")
    ids["veille"] = cli.ok("close", str(mee), "--outcome", "reconversion", "--a-risque", "--on", "2026-05-23",
                           "--json").json["opened"][0]["id"]
    # Due Saturday 28/11: shown on Monday 30/11, the last day of the 7.
    ids["petit"] = p = cli.person("PETIT", "Julie", "--boeth", "rqth", "--rqth-definitive")
    m = cli.open("maintien", p, "--on", "2026-05-01")
    ids["suivi2"] = cli.ok("close", str(m), "--outcome", "maintien-entreprise", "--on", "2026-08-28", "--json").json[
        "opened"][0]["id"]
    # bob's contact, due Tuesday 24/11.
    p = cli.person("BLANC", "Paul")
    m = cli.open("maintien", p, "--adviser", "bob", "--on", "2026-05-01")
    cli.ok("close", str(m), "--outcome", "maintien-poste", "--on", "2026-08-24")
    # A suivi closed without its contact (forced): its contact never shows.
    p = cli.person("NOIR", "Eva")
    m = cli.open("maintien", p, "--on", "2026-05-01")
    closed = cli.ok("close", str(m), "--outcome", "maintien-poste", "--on", "2026-08-21", "--json").json
    cli.ok("close", str(closed["opened"][0]["id"]), "--outcome", "consolide", "--force")
    # An idle case: nothing recorded since 01/08/2026. Its person's RQTH is definitive.
    ids["roux"] = p = cli.person("ROUX", "Ali")
    ids["idle"] = cli.open("acces-emploi", p, "--on", "2026-08-01")
    # RQTH ending soon but no open case: not shown.
    p = cli.person("VERT", "Lou", "--boeth", "rqth", "--rqth-until", "2026-12-01")
    closed_case = cli.open("acces-emploi", p, "--on", "2026-08-01")
    cli.ok("close", str(closed_case), "--outcome", "abandon")
    return ids


EXPECTED = """\
Due for alice · Mon 23/11/2026

Overdue (1)
  Fri 20/11/2026    3 days late  DUPONT Marie  Ateliers du Lez
    contact 1 (1/1) · case 2 · suivi-conventionnel

Today (1)
  Mon 23/11/2026    today        MARTIN Luc    Clinique Saint-Roch
    contact 2 (1/3) · case 4 · veille

Next 7 days (1)
  Mon 30/11/2026 *  in 7 days    PETIT Julie   -
    contact 5 (1/1) · case 6 · suivi-conventionnel
  * due on a weekend or a public holiday: shown on the next working day

RQTH ending within 6 months, or ended (2)
  MARTIN Luc    ended 01/10/2026  53 days ago  case 4 veille
    renewal to file with the MDPH (person rqth-renewal 2 --filed DATE)
  DUPONT Marie  ends 10/01/2027   in 48 days   case 2 suivi-conventionnel
    renewal to file with the MDPH (person rqth-renewal 1 --filed DATE)

Open cases with no event for 60 days (1)
  case 11  acces-emploi  diagnostic  ROUX Ali  01/08/2026 (114 days)
"""


def test_the_morning_screen_snapshot(cli, caseload):
    run = cli.ok("due")
    assert run.stdout == EXPECTED
    assert "\x1b[" not in run.stdout  # no colour outside a terminal


def test_json_keys_sections_and_working_days(cli, caseload):
    rows = cli.ok("due", "--json").json
    assert [set(r) for r in rows] == [{
        "contact_id", "case_id", "kind", "due_on", "shown_on", "person", "adviser", "number", "of", "employer",
        "days_late", "section"}] * 3
    assert [(r["section"], r["due_on"], r["shown_on"], r["days_late"], r["person"], r["case_id"], r["number"],
             r["of"]) for r in rows] == [
        ("overdue", "2026-11-20", "2026-11-20", 3, "DUPONT Marie", caseload["suivi"], 1, 1),
        ("today", "2026-11-23", "2026-11-23", 0, "MARTIN Luc", caseload["veille"], 1, 3),
        ("next", "2026-11-28", "2026-11-30", 0, "PETIT Julie", caseload["suivi2"], 1, 1),
    ]
    assert {r["adviser"] for r in rows} == {"alice"}
    assert rows[1]["employer"] == "Clinique Saint-Roch" and rows[2]["employer"] is None


def test_adviser_all_and_days(cli, caseload):
    bob = cli.ok("due", "--adviser", "bob", "--json").json
    assert [(r["person"], r["adviser"], r["shown_on"]) for r in bob] == [("BLANC Paul", "bob", "2026-11-24")]
    every = cli.ok("due", "--all", "--json").json
    assert [r["person"] for r in every] == ["DUPONT Marie", "MARTIN Luc", "BLANC Paul", "PETIT Julie"]
    assert "bob" in cli.ok("due", "--all").stdout and "Due for every adviser" in cli.ok("due", "--all").stdout
    assert [r["section"] for r in cli.ok("due", "--days", "0", "--json").json] == ["overdue", "today"]
    assert "Next 3 days" not in cli.ok("due", "--days", "3").stdout  # nothing in them: no empty section
    cli.ok("settings", "due_days", "0")
    assert len(cli.ok("due", "--json").json) == 2
    assert len(cli.ok("due", "--days", "7", "--json").json) == 3
    assert "Nothing due for nobody" in cli.ok("due", "--adviser", "nobody").stdout


def test_done_contacts_and_closed_cases_leave_the_screen(cli, caseload):
    cli.ok("contact", "done", "1", "--on", MONDAY)
    assert [r["person"] for r in cli.ok("due", "--json").json] == ["MARTIN Luc", "PETIT Julie"]
    cli.ok("close", str(caseload["suivi2"]), "--outcome", "consolide", "--force")
    assert [r["person"] for r in cli.ok("due", "--json").json] == ["MARTIN Luc"]


def test_settings_set_the_rqth_and_idle_windows(cli, caseload):
    cli.ok("settings", "rqth_warning_months", "1")
    cli.ok("settings", "idle_days", "115")
    out = cli.ok("due").stdout
    assert "RQTH ending within 1 month, or ended (1)" in out and "DUPONT" not in out.split("RQTH")[1]
    assert "no event for" not in out
    cli.ok("settings", "idle_days", "114")
    assert "Open cases with no event for 114 days (1)" in cli.ok("due").stdout


def test_an_empty_day_is_one_friendly_line(cli):
    cli.person()
    assert cli.ok("due").stdout == (
        "Nothing due for alice today or in the next 7 days, no RQTH to renew, no idle case: have a good day.\n")
    assert cli.ok("due", "--json").json == []
    assert cli.ok("due", "--csv").stdout.count("\n") == 1  # the header only
    assert cli.ok("due", "--days", "1").stdout == (  # one day, singular
        "Nothing due for alice today or in the next 1 day, no RQTH to renew, no idle case: have a good day.\n")
    assert cli.refused("due", "--days", "3000000") == "capcli: invalid --days '3000000': 366 at most"
    assert cli.ok("due", "--days", "0").stdout == (  # today only
        "Nothing due for alice today, no RQTH to renew, no idle case: have a good day.\n")


def test_only_rqth_and_idle_still_say_no_contact_is_due(cli):
    p = cli.person("ROUX", "Ali", "--boeth", "rqth", "--rqth-until", "2026-12-01")
    cli.open("acces-emploi", p, "--on", "2026-06-01")
    lines = cli.ok("due").stdout.splitlines()
    assert lines[:3] == ["Due for alice · Sun 22/11/2026", "", "No follow-up contact due today or in the next 7 days."]
    cli.ok("settings", "rqth_warning_months", "1")
    assert "RQTH ending within 1 month, or ended (1)" in cli.ok("due", "--days", "1").stdout


def test_csv(cli, caseload):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(cli.ok("due", "--csv").stdout)))
    assert list(rows[0]) == ["section", "shown_on", "due_on", "days_late", "kind", "person", "employer", "adviser",
                             "case_id", "contact_id", "number", "of"]
    assert [(r["section"], r["shown_on"], r["due_on"], r["employer"], r["number"], r["of"]) for r in rows] == [
        ("overdue", "2026-11-20", "2026-11-20", "Ateliers du Lez", "1", "1"),
        ("today", "2026-11-23", "2026-11-23", "Clinique Saint-Roch", "1", "3"),
        ("next", "2026-11-30", "2026-11-28", "", "1", "1"),
    ]


def test_ics_one_event_per_contact_with_stable_uids(cli, caseload, tmp_path):
    import os

    from icalendar import Calendar

    path = tmp_path / "due.ics"
    run = cli.ok("due", "--ics", str(path))
    assert run.stdout == f"3 contacts written to {path}\n"
    assert os.stat(path).st_mode & 0o777 == 0o600  # names of people: the owner's eyes only
    first = Calendar.from_ical(path.read_bytes())
    events = first.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == ["contact-1@capcli", "contact-2@capcli", "contact-5@capcli"]
    assert [e.decoded("dtstart").isoformat() for e in events] == ["2026-11-20", "2026-11-23", "2026-11-30"]
    assert [e.decoded("dtend").isoformat() for e in events] == ["2026-11-21", "2026-11-24", "2026-12-01"]
    assert str(events[1]["summary"]) == "Follow-up 1/3: MARTIN Luc (veille)"
    assert "due 28/11/2026" in str(events[2]["description"])
    assert str(first["prodid"]) == "-//Cap emploi//capcli//FR" and str(first["version"]) == "2.0"

    cli.ok("contact", "move", "2", "--on", "2026-11-25")  # moved: the same UID, a new date
    again = Calendar.from_ical(cli.ok("due", "--ics", "-").stdout.encode())
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == ["contact-1@capcli", "contact-2@capcli",
                                                             "contact-5@capcli"]
    assert again.walk("VEVENT")[1].decoded("dtstart").isoformat() == "2026-11-25"


def test_bad_options(cli, caseload, tmp_path):
    run = cli("due", "--all", "--adviser", "bob")
    assert run.exit_code == 2 and "capcli: --all and --adviser exclude each other: choose one" in run.stderr
    run = cli("due", "--json", "--csv")
    assert run.exit_code == 2 and "--json, --csv and --ics exclude each other" in run.stderr
    # a bad value is refused like any other (SPEC §3: exit 1, one line), by Typer's path and the fast one
    assert cli.refused("due", "--days", "-1") == "capcli: invalid --days '-1': write a whole number (0, 1, 2…)"
    assert cli.refused("due", "--days", "many") == "capcli: invalid --days 'many': write a whole number (0, 1, 2…)"
    assert cli.refused("due", "--ics", str(tmp_path / "missing" / "x.ics")).startswith(
        f"capcli: cannot write {tmp_path / 'missing' / 'x.ics'}: the folder {tmp_path / 'missing'} does not exist")


def test_a_store_that_cannot_be_read_is_one_line(cli, tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database at all " * 100)
    assert "is not a capcli store" in cli.refused("--db", str(bad), "due")


def test_colours_only_on_a_terminal_without_no_color():
    from capcli.env import Env

    assert Env(environ={}, stdout_isatty=True).colour
    assert not Env(environ={}, stdout_isatty=False).colour
    assert not Env(environ={"NO_COLOR": "1"}, stdout_isatty=True).colour
    assert Env(environ={"NO_COLOR": ""}, stdout_isatty=True).colour  # no-color.org: empty does not count
    assert not Env(environ={"TERM": "dumb"}, stdout_isatty=True).colour


def test_coloured_screen_says_the_same(cli, caseload, capsys, monkeypatch):
    from capcli import env as env_module
    from capcli.env import Env
    from capcli.render import due
    from capcli.services.due import due_report
    from capcli.store.engine import open_store

    env_module.inject(Env(environ={"CAPCLI_TODAY": MONDAY, "CAPCLI_ADVISER": "alice"}, stdout_isatty=True))
    env = env_module.start(cli.store_path)
    store = open_store(env.db_path)
    try:
        report = due_report(store, today=env.today, adviser="alice")
    finally:
        store.close()
    due.print_report(report, colour=False)
    assert capsys.readouterr().out == EXPECTED
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich writes colours although pytest captures stdout
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    due.print_report(report, colour=True)
    coloured = capsys.readouterr().out
    assert "\x1b[1;31m  Fri 20/11/2026    3 days late" in coloured  # overdue in bold red
    assert "\x1b[31m  MARTIN Luc    ended 01/10/2026" in coloured  # an RQTH that has ended in red
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == EXPECTED


# --- the fast path: the same answers as Typer ------------------------------------------


def test_the_fast_path_answers_like_typer(cli, caseload, capsys, monkeypatch):
    from capcli import entry

    monkeypatch.setenv("CAPCLI_DB", str(cli.store_path))
    monkeypatch.setenv("CAPCLI_TODAY", MONDAY)
    monkeypatch.setenv("CAPCLI_ADVISER", "alice")
    monkeypatch.setenv("CAPCLI_LANG", "en")
    for argv in (["due"], ["due", "--json"], ["due", "--all"], ["due", "--adviser", "bob"],
                 ["due", "--adviser=bob", "--csv"], ["due", "--days", "0"], ["due", "--days=30", "--json"],
                 ["due", "--all", "--adviser", "bob"], ["due", "--json", "--csv"], ["due", "--ics", "-"]):
        typer_run = cli(*argv)
        monkeypatch.setattr("sys.argv", ["capcli"] + argv)
        with pytest.raises(SystemExit) as exit_info:
            entry.main()
        captured = capsys.readouterr()

        def stable(text: str) -> str:  # a calendar's DTSTAMP is the time of writing; CliRunner drops \r
            return "".join(line for line in text.replace("\r\n", "\n").splitlines(True)
                           if not line.startswith("DTSTAMP"))

        assert (exit_info.value.code, stable(captured.out), captured.err) == (
            typer_run.exit_code, stable(typer_run.stdout), typer_run.stderr), argv


def test_the_fast_path_leaves_everything_else_to_typer():
    from capcli.commands.due import parse_fast

    assert parse_fast(["due"]) == (None, {})
    assert parse_fast(["--db", "x.sqlite", "due", "--all", "--ics", "-"]) == ("x.sqlite", {"every": True, "ics": "-"})
    assert parse_fast(["--db=x.sqlite", "due", "--days", "3"]) == ("x.sqlite", {"days": 3})
    for argv in (["due", "--help"], ["due", "--days", "-1"], ["due", "--days", "x"], ["due", "--adviser"],
                 ["due", "extra"], ["--version"], ["list"], [], ["--db"], ["--db", "", "due"], ["due", "--json=1"],
                 ["due", "--adviser", "--json"], ["--help", "due"]):
        assert parse_fast(argv) is None, argv


# --- 18 months of mornings -----------------------------------------------------------


def test_a_maintien_suivi_renewal_veille_chain_day_by_day(cli):
    def due():
        return [(r["section"], r["kind"], r["number"], r["of"], r["shown_on"]) for r in cli.ok("due", "--json").json]

    cli.today = "2026-01-05"
    p = cli.person("DUPONT", "Marie")
    maintien = cli.open("maintien", p)
    assert due() == []
    cli.today = "2026-03-02"
    cli.ok("advance", str(maintien), "--to", "mise-en-oeuvre")
    suivi = cli.ok("close", str(maintien), "--outcome", "maintien-poste", "--json").json["opened"][0]["id"]
    assert due() == []  # the suivi contact is due 02/06/2026, three months on
    cli.today = "2026-05-28"
    assert due() == [("next", "suivi-conventionnel", 1, 1, "2026-06-02")]
    cli.today = "2026-06-02"
    assert due() == [("today", "suivi-conventionnel", 1, 1, "2026-06-02")]
    cli.today = "2026-06-10"
    assert [(r["section"], r["days_late"]) for r in cli.ok("due", "--json").json] == [("overdue", 8)]
    [contact] = cli.ok("due", "--json").json
    cli.ok("contact", "done", str(contact["contact_id"]), "--on", "2026-06-09")
    assert due() == []
    cli.ok("renew", str(suivi))  # due 09/09/2026
    assert cli.refused("renew", str(suivi)).endswith("is renewed once")
    cli.today = "2026-09-03"
    assert due() == [("next", "suivi-conventionnel", 2, 2, "2026-09-09")]
    cli.today = "2026-09-09"
    [contact] = cli.ok("due", "--json").json
    assert contact["section"] == "today"
    assert "a maintien should be re-opened" in cli.ok("contact", "done", str(contact["contact_id"]), "--risk").stdout
    assert due() == []
    veille = cli.ok("close", str(suivi), "--outcome", "a-risque", "--json").json["opened"][0]["id"]
    # The veille: contacts due 09/03/2027, 09/09/2027, 09/03/2028 (a Thursday).
    cli.today = "2026-11-22"
    assert due() == []
    cli.today = "2027-03-05"  # a Friday: the 09/03 (Tuesday) is in the next 7 days
    assert due() == [("next", "veille", 1, 3, "2027-03-09")]
    cli.today = "2027-03-15"
    assert due() == [("overdue", "veille", 1, 3, "2027-03-09")]
    first, second, third = [c["id"] for c in cli.show(veille)["contacts"]]
    cli.ok("contact", "done", str(first), "--on", "2027-03-12")
    cli.ok("contact", "add", str(veille), "--on", "2027-06-14")  # a 4th, in the window
    cli.today = "2027-06-14"
    assert due() == [("today", "veille", 4, 4, "2027-06-14")]
    cli.ok("contact", "done", str(first + 3))
    assert "a veille has 4 at most" in cli.refused("contact", "add", str(veille), "--on", "2027-12-01")
    cli.today = "2027-09-09"
    assert due() == [("today", "veille", 2, 4, "2027-09-09")]
    cli.ok("contact", "done", str(second))
    assert "outside the veille window" in cli.refused("contact", "move", str(third), "--on", "2028-03-10")
    cli.ok("contact", "move", str(third), "--on", "2028-03-09")
    cli.today = "2028-03-06"
    assert due() == [("next", "veille", 3, 4, "2028-03-09")]
    cli.today = "2028-03-09"
    cli.ok("contact", "done", str(third))
    assert due() == []
    cli.ok("close", str(veille), "--outcome", "stable")
    assert cli.ok("due").stdout.startswith("Nothing due for alice")
    assert {c["status"] for c in cli.ok("list", "--json").json} == {"closed"}


def test_every_kind_may_have_a_contact_on_the_screen(cli):
    # A contact added to any open case shows on the screen (the adviser's own reminders).
    p = cli.person()
    case = cli.open("maintien", p, "--on", "2026-11-01")
    cli.ok("contact", "add", str(case), "--on", "2026-11-24")
    [row] = cli.ok("due", "--json").json
    assert (row["kind"], row["number"], row["of"], row["shown_on"]) == ("maintien", 1, 1, "2026-11-24")


def test_due_never_writes(cli, caseload):
    from tests.conftest import dump

    before = dump(cli.store_path)
    cli.ok("due")
    cli.ok("due", "--all", "--json")
    assert dump(cli.store_path) == before


def test_the_bench_store_answers(tmp_path):
    """The benchmark's builder makes a store that `due` reads (a small one here)."""
    import importlib.util
    from datetime import date
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("make_store", Path(__file__).parents[1] / "bench" / "make_store.py")
    make_store = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_store)
    path = tmp_path / "bench.sqlite"
    make_store.build(path, cases=400, contacts_per_case=4)
    from capcli.services.due import due_report
    from capcli.store.engine import open_store

    from capcli.domain.dates import next_working_day

    store = open_store(path)
    try:
        report = due_report(store, today=date(2026, 11, 22), adviser=None)
        rows = store.execute(
            "SELECT k.id, k.due_on FROM contact k JOIN accompaniment c ON c.id = k.case_id "
            "WHERE c.closed_on IS NULL AND k.done_on IS NULL AND k.due_on <= ?", ("2026-11-29",)).fetchall()
    finally:
        store.close()
    expected = {r[0] for r in rows if next_working_day(date.fromisoformat(r[1])) <= date(2026, 11, 29)}
    assert report.contacts and {c.contact_id for c in report.contacts} == expected


def test_the_morning_due_imports_neither_typer_nor_holidays_once_cached(cli, caseload, tmp_path, backend):
    """What keeps `capcli due` fast (figures in README, bench/bench_due.py): proven by what it imports."""
    import os
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "sys.argv = ['capcli', 'due']\n"
        "from capcli.entry import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print('LOADED=' + ','.join(sorted(loaded & {'typer', 'click', 'rich', 'holidays', 'sqlmodel', "
        "'sqlalchemy', 'questionary', 'pydantic', 'icalendar'})), file=sys.stderr)\n"
        "print('STDLIB=' + ','.join(sorted(loaded & {'dataclasses', 'inspect', 'dateutil', 'textwrap', 'gettext', "
        "'locale', 'typing'})), "
        "file=sys.stderr)\n"
    )
    env = {**os.environ, "CAPCLI_DB": str(cli.store_path), "CAPCLI_TODAY": MONDAY, "CAPCLI_ADVISER": "alice",
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "CAPCLI_LANG": "en"}

    def loaded() -> str:
        run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
        assert run.returncode == 0, run.stderr
        assert run.stdout == EXPECTED
        found.update(line.split("=", 1) for line in run.stderr.splitlines() if line.startswith(("LOADED=", "STDLIB=")))
        return found["LOADED"]

    found: dict[str, str] = {}
    assert loaded() == "holidays"  # the first run of the year computes the holidays and keeps them
    assert loaded() == ""
    if backend == "sqlite":  # (psycopg imports them for a team store)
        assert found["STDLIB"] == ""  # nor the slow modules of the standard library (issue 19)


# --- 80 columns (issue 15.4) -------------------------------------------------------------------

LONG_NAME = ("DE LA FONTAINE-SAINT-EXUPÉRY", "Marie-Bernadette Joséphine")
LONG_EMPLOYER = "Communauté d'agglomération Montpellier Méditerranée Métropole"


def _long_caseload(cli):
    """A contact, an RQTH ending and an idle case of a person with a long name at a long-named employer."""
    cli.today = MONDAY
    p = cli.person(*LONG_NAME, "--boeth", "rqth", "--rqth-until", "2026-12-01")
    e = cli.employer(SIRET_PUBLIC, LONG_EMPLOYER, "public")
    m = cli.open("maintien", p, "--employer", str(e), "--on", "2026-05-01")
    cli.ok("close", str(m), "--outcome", "maintien-poste", "--on", "2026-08-24")
    cli.open("maintien-en-emploi", p, "--employer", str(e), "--adviser", "marie-christine", "--on", "2026-06-01")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_text_screen_fits_80_columns_with_long_names(cli, caseload, language):
    _long_caseload(cli)
    for args in (["due"], ["due", "--all"], ["due", "--all", "--days", "30"]):
        i18n.reset()
        out = cli.ok(*args, CAPCLI_LANG=language).stdout
        assert "DE LA FONTAINE" in out and "Communauté d" in out
        assert LONG_EMPLOYER not in out and "…" in out  # cut with '…', not wrapped
        for line in out.splitlines():
            assert len(line) <= 80, (language, args, line)
        row = next(line for line in out.splitlines() if "DE LA FONTAINE" in line)  # the contact's line
        assert row.startswith("  Tue 24/11/2026    tomorrow" if language == "en" else "  mardi 24/11/2026")
        assert row.endswith("…")  # the employer cut, the date and the delay whole
        assert ("contact 8 (1/1) · case 14" if language == "en" else "contact 8 (1/1) · accompagnement 14") in out
