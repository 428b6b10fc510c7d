"""Bad input at scale: random arguments thrown at the commands never give a traceback, exit only
0, 1 or 2, and leave a store that passes `capcli check`."""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SIRET_A

# Bounded to keep the suite fast; CAPCLI_FUZZ_EXAMPLES=1000 searches harder.
MAX_EXAMPLES = int(os.environ.get("CAPCLI_FUZZ_EXAMPLES", "60"))
COMMANDS = (
    ("person", "add"), ("person", "show"), ("person", "list"), ("person", "export"), ("employer", "add"),
    ("employer", "list"), ("open",), ("advance",), ("close",), ("show",), ("list",), ("settings",),
    ("check",), ("purge",), ("backup",), ("contact", "done"), ("contact", "add"), ("contact", "move"), ("renew",),
    ("need", "add"), ("need", "set"), ("need", "list"), ("need", "document"), ("need", "aids"), ("diagnose",), ("due",), ("report",), ("export",),
    ("person", "edit"), ("employer", "edit"), ("case", "edit"), ("reassign",), ("cancel",),
    ("measure", "add"), ("measure", "renew"), ("measure", "end"), ("measure", "list"), ("person", "rqth-renewal"),
    ("store", "copy"),
    ("access-log",),
)
KNOWN = (
    "--last-name", "--first-name", "--person", "--employer", "--on", "--to", "--outcome", "--siret", "--name",
    "--sector", "--json", "--yes", "--force", "--a-risque", "--follows", "--requested-by", "--partner",
    "--consent", "--birth-date", "--email", "--rqth-until", "--rqth-definitive", "--boeth", "--note", "--search",
    "-o", "--", "1", "2", "3", "0", "-1", "99999999999999999999", "maintien", "veille", "acces-emploi",
    "suivi-conventionnel", "maintien-en-emploi", "echec", "maintien-poste", "a-risque", "solutions", "2026-11-22",
    "2030-01-01", "1900-01-01", "31/02/2026", "22/11/2026", SIRET_A, "12345678901234", "rqth", "prive", "public",
    "partenaire", "employeur", "x@y", "", " ", "retention_years", "due_days", "DUPONT",
    "--days", "--status", "--category", "--description", "--funder", "--amount", "--risk", "--reopen", "--month",
    "--year", "--quarter", "--by", "--csv", "--section", "--all", "--adviser", "--from", "--since", "--excel",
    "--include-health", "--situation", "--disability-type", "--health-opinion", "--restriction", "--contract",
    "--months", "demande", "accorde", "formation", "agefiph", "1 250,50", "2026-Q5", "2026-13", "cases",
    "contacts", "needs", "persons", "kind", "adviser", "month", "cdd", "moteur", "apte", "²",
    "--phone", "--address", "--external-id", "--duplicate-ok", "--reason", "--dry-run", "--case", "--kind", "alice",
    "bob", "en-cours", "LÉVÊQUE", "évolution", "evolution-pro",
    "pmsmp", "essai-encadre", "crpe", "pre-reprise", "liaison", "reprise", "--off-since", "--return-on", "--host",
    "--filed", "--decided", "--until", "--refused", "--definitive", "2026-11-02", "2026-08-01",
    "--aid", "--renewal", "--document", "fiphfp-amenagement-poste", "agefiph-recherche-solutions", "pas-auditif",
    "aggravation", "devis", "rib", "--signalement-by", "--signalement-on", "medecin-travail", "pdp",
    "access_log_months",
)
# Free text, but never a path outside the test's directory (-o and backup write where they are told).
FREE = st.text(max_size=20).filter(lambda t: not t.startswith(("/", "~")) and ".." not in t)
ARGS = st.lists(st.one_of(st.sampled_from(KNOWN), FREE), max_size=8)


@pytest.fixture
def seeded(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = cli.person()
    cli.employer()
    m = cli.open("maintien", p)
    cli.ok("close", str(m), "--outcome", "maintien-poste")
    a = cli.open("acces-emploi", cli.person("MARTIN", "Luc", "--boeth", "rqth", "--rqth-until", "2027-01-10"),
                 "--on", "2026-09-01")
    cli.ok("measure", "add", str(a), "pmsmp", "--from", "2026-11-02")
    return cli


@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(COMMANDS), args=ARGS)
def test_random_arguments_never_break_the_program_or_the_store(seeded, command, args):
    run = seeded(*command, *args)  # an exception other than SystemExit fails the test right here
    assert run.exit_code in (0, 1, 2), (command, args, run.exit_code, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr and "internal error" not in run.stderr
    if run.exit_code == 1:
        assert run.stderr.startswith("capcli: ") or command == ("check",), run.stderr
    assert seeded.ok("check").stdout == "store OK\n"


EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "cases.csv").read_text(encoding="utf-8").splitlines()
CELL = st.one_of(
    st.sampled_from(["", " ", "maintien", "veille", "echec", "a-risque", "solutions", "2026-02-30", "31/12/2026",
                     "2026-11-22", "1", "0", "-1", "yes", SIRET_A, "12345678901234", "rqth", "public", "ACC-2026-0012",
                     '"', ";", "\x00", "é", "capcli-1", "capcli-999999", "²", "9" * 25]),
    st.text(max_size=12),
)


@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(min_value=1, max_value=len(EXAMPLE) - 1), column=st.integers(min_value=0, max_value=24),
       value=CELL, truncate=st.booleans())
def test_random_rows_never_break_import_or_the_store(seeded, tmp_path, row, column, value, truncate):
    """One cell of the shipped example replaced by junk (or the file cut short): a clear answer."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(EXAMPLE))))
    rows[row][column % len(rows[row])] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    if truncate:
        text = text[: len(text) * 2 // 3]
    path = tmp_path / "fuzz.csv"
    path.write_text(text, encoding="utf-8")
    before = seeded.ok("list", "--json").stdout
    run = seeded("import", str(path))
    assert run.exit_code in (0, 1), (row, column, value, run.exit_code, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr and "internal error" not in run.stderr
    if run.exit_code == 1:
        assert run.stderr.startswith("capcli: "), run.stderr
        assert seeded.ok("list", "--json").stdout == before  # all or nothing
    assert seeded.ok("check").stdout == "store OK\n"
