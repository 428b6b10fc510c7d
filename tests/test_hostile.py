"""Hostile data: no formula reaches Excel, no escape sequence reaches a terminal, bad bytes are one line.

Formulas: `--excel` neutralises them (OWASP: a ' before), import takes the ' back, round trips stay
exact. Control characters: refused at input (one line naming the field), shown escaped when a store
already holds them, never read as rich markup. Encodings: a mixed file, a NUL, a BOM inside, bytes
that are not UTF-8 on the command line or in the environment: one clear line, exit 1.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from capcli.domain import records
from tests.conftest import SIRET_A, dump, sql
from tests.test_import import BASE, cases_file, refused_import, row

SCRIPT = shutil.which("capcli", path=str(Path(sys.executable).parent)) or shutil.which("capcli")
ESC_NAME = "Ma\x1b]0;pwned\x07rie\x1b[2J"  # sets the terminal's title, then clears the screen


# --- A. formulas and Excel ----------------------------------------------------------


FORMULAS = {
    "last_name": '=HYPERLINK("http://x","clic")',
    "first_name": "@SUM(A1)",
    "phone": "+33 6 12 34 56 78",
    "address": "-2+3",
}


@pytest.fixture
def formulas(cli):
    """Values that start as formulas, or as the neutralised form itself, through the commands."""
    cli.person(FORMULAS["last_name"], FORMULAS["first_name"], "--phone", FORMULAS["phone"],
               "--address", FORMULAS["address"], "--external-id", "'=deja")  # starts with ' + a formula start
    cli.person("'s-GRAVESANDE", "''", "--external-id", "''")  # ' then a letter; '' (escaped as ''')
    cli.employer(SIRET_A, "=cmd|' /C calc'!A0")
    cli.knows("-alice")
    case = cli.open("maintien", 1, "--employer", SIRET_A, "--requested-by", "partenaire", "--partner", "+MDPH",
                    "--adviser", "-alice", "--on", "2026-09-01")
    cli.open("acces-emploi", 2, "--on", "2026-09-01")
    cli.ok("contact", "add", str(case), "--on", "2026-12-01")
    contact = cli.show(case)["contacts"][0]["id"]
    cli.ok("contact", "done", str(contact), "--note", "=1+1\n'-2", "--on", "2026-11-02")
    return case


def _export(cli, tmp_path, report, name, *options) -> bytes:
    path = tmp_path / name
    cli.ok("export", report, "-o", str(path), *options)
    return path.read_bytes()


def test_excel_export_neutralises_formulas_the_plain_csv_keeps_them(cli, tmp_path, formulas):
    excel = _export(cli, tmp_path, "persons", "persons-excel.csv", "--excel").decode("utf-8-sig")
    assert "\n''=deja;\"'=HYPERLINK(\"\"http://x\"\",\"\"clic\"\")\";'@SUM(A1);;;'+33 6 12 34 56 78;'-2+3;" in excel
    assert "\n''';'s-GRAVESANDE;''';" in excel  # ' + a letter is left as it is; '' gets one more
    cases = _export(cli, tmp_path, "cases", "cases-excel.csv", "--excel").decode("utf-8-sig")
    assert ";'-alice;personne" not in cases and ";'-alice;partenaire;'+MDPH;" in cases
    assert ";'=cmd|' /C calc'!A0;prive" in cases and "''=deja;" in cases
    contacts = _export(cli, tmp_path, "contacts", "contacts-excel.csv", "--excel").decode("utf-8-sig")
    assert ";\"'=1+1\n'-2\"\r\n" in contacts  # the first character of the cell only
    plain = _export(cli, tmp_path, "persons", "persons.csv").decode("utf-8")
    assert '\n\'\'=deja,"=HYPERLINK(""http://x"",""clic"")",@SUM(A1),,,+33 6 12 34 56 78,-2+3,' in plain
    assert "\n''','s-GRAVESANDE,''',"  in plain  # only what would read as neutralised gets a '


@pytest.mark.parametrize("form", [(), ("--excel",)])
def test_round_trips_stay_exact_with_formulas_and_quotes(cli, tmp_path, formulas, form):
    cases = _export(cli, tmp_path, "cases", "cases.csv", *form)
    contacts = _export(cli, tmp_path, "contacts", "contacts.csv", *form)
    persons = cli.ok("person", "list", "--json").json
    cli.store_path = tmp_path / "empty.sqlite"
    cli.ok("import", str(tmp_path / "cases.csv"))
    cli.ok("import", str(tmp_path / "contacts.csv"))
    assert _export(cli, tmp_path, "cases", "again.csv", *form) == cases
    assert _export(cli, tmp_path, "contacts", "again-contacts.csv", *form) == contacts
    again = {p["external_id"]: p for p in cli.ok("person", "list", "--json").json}
    for person in persons:  # the values themselves came back, not their neutralised form
        got = again[person["external_id"]]
        assert (got["last_name"], got["first_name"], got["phone"], got["address"]) == (
            person["last_name"], person["first_name"], person["phone"], person["address"])
    assert cli.show(1)["contacts"][0]["note"] == "=1+1\n'-2" and cli.show(1)["adviser"] == "-alice"


def test_the_cell_escaping_is_its_own_inverse():
    for value in ("=1", "+33", "-", "@x", "\tx", "\rx", "'", "''", "'=", "''=", "'x", "x'", "", "'''-", "l'ami"):
        assert records.imported_cell(records.excel_cell(value)) == value
        assert records.imported_cell(records.csv_cell(value)) == value
        assert records.excel_cell(value)[:1] not in records.FORMULA_START


# --- B. control characters ------------------------------------------------------------


@pytest.fixture
def caseload(cli):
    cli.person()
    cli.employer()
    case = cli.open("maintien", 1, "--on", "2026-09-01")
    cli.ok("advance", str(case), "--on", "2026-09-02")
    cli.ok("contact", "add", str(case), "--on", "2026-12-01")
    need = cli.id("need", "add", str(case), "--category", "formation", "--description", "x", "--on", "2026-09-03")
    return {"case": str(case), "contact": str(cli.show(case)["contacts"][0]["id"]), "need": str(need)}


REFUSED_INPUTS = [
    (("person", "add", "--last-name", "A\x1b[2J", "--first-name", "M"), "last name: control character U+001B"),
    (("person", "add", "--last-name", "A", "--first-name", "M\x07"), "first name: control character U+0007"),
    (("person", "add", "--last-name", "A", "--first-name", "M", "--phone", "06\r"), "phone: control character U+000D"),
    (("person", "add", "--last-name", "A", "--first-name", "M", "--email", "a\t@b.fr"),
     "e-mail: control character U+0009"),
    (("person", "add", "--last-name", "A", "--first-name", "M", "--address", "1 rue\x9b2J"),
     "address: control character U+009B"),
    (("person", "add", "--last-name", "A", "--first-name", "M", "--external-id", "X\x7f"),
     "external id: control character U+007F"),
    (("person", "add", "--last-name", "evil\u202etxt.exe", "--first-name", "M"),
     "last name: invisible formatting character U+202E"),
    (("employer", "add", "--siret", "55208131700018", "--name", "SA\u2066X"),
     "employer name: invisible formatting character U+2066"),
    (("open", "acces-emploi", "--person", "1", "--adviser", "\x1b]8;;http://x\x1b\\bob"),
     "adviser: control character U+001B"),
    (("open", "acces-emploi", "--person", "1", "--requested-by", "partenaire", "--partner", "MDPH\n"),
     "partner: control character U+000A"),
    (("open", "acces-emploi", "--person", "1", "--note", "a\rb"), "note: control character U+000D"),
    (("advance", "{case}", "--note", "\x1b[31m"), "note: control character U+001B"),
    (("close", "{case}", "--outcome", "sans-suite", "--note", "\x00"), "note: control character U+0000"),
    (("contact", "done", "{contact}", "--note", "ok\x1b"), "note: control character U+001B"),
    (("contact", "add", "{case}", "--on", "2026-12-20", "--note", "\x85"), "note: control character U+0085"),
    (("contact", "move", "{contact}", "--on", "2026-12-21", "--note", "\ufeff"),
     "note: invisible formatting character U+FEFF"),
    (("need", "add", "{case}", "--category", "formation", "--description", "x\x1b"),
     "description: control character U+001B"),
    (("need", "set", "{need}", "--status", "demande", "--note", "\x1b"), "note: control character U+001B"),
    (("diagnose", "{case}", "--situation", "\x1b[2J"), "situation: control character U+001B"),
    (("diagnose", "{case}", "--situation", "x", "--restriction", "port\tde charges"),
     "restrictions: control character U+0009"),
]


@pytest.mark.parametrize("args, message", REFUSED_INPUTS, ids=[" ".join(a[:2]) + f" {i}"
                                                               for i, (a, _m) in enumerate(REFUSED_INPUTS)])
def test_control_characters_are_refused_at_input_naming_the_field(cli, store_path, caseload, args, message):
    before = dump(store_path)
    line = cli.refused(*(a.format(**caseload) for a in args))
    assert line.startswith("capcli: " + message + " is not allowed"), line
    assert "\x1b" not in line and "\x07" not in line and "\r" not in line  # the message does not echo it
    assert dump(store_path) == before


def test_multi_line_free_texts_keep_newlines_and_tabs(cli, caseload):
    cli.ok("advance", caseload["case"], "--note", "appel\n\tà refaire")
    cli.ok("need", "add", caseload["case"], "--category", "formation", "--description", "ligne 1\nligne 2")
    cli.ok("diagnose", caseload["case"], "--situation", "en poste\nà mi-temps")
    cli.ok("person", "add", "--last-name", "B", "--first-name", "C", "--address", "1 rue du Lez\n34000 Montpellier")
    shown = cli.show(int(caseload["case"]))
    assert [e["note"] for e in shown["events"] if e["action"] == "advanced"][-1] == "appel\n\tà refaire"
    assert shown["needs"][-1]["description"] == "ligne 1\nligne 2"
    text = cli.ok("show", caseload["case"]).stdout
    assert "appel\\n\\tà refaire" in text and "ligne 1\\nligne 2" in text  # one line each on the screen
    assert "Situation: en poste\nà mi-temps" in text  # a line of its own: kept as lines


def test_the_import_refuses_control_characters_naming_line_and_column(cli, store_path, tmp_path):
    # (each person her own first name: the same names and birth date twice would be a refused duplicate)
    path = cases_file(tmp_path, row(), row(case_ref="C2", last_name="DUPONT\x1b[2J", person_ref="P2"),
                      row(case_ref="C3", partner="x\u202e", person_ref="P3", first_name="Ana"),
                      row(case_ref="C4", address='"1 rue\n34000 Montpellier"', person_ref="P4", first_name="Zoé"),
                      row(case_ref="C5", adviser='"bob\tx"', person_ref="P5", first_name="Jeanne"),
                      row(case_ref="C6", follows_ref="C2", person_ref="P6", first_name="Lou"))
    assert refused_import(cli, store_path, path) == [
        "line 3, column last_name: control character U+001B is not allowed",
        "line 4, column partner: invisible formatting character U+202E is not allowed",
        "line 7, column adviser: control character U+0009 is not allowed",
        "line 8, column follows_ref: case 'C2' is on line 3, which was refused",
        "4 bad row(s): nothing was imported",
    ]
    cli.ok("import", cases_file(tmp_path, row(), name="c1.csv"))
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(",".join(records.CONTACT_COLUMNS) + "\nC1,1,2026-12-01,,,\"ok\nsur deux lignes\"\n"
                        "C1\t,2,2026-12-02,,,\nC1,3,2026-12-03,,,\x07\n", encoding="utf-8")
    assert refused_import(cli, store_path, str(contacts)) == [
        "line 4, column case_ref: control character U+0009 is not allowed",
        "line 5, column note: control character U+0007 is not allowed",
        "2 bad row(s): nothing was imported",
    ]


def test_a_json_line_with_a_lone_surrogate_or_a_control_escape_is_one_line(cli, store_path, tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(BASE) + "\n" + json.dumps({**BASE, "case_ref": "C2"})[:-1].replace(
        '"last_name": "DUPONT"', '"last_name": "DUPONT\\ud800"') + "}\n"
                    + json.dumps({**BASE, "case_ref": "C3", "first_name": "Ma\x1brie"}) + "\n", encoding="utf-8")
    assert refused_import(cli, store_path, str(path)) == [
        "line 2, column last_name: not valid text (a lone surrogate U+D800, half of a character)",
        "line 3, column first_name: control character U+001B is not allowed",
        "2 bad row(s): nothing was imported",
    ]


def _store_hostile_names(cli):
    """What an older capcli stored: control characters written into the store directly."""
    cli.person()
    cli.employer()
    case = cli.open("maintien", 1, "--employer", SIRET_A, "--on", "2026-09-01")
    cli.ok("contact", "add", str(case), "--on", "2026-11-23")
    sql(cli.store_path, "UPDATE person SET first_name = ?", (ESC_NAME,))
    sql(cli.store_path, "UPDATE employer SET name = ?", ("SA\x1b[5m\u202eX",))
    sql(cli.store_path, "UPDATE accompaniment SET adviser = 'alice', partner = ?", ("\x9b2J",))
    sql(cli.store_path, "UPDATE contact SET note = ?", ("\x1b[2Jnote",))
    return case


def test_stored_control_characters_are_shown_escaped_and_json_stays_exact(cli):
    case = _store_hostile_names(cli)
    for args in (("show", str(case)), ("list",), ("person", "show", "1"), ("person", "list"), ("employer", "list"),
                 ("due",)):
        out = cli.ok(*args).stdout
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out and "\x9b" not in out, args
        assert "Ma\\x1b]0;pwned\\x07rie\\x1b[2J" in out or "SA\\x1b[5m\\u202eX" in out, (args, out)
    assert cli.show(case)["person"]["name"] == f"DUPONT {ESC_NAME}"  # JSON: the stored text, escaped by JSON
    assert cli.ok("person", "show", "1", "--json").json["first_name"] == ESC_NAME
    line = cli.refused("open", "\x1b[2J", "--person", "1")  # an error echoing a value: escaped too
    assert "\x1b" not in line and "\\x1b[2J" in line


# --- on a terminal (pexpect: a real pty) -------------------------------------------------


def _on_a_terminal(store: Path, *args, colour: bool = False) -> bytes:
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "CAPCLI_DB": str(store), "CAPCLI_TODAY": "2026-11-22", "CAPCLI_ADVISER": "alice",
           "CAPCLI_LANG": "en", "TERM": "xterm-256color", "COLUMNS": "160"}
    env.pop("CAPCLI_DEBUG", None)
    if colour:
        env.pop("NO_COLOR", None)
    else:
        env["NO_COLOR"] = "1"
    child = pexpect.spawn(SCRIPT, list(args), env=env, timeout=60, dimensions=(50, 160))
    output = child.read()
    child.close()
    assert child.exitstatus == 0, output
    return output


@pytest.mark.skipif(SCRIPT is None, reason="capcli is not installed as a script")
def test_on_a_terminal_stored_escape_sequences_do_not_reach_it(cli):
    case = _store_hostile_names(cli)
    for args in (("show", str(case)), ("list",), ("person", "show", "1"), ("due",)):
        for colour in (False, True):
            out = _on_a_terminal(cli.store_path, *args, colour=colour)
            assert b"\x1b]" not in out and b"\x1b[2J" not in out and b"\x07" not in out, (args, out)
            assert b"\\x1b]0;pwned\\x07rie" in out, (args, out)


@pytest.mark.skipif(SCRIPT is None, reason="capcli is not installed as a script")
def test_on_a_terminal_adviser_names_are_not_read_as_markup(cli):
    cli.person()
    cli.knows("[/bold]", "[link=http://x]y[/link]", ":smile:")
    cli.open("maintien", 1, "--adviser", "[/bold]", "--on", "2026-09-01")
    cli.open("acces-emploi", 1, "--adviser", "[link=http://x]y[/link]", "--on", "2026-09-01")
    cli.open("evolution-pro", 1, "--adviser", ":smile:", "--on", "2026-09-01")
    for colour in (False, True):
        out = _on_a_terminal(cli.store_path, "report", "--all", "--by", "adviser", colour=colour).decode()
        assert "[/bold]" in out and "[link=http://x]y[/l" in out and ":smile:" in out
        assert "\x1b]8;" not in out  # no hyperlink
        out = _on_a_terminal(cli.store_path, "report", "--adviser", "[/bold]", colour=colour).decode()
        assert "adviser [/bold]" in out


# --- C. encodings and bytes --------------------------------------------------------------


def test_bytes_that_are_not_utf8_in_options_and_environment_are_one_line(cli, store_path, backend):
    cli.person()
    before = dump(store_path)
    assert cli.refused("person", "add", "--last-name", "Lef\udce8vre", "--first-name", "M") == (
        "capcli: last name: not UTF-8 text (the byte 0xE8 is from another encoding, e.g. Latin-1): give it in UTF-8")
    if backend == "sqlite":  # (a team store does not read CAPCLI_ADVISER: the login is who you are)
        assert cli.refused("open", "maintien", "--person", "1", CAPCLI_ADVISER="\udcff").startswith(
            "capcli: CAPCLI_ADVISER: not UTF-8 text (the byte 0xFF")
    assert "not UTF-8 text (the byte 0xFF" in cli.refused("list", "--adviser", "\udcff")  # a filter, not stored
    assert dump(store_path) == before


@pytest.mark.skipif(SCRIPT is None, reason="capcli is not installed as a script")
def test_bytes_that_are_not_utf8_through_the_script_name_the_option_or_variable(tmp_path):
    env = {**os.environb, b"CAPCLI_DB": os.fsencode(tmp_path / "s.sqlite"), b"CAPCLI_TODAY": b"2026-11-22",
           b"CAPCLI_ADVISER": b"alice", b"CAPCLI_LANG": b"en"}
    env.pop(b"CAPCLI_DEBUG", None)

    def run(*args, more=None):
        return subprocess.run([os.fsencode(SCRIPT), *args], capture_output=True, env={**env, **(more or {})},
                              timeout=60)

    added = run(b"person", b"add", b"--last-name", b"Lef\xe8vre", b"--first-name", b"M")
    assert added.returncode == 1 and added.stderr == (
        b"capcli: last name: not UTF-8 text (the byte 0xE8 is from another encoding, e.g. Latin-1): "
        b"give it in UTF-8\n")
    assert run(b"person", b"add", b"--last-name", b"A", b"--first-name", b"M").returncode == 0
    opened = run(b"open", b"maintien", b"--person", b"1", more={b"CAPCLI_ADVISER": b"\xff"})
    assert opened.returncode == 1 and opened.stderr.startswith(b"capcli: CAPCLI_ADVISER: not UTF-8 text")
    listed = run(b"list", b"--adviser", b"\xff")
    assert listed.returncode == 1 and listed.stderr.startswith(b"capcli: --adviser: not UTF-8 text (the byte 0xFF")
    listed = run(b"list", b"--adviser=\xff")
    assert listed.returncode == 1 and listed.stderr.startswith(b"capcli: --adviser: not UTF-8 text")


def _rows(n: int, **changes) -> list[str]:
    return [row(case_ref=f"C{i}", **changes) for i in range(1, n + 1)]


def test_a_utf8_file_with_a_windows_1252_line_is_refused_naming_it(cli, store_path, tmp_path):
    head = ",".join(records.CASE_COLUMNS) + "\n"
    utf8 = "\n".join(_rows(3, first_name="Hélène")) + "\n"
    near = tmp_path / "near.csv"  # within the first 64 KB
    near.write_bytes(head.encode() + utf8.encode() + row(case_ref="C9", first_name="Lefèvre").encode("cp1252") + b"\n")
    assert refused_import(cli, store_path, str(near)) == [
        "line 5: not UTF-8, unlike the lines before it (pieced together from two files?): save the file as UTF-8 "
        "again, or give its encoding with --encoding"]
    far = tmp_path / "far.csv"  # past the first 64 KB: found by the import, named by its physical line
    body = "\n".join(_rows(2000, first_name="Hélène")) + "\n"
    far.write_bytes(head.encode() + body.encode() + row(case_ref="C9", first_name="Lefèvre").encode("cp1252") + b"\n"
                    + "\n".join(_rows(5)).encode() + b"\n")
    assert refused_import(cli, store_path, str(far))[0].startswith("line 2002: not UTF-8, unlike the lines before")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + head.encode() + ("\n".join(_rows(2000)) + "\n").encode()
                    + row(case_ref="C9", first_name="Lefèvre").encode("cp1252") + b"\n")
    assert refused_import(cli, store_path, str(bom))[0].startswith("line 2002: not valid text in this encoding")
    assert cli.ok("person", "list", "--json").json == []


def test_a_nul_byte_past_the_first_64_kb_is_refused_by_line(cli, store_path, tmp_path):
    path = tmp_path / "nul.csv"
    body = "\n".join(_rows(600)) + "\n"
    assert len(body) > 1 << 16
    path.write_bytes((",".join(records.CASE_COLUMNS) + "\n" + body).encode() + row(
        case_ref="C999", last_name="DU\x00PONT").encode() + b"\n")
    assert refused_import(cli, store_path, str(path)) == [
        "line 602, column last_name: control character U+0000 is not allowed",
        "1 bad row(s): nothing was imported"]


def test_a_bom_at_the_start_of_a_data_line_is_refused(cli, store_path, tmp_path):
    path = tmp_path / "joined.csv"  # two exports joined with cat: the second one's BOM inside
    path.write_bytes(b"\xef\xbb\xbf" + (",".join(records.CASE_COLUMNS) + "\n" + row() + "\n").encode()
                     + b"\xef\xbb\xbf" + row(case_ref="C2").encode() + b"\n")
    assert refused_import(cli, store_path, str(path)) == [
        "line 3, column case_ref: invisible formatting character U+FEFF is not allowed",
        "1 bad row(s): nothing was imported"]


# --- D. lines of separators only ------------------------------------------------------------


def test_lines_of_separators_only_are_ignored_whatever_their_count(cli, tmp_path):
    path = cases_file(tmp_path, row(sep=";"), ";;;;", ";", ";" * 40, " ; ;", row(sep=";", case_ref="C2"), sep=";")
    run = cli.ok("import", path)
    assert "imported 2 rows" in run.stdout and "cases: 2 created" in run.stdout
    path = cases_file(tmp_path, row(), ",,,", row(case_ref="C3"), name="comma.csv")
    assert "cases: 1 created, 0 updated, 1 unchanged" in cli.ok("import", path).stdout


def test_the_corrections_refuse_control_characters_too(cli, store_path):
    case = cli.open("maintien", cli.person())
    before = dump(store_path)
    for args, field in ((("case", "edit", str(case), "--partner", "x\x1b[2J"), "partner"),
                        (("case", "edit", str(case), "--adviser", "bo\x07b"), "adviser"),
                        (("reassign", "--from", "alice", "--to", "z\x1b"), "--to"),
                        (("cancel", str(case), "--reason", "a\x1b]0;x\x07"), "--reason")):
        assert cli.refused(*args).startswith(f"capcli: {field}: control character U+"), args
    assert dump(store_path) == before
