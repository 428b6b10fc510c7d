"""capcli report: the activity report on a hand-built caseload whose figures are derived by hand.

The caseload is built through the real commands (person add, employer add, open, close); the
follow-up contacts and the compensation needs are written with small direct SQL inserts,
because their commands belong to other issues (3 and 4): only the tables are shared.
"""

from __future__ import annotations

import pytest

from capcli import env as env_module
from capcli.env import Env
from capcli.store.engine import open_store
from tests.conftest import Cli, dump


def insert_contacts(store_path, rows):
    """Direct SQL (the contact commands are issue 3's): rows of (case, due_on, done_on or None)."""
    store = open_store(store_path)
    try:
        with store.transaction():
            for number, (case, due_on, done_on) in enumerate(rows, start=100):
                store.execute("INSERT INTO contact (case_id, number, due_on, done_on) VALUES (?, ?, ?, ?)",
                              (case, number, due_on, done_on))
    finally:
        store.close()


def insert_needs(store_path, rows):
    """Direct SQL (the need commands are issue 4's): rows of (case, category, funder, cents, status,
    created_on)."""
    store = open_store(store_path)
    try:
        with store.transaction():
            for case, category, funder, cents, status, created_on in rows:
                store.execute(
                    "INSERT INTO need (case_id, category, description, funder, amount_cents, status, created_on,"
                    " updated_on) VALUES (?, ?, 'test', ?, ?, ?, ?, ?)",
                    (case, category, funder, cents, status, created_on, created_on))
    finally:
        store.close()


def build_caseload(cli) -> dict:
    """The caseload of the tests, around the period 2026-Q2 (01/04/2026 to 30/06/2026).

    Adviser alice (CAPCLI_ADVISER) unless said; today is 22/11/2026, after the period.
    """
    ids = {}
    cli.employer()  # the maintiens' employer

    def person(name):
        return cli.person(name, "Test")

    # acces-emploi: A opened BEFORE the period and closed within it (115 days: 15/01 -> 10/05).
    ids["A"] = cli.open("acces-emploi", person("A"), "--on", "2026-01-15")
    cli.ok("close", ids["A"], "--outcome", "emploi-durable", "--on", "2026-05-10")
    # B opened on the first day and closed on the last day of the period (90 days).
    ids["B"] = cli.open("acces-emploi", person("B"), "--on", "2026-04-01")
    cli.ok("close", ids["B"], "--outcome", "emploi-transition", "--on", "2026-06-30")
    # C opened within the period, still open.
    ids["C"] = cli.open("acces-emploi", person("C"), "--on", "2026-06-15")
    # maintien D: 01/02 -> 20/04 (78 days), maintien-poste: opens suivi E on 20/04 (contact due 20/07,
    # after the period).
    ids["D"] = cli.open("maintien", person("D"), "--employer", "1", "--on", "2026-02-01")
    ids["E"] = cli.ok("close", ids["D"], "--outcome", "maintien-poste", "--on", "2026-04-20",
                      "--json").json["opened"][0]["id"]
    # maintien F: 10/04 -> 29/05 (49 days), echec: opens maintien-en-emploi G on 29/05.
    ids["F"] = cli.open("maintien", person("F"), "--employer", "1", "--on", "2026-04-10")
    ids["G"] = cli.ok("close", ids["F"], "--outcome", "echec", "--on", "2026-05-29", "--json").json["opened"][0]["id"]
    # maintien H: 01/03 -> 01/06 (92 days), maintien-entreprise: opens suivi I on 01/06 (contact due 01/09).
    ids["H"] = cli.open("maintien", person("H"), "--employer", "1", "--on", "2026-03-01")
    ids["I"] = cli.ok("close", ids["H"], "--outcome", "maintien-entreprise", "--on", "2026-06-01",
                      "--json").json["opened"][0]["id"]
    # maintien J, adviser bob: 05/04 -> 10/06 (66 days), sans-suite.
    ids["J"] = cli.open("maintien", person("J"), "--adviser", "bob", "--on", "2026-04-05")
    cli.ok("close", ids["J"], "--outcome", "sans-suite", "--on", "2026-06-10")
    # evolution-pro K closed the day before the period: in no figure of the period.
    ids["K"] = cli.open("evolution-pro", person("K"), "--on", "2025-10-01")
    cli.ok("close", ids["K"], "--outcome", "projet-realise", "--on", "2026-03-31")
    # emploi-accompagne L: opened before the period, open throughout.
    ids["L"] = cli.open("emploi-accompagne", person("L"), "--on", "2025-12-01")
    # maintien M opened after the period: in no figure of the period.
    ids["M"] = cli.open("maintien", person("M"), "--employer", "1", "--on", "2026-07-05")

    insert_contacts(cli.store_path, [
        (ids["L"], "2026-04-15", "2026-04-15"),  # c1: done exactly on its due date: on time
        (ids["L"], "2026-05-02", "2026-05-04"),  # c2: due Saturday 02/05, done Monday 04/05: on time
        (ids["L"], "2026-05-02", "2026-05-05"),  # c3: same due date, done Tuesday: late
        (ids["L"], "2026-06-03", "2026-06-10"),  # c4: done a week late
        (ids["L"], "2026-06-17", None),          # c5: never done: overdue
        (ids["L"], "2026-03-31", None),          # c6: due before the period: not counted
        (ids["L"], "2026-07-01", None),          # c7: due after the period: not counted
        (ids["J"], "2026-05-20", "2026-05-20"),  # c8: bob's, on time
        (ids["A"], "2026-06-01", None),          # c9: on a case closed 10/05, never done: cancelled, not counted
    ])
    insert_needs(cli.store_path, [
        (ids["D"], "amenagement-poste", "agefiph", 150000, "accorde", "2026-04-02"),  # n1
        (ids["D"], "aide-technique", "agefiph", 80000, "refuse", "2026-04-03"),  # n2
        (ids["F"], "amenagement-poste", "agefiph", 200050, "mis-en-place", "2026-05-01"),  # n3
        (ids["F"], "amenagement-poste", "fiphfp", 30000, "identifie", "2026-05-02"),  # n4
        (ids["L"], "formation", "region", 120000, "demande", "2026-06-30"),  # n5
        (ids["L"], "formation", "region", None, "demande", "2026-06-01"),  # n6: no amount yet
        (ids["D"], "mobilite", "agefiph", 99900, "accorde", "2026-03-31"),  # n7: before the period
        (ids["J"], "aide-humaine", "agefiph", 10000, "accorde", "2026-05-05"),  # n8: bob's
    ])
    return ids


@pytest.fixture(scope="module")
def caseload_template(tmp_path_factory):
    """Built once for the module; each test gets its own copy of the store file."""
    path = tmp_path_factory.mktemp("caseload") / "store.sqlite"
    store = open_store(path, create=True)  # one file, no WAL left behind to copy
    store.close()
    builder = Cli(path)
    ids = build_caseload(builder)
    checkpoint = open_store(path)
    checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint.close()
    return path, ids


@pytest.fixture
def caseload(cli, caseload_template) -> dict:
    import shutil

    if hasattr(cli.store_path, "for_login"):  # a team store: built in it (no file to copy)
        ids = build_caseload(cli)
        cli.today = "2026-11-22"
        return ids
    path, ids = caseload_template
    shutil.copyfile(path, cli.store_path)
    return ids


ZERO = {"opened": 0, "closed": 0, "open_at_end": 0}


def by_key(section, key):
    return {row[key]: {k: v for k, v in row.items() if k != key} for row in section["rows"]}


def test_quarter_for_the_default_adviser(cli, caseload):
    report = cli.ok("report", "--quarter", "2026-Q2", "--json").json
    assert report["period"] == {"label": "2026-Q2", "from": "2026-04-01", "to": "2026-06-30"}
    assert (report["adviser"], report["by"]) == ("alice", "kind")

    # Cases (alice's; J is bob's, K closed before, M opened after the period):
    #   acces-emploi: opened B, C = 2; closed A (opened before), B = 2; open on 30/06: C = 1
    #     (B closed on 30/06 is not open at the end).
    #   maintien: opened F = 1; closed D, F, H = 3; open 0.
    #   maintien-en-emploi: G opened 29/05 by the echec, still open.
    #   suivi-conventionnel: E (20/04) and I (01/06), both open.
    #   emploi-accompagne: L opened before, open at the end.
    assert by_key(report["cases"], "kind") == {
        "acces-emploi": {"opened": 2, "closed": 2, "open_at_end": 1},
        "maintien": {"opened": 1, "closed": 3, "open_at_end": 0},
        "maintien-en-emploi": {"opened": 1, "closed": 0, "open_at_end": 1},
        "evolution-pro": ZERO,
        "suivi-conventionnel": {"opened": 2, "closed": 0, "open_at_end": 2},
        "veille": ZERO,
        "emploi-accompagne": {"opened": 0, "closed": 0, "open_at_end": 1},
    }
    assert report["cases"]["total"] == {"opened": 6, "closed": 5, "open_at_end": 5}

    # Outcomes: A emploi-durable, B emploi-transition; D maintien-poste, H maintien-entreprise, F echec.
    assert [(r["kind"], r["outcome"], r["cases"], r["share"]) for r in report["outcomes"]["rows"]] == [
        ("acces-emploi", "emploi-durable", 1, 0.5),
        ("acces-emploi", "emploi-transition", 1, 0.5),
        ("maintien", "maintien-poste", 1, 0.3333),
        ("maintien", "maintien-entreprise", 1, 0.3333),
        ("maintien", "echec", 1, 0.3333),
    ]
    assert report["outcomes"]["total"] == {"cases": 5}

    # Rates: maintien (D poste + H entreprise) / (D, F, H) = 2/3; lasting employment A / (A, B) = 1/2.
    assert report["rates"]["rows"] == [
        {"rate": "maintien-success", "kind": "maintien", "successes": 2, "closed": 3, "value": 0.6667},
        {"rate": "lasting-employment", "kind": "acces-emploi", "successes": 1, "closed": 2, "value": 0.5},
    ]

    # Contacts due 01/04..30/06 on alice's cases: c1..c5 (L); c9 (A) is due 01/06 on a case closed
    # 10/05 and never done: the closing cancelled it, it is not counted.
    #   on time: c1 (done on its due date), c2 (due Saturday, done Monday) = 2
    #   late: c3 (done Tuesday), c4 = 2; overdue: c5 = 1.
    contacts = by_key(report["contacts"], "kind")
    assert contacts["emploi-accompagne"] == {"due": 5, "on_time": 2, "late": 2, "overdue": 1, "pending": 0}
    assert "acces-emploi" not in contacts or contacts["acces-emploi"]["due"] == 0
    assert report["contacts"]["total"] == {"due": 5, "on_time": 2, "late": 2, "overdue": 1, "pending": 0}

    # Needs identified 01/04..30/06 on alice's cases: n1..n6 (n7 is from 31/03, n8 is bob's).
    #   amenagement-poste/agefiph: n1 accorde 1,500.00 + n3 mis-en-place 2,000.50: both requested and granted.
    #   amenagement-poste/fiphfp: n4 identifie: not requested yet.
    #   aide-technique/agefiph: n2 refuse 800.00: requested, not granted.
    #   formation/region: n5 demande 1,200.00 and n6 demande with no amount: 2 requested, 1,200.00.
    assert report["needs"]["rows"] == [
        {"category": "amenagement-poste", "funder": "agefiph", "needs": 2, "requested": 2,
         "requested_amount": 3500.5, "granted": 2, "granted_amount": 3500.5},
        {"category": "amenagement-poste", "funder": "fiphfp", "needs": 1, "requested": 0,
         "requested_amount": 0.0, "granted": 0, "granted_amount": 0.0},
        {"category": "aide-technique", "funder": "agefiph", "needs": 1, "requested": 1,
         "requested_amount": 800.0, "granted": 0, "granted_amount": 0.0},
        {"category": "formation", "funder": "region", "needs": 2, "requested": 2,
         "requested_amount": 1200.0, "granted": 0, "granted_amount": 0.0},
    ]
    assert report["needs"]["total"] == {"needs": 6, "requested": 5, "requested_amount": 5500.5, "granted": 2,
                                        "granted_amount": 3500.5}

    # Median durations: acces-emploi (115, 90) -> 102.5; maintien (78, 49, 92) -> 78.
    durations = by_key(report["durations"], "kind")
    assert durations["acces-emploi"] == {"closed": 2, "median_days": 102.5}
    assert durations["maintien"] == {"closed": 3, "median_days": 78.0}
    assert durations["evolution-pro"] == {"closed": 0, "median_days": None}


def test_all_advisers_and_one_adviser(cli, caseload):
    report = cli.ok("report", "--quarter", "2026-q2", "--all", "--json").json
    assert report["adviser"] is None
    # bob's J adds one maintien opened and closed (sans-suite), his contact c8 and his need n8.
    assert by_key(report["cases"], "kind")["maintien"] == {"opened": 2, "closed": 4, "open_at_end": 0}
    assert report["cases"]["total"] == {"opened": 7, "closed": 6, "open_at_end": 5}
    assert report["rates"]["rows"][0] == {"rate": "maintien-success", "kind": "maintien", "successes": 2,
                                          "closed": 4, "value": 0.5}
    # maintien durations 49, 66, 78, 92: the mean of the two middle ones is 72.
    assert by_key(report["durations"], "kind")["maintien"] == {"closed": 4, "median_days": 72.0}
    assert report["contacts"]["total"] == {"due": 6, "on_time": 3, "late": 2, "overdue": 1, "pending": 0}
    assert report["needs"]["total"]["granted_amount"] == 3600.5  # + n8 100.00

    bob = cli.ok("report", "--quarter", "2026-Q2", "--adviser", "bob", "--json", "--by", "adviser").json
    assert bob["cases"]["rows"] == [{"adviser": "bob", "opened": 1, "closed": 1, "open_at_end": 0}]
    assert bob["rates"]["rows"][0]["value"] == 0.0  # 0 successes over 1 closed
    assert bob["rates"]["rows"][1]["value"] is None  # no acces-emploi closed: no rate
    assert bob["contacts"]["rows"] == [{"adviser": "bob", "due": 1, "on_time": 1, "late": 0, "overdue": 0,
                                        "pending": 0}]

    by_adviser = cli.ok("report", "--quarter", "2026-Q2", "--all", "--by", "adviser", "--json").json
    assert [r["adviser"] for r in by_adviser["cases"]["rows"]] == ["alice", "bob"]


def test_by_month(cli, caseload):
    report = cli.ok("report", "--from", "2026-04-01", "--to", "30/06/2026", "--by", "month", "--json").json
    assert report["period"]["label"] == "2026-04-01..2026-06-30"
    # Open when the period starts (alice): A, D, H, L = 4.
    #   April: opened B, E, F (+3), closed D (-1) -> 6.  May: opened G (+1), closed A, F (-2) -> 5.
    #   June: opened C, I (+2), closed B, H (-2) -> 5.
    assert report["cases"]["rows"] == [
        {"month": "2026-04", "opened": 3, "closed": 1, "open_at_end": 6},
        {"month": "2026-05", "opened": 1, "closed": 2, "open_at_end": 5},
        {"month": "2026-06", "opened": 2, "closed": 2, "open_at_end": 5},
    ]
    assert report["cases"]["total"] == {"opened": 6, "closed": 5, "open_at_end": 5}
    # Contacts by month of their due date: April c1; May c2, c3; June c4, c5, c9.
    assert report["contacts"]["rows"] == [
        {"month": "2026-04", "due": 1, "on_time": 1, "late": 0, "overdue": 0, "pending": 0},
        {"month": "2026-05", "due": 2, "on_time": 1, "late": 1, "overdue": 0, "pending": 0},
        {"month": "2026-06", "due": 2, "on_time": 0, "late": 1, "overdue": 1, "pending": 0},
    ]


def test_a_period_with_no_data(cli, caseload):
    report = cli.ok("report", "--month", "2025-02", "--all", "--json").json
    assert report["period"] == {"label": "2025-02", "from": "2025-02-01", "to": "2025-02-28"}
    assert report["cases"]["total"] == {"opened": 0, "closed": 0, "open_at_end": 0}
    assert report["outcomes"] == {"rows": [], "total": {"cases": 0}}
    assert [r["value"] for r in report["rates"]["rows"]] == [None, None]
    assert report["contacts"]["total"] == {"due": 0, "on_time": 0, "late": 0, "overdue": 0, "pending": 0}
    assert report["needs"]["rows"] == []
    assert cli.ok("report", "--month", "2025-02", "--all", "--csv", "--section", "needs").stdout.splitlines()[1] == (
        "total,,0,0,0.0,0,0.0")  # amounts are euros with a dot, empty or not
    assert all(r["median_days"] is None for r in report["durations"]["rows"])
    text = cli.ok("report", "--month", "2025-02", "--all").stdout
    assert "Outcomes of the cases closed in the period\n  nothing in the period" in text
    assert "maintien success    maintien      0          0       —" in text


def test_an_empty_store(cli):
    cli.new_store()
    report = cli.ok("report", "--json").json
    assert report["cases"]["total"] == {"opened": 0, "closed": 0, "open_at_end": 0}


def test_default_period_is_the_year_to_date_and_pending_contacts(cli):
    cli.today = "2026-11-22"  # a Sunday
    case = cli.open("emploi-accompagne", cli.person(), "--on", "2026-01-05")
    insert_contacts(cli.store_path, [
        (case, "2026-11-20", None),  # Friday, not done: overdue
        (case, "2026-11-21", None),  # Saturday, not done: its deadline is Monday 23/11: not yet due
        (case, "2026-11-22", None),  # today (Sunday), not done: not yet due
        (case, "2025-12-31", None),  # last year: not counted
    ])
    report = cli.ok("report", "--json").json
    assert report["period"] == {"label": "2026", "from": "2026-01-01", "to": "2026-11-22"}
    assert report["contacts"]["total"] == {"due": 3, "on_time": 0, "late": 0, "overdue": 1, "pending": 2}
    # --year of the current year is reported to date, like the default.
    assert cli.ok("report", "--year", "2026", "--json").json["period"]["to"] == "2026-11-22"


def test_csv_sections(cli, caseload):
    run = cli.ok("report", "--quarter", "2026-Q2", "--csv", "--section", "rates")
    assert run.stdout == (
        "rate,kind,successes,closed,value\n"
        "maintien-success,maintien,2,3,0.6667\n"
        "lasting-employment,acces-emploi,1,2,0.5\n"
    )
    needs = cli.ok("report", "--quarter", "2026-Q2", "--csv", "--section", "needs").stdout.splitlines()
    assert needs[0] == "category,funder,needs,requested,requested_amount,granted,granted_amount"
    assert needs[-1] == "total,,6,5,5500.5,2,3500.5"
    full = cli.ok("report", "--quarter", "2026-Q2", "--csv").stdout
    tables = full.split("\n\n")
    assert [t.splitlines()[0] for t in tables] == ["cases", "outcomes", "rates", "contacts", "needs", "durations",
                                                    "measures", "uptake"]
    assert tables[0].splitlines()[1] == "kind,opened,closed,open_at_end"
    assert tables[0].splitlines()[-1] == "total,6,5,5"


def test_plain_text_when_piped(cli, caseload):
    text = cli.ok("report", "--quarter", "2026-Q2").stdout
    assert text.startswith("Activity report 2026-Q2 (01/04/2026 to 30/06/2026) · adviser alice\n")
    assert "maintien success    maintien      2          3       66.7 %" in text
    assert "amenagement-poste  agefiph  2      2          3,500.50 €" in text
    assert "\x1b[" not in text and "█" not in text


def on_a_terminal(cli, **environ):
    """The next invocation believes stdout is a terminal (rich tables and bars)."""
    env_module.inject(Env(environ={"CAPCLI_DB": str(cli.store_path), "CAPCLI_TODAY": "2026-11-22",
                                   "CAPCLI_ADVISER": "alice", **environ}, stdout_isatty=True))


def test_rich_tables_and_bars_on_a_terminal(cli, caseload):
    on_a_terminal(cli, NO_COLOR="1")
    text = cli.ok("report", "--quarter", "2026-Q2").stdout
    assert "█" in text and "▓" in text and "░" in text  # bars: on time, late, overdue; outcomes
    assert "\x1b[" not in text  # NO_COLOR: no escape sequence at all
    assert "amenagement-poste" in text and "2 · 3,501 €" in text  # needs: count · whole euros
    assert all(len(line) <= 80 for line in text.splitlines())

    on_a_terminal(cli)
    coloured = cli.ok("report", "--quarter", "2026-Q2", "--section", "contacts", NO_COLOR=None).stdout
    assert "\x1b[" in coloured and "█" in coloured


BAD = [
    (["--quarter", "2026-Q5"], 1,
     "capcli: invalid --quarter '2026-Q5': write it as YYYY-QN with N from 1 to 4, e.g. 2026-Q3"),
    (["--month", "2026-13"], 1,
     "capcli: invalid --month '2026-13': write it as YYYY-MM with a month from 01 to 12, e.g. 2026-03"),
    (["--year", "26"], 1, "capcli: invalid --year '26': write it as YYYY, e.g. 2026"),
    (["--from", "2026-05-01", "--to", "2026-04-01"], 1,
     "capcli: --from 01/05/2026 is after --to 01/04/2026: give the earlier date first"),
    (["--from", "2026-02-30"], 1, "capcli: invalid --from '2026-02-30': no such day in the calendar"),
    (["--year", "2026", "--month", "2026-03"], 2,
     "capcli: choose one period: --year, --month cannot be combined (use --from/--to, --year, --quarter or "
     "--month)"),
    (["--by", "week"], 1, "capcli: unknown --by 'week' (valid: kind, adviser, month)"),
    (["--section", "money"], 1,
     "capcli: unknown --section 'money' (valid: cases, outcomes, rates, contacts, needs, durations, measures, uptake)"),
    (["--year", "2027"], 1, "capcli: the period 2027 starts after today (22/11/2026): there is nothing to report yet"),
    (["--all", "--adviser", "bob"], 2,
     "capcli: --adviser and --all cannot be combined: choose one adviser or the whole agency"),
    (["--csv", "--json"], 2, "capcli: --csv and --json cannot be combined: choose one format"),
]


@pytest.mark.parametrize("args, status, message", BAD, ids=[" ".join(b[0]) for b in BAD])
def test_bad_input_is_one_clear_line(cli, store_path, args, status, message):
    cli.person()
    before = dump(store_path)
    run = cli("report", *args)
    assert (run.exit_code, run.stderr.strip()) == (status, message)
    assert run.stdout == "" and "Traceback" not in run.stderr
    assert dump(store_path) == before


def test_sql_figures_match_the_domain_definitions_row_by_row(tmp_path):
    """On a small generated store (the benchmark's builder), the SQL aggregates equal the domain's
    definitions applied to every row in Python: contact_state for contacts, median for durations."""
    import sys
    from datetime import date
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from make_store import build

    from capcli.domain import report as figures
    from capcli.services.report import build_report

    path = tmp_path / "small.sqlite"
    build(path, cases=400, contacts_per_case=3, today=date(2026, 11, 22))
    store = open_store(path)
    try:
        period = figures.parse_period(date(2026, 11, 22), from_="2025-07-01")
        result = build_report(store, period, adviser=None, by="kind", today=date(2026, 11, 22))
        rows = store.execute(
            "SELECT a.kind, c.due_on, c.done_on, a.closed_on FROM contact c JOIN accompaniment a ON a.id = c.case_id "
            "WHERE c.due_on BETWEEN ? AND ?", (period.start.isoformat(), period.end.isoformat())).fetchall()
        closed = store.execute(
            "SELECT kind, opened_on, closed_on FROM accompaniment WHERE closed_on BETWEEN ? AND ?",
            (period.start.isoformat(), period.end.isoformat())).fetchall()
    finally:
        store.close()
    expected = {}
    for kind, due_on, done_on, closed_on in rows:
        state = figures.contact_state(date.fromisoformat(due_on), done_on and date.fromisoformat(done_on),
                                      date(2026, 11, 22), closed_on and date.fromisoformat(closed_on))
        if state is None:  # cancelled by its case's closing
            continue
        counts = expected.setdefault(kind, {"due": 0, "on_time": 0, "late": 0, "overdue": 0, "pending": 0})
        counts["due"] += 1
        counts[state.replace("-", "_")] += 1
    got = {r["kind"]: {k: v for k, v in r.items() if k != "kind"} for r in result.sections["contacts"].rows}
    assert {k: v for k, v in got.items() if v["due"]} == expected
    assert sum(v["on_time"] for v in expected.values()) and sum(v["late"] for v in expected.values())

    days = {}
    for kind, opened_on, closed_on in closed:
        days.setdefault(kind, []).append((date.fromisoformat(closed_on) - date.fromisoformat(opened_on)).days)
    medians = {r["kind"]: r["median_days"] for r in result.sections["durations"].rows if r["closed"]}
    assert medians == {kind: figures.median(values) for kind, values in days.items()}


def test_help_imports_neither_the_store_schema_nor_rich_nor_holidays():
    import subprocess
    import sys

    probe = ("import sys\nsys.argv = ['capcli', 'report', '--help']\nfrom capcli.app import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('LOADED=' + ','.join(sorted(m for m in ('rich', 'sqlmodel', 'sqlalchemy', 'holidays') "
             "if m in sys.modules)), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "--quarter" in run.stdout
    assert "LOADED=\n" in run.stderr


def test_median_durations_with_equal_durations_and_several_outcomes(cli):
    """The median is counted per (outcome, duration) first: equal durations of different outcomes are
    one value each, on both sides of the middle or straddling it."""
    def closed(kind, days, outcome, n):
        opened = f"2026-03-{31 - days:02d}"
        case = cli.open(kind, cli.person(f"P{n}", "Test"), "--on", opened)
        cli.ok("close", case, "--outcome", outcome, "--on", "2026-03-31")

    # acces-emploi 10, 20, 20, 25: the two middle ones are both 20, of two outcomes -> 20.0
    for n, (days, outcome) in enumerate([(20, "emploi-durable"), (10, "emploi-durable"),
                                         (20, "emploi-transition"), (25, "emploi-transition")]):
        closed("acces-emploi", days, outcome, n)
    # evolution-pro 5, 5, 9: odd count, the middle one in the pair of 5 -> 5.0
    for n, (days, outcome) in enumerate([(9, "projet-realise"), (5, "projet-abandonne"), (5, "projet-realise")]):
        closed("evolution-pro", days, outcome, 10 + n)
    report = cli.ok("report", "--month", "2026-03", "--json").json
    durations = by_key(report["durations"], "kind")
    assert durations["acces-emploi"] == {"closed": 4, "median_days": 20.0}
    assert durations["evolution-pro"] == {"closed": 3, "median_days": 5.0}
    assert by_key(report["outcomes"], "outcome")["emploi-transition"]["cases"] == 2
    for n, (days, outcome) in enumerate([(26, "emploi-transition"), (27, "emploi-durable")]):
        closed("acces-emploi", days, outcome, 20 + n)
    # 10, 20, 20, 25, 26, 27: the middle ones 20 and 25 -> 22.5
    report = cli.ok("report", "--month", "2026-03", "--json").json
    assert by_key(report["durations"], "kind")["acces-emploi"] == {"closed": 6, "median_days": 22.5}
