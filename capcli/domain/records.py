"""The CSV records that `import` reads and `export` writes: columns, encodings, separators, values.

One place for the file formats: the columns below are what `export` writes and, for cases and
contacts, exactly what `import` reads (so an export imports back to the same store). Pure
functions only: no store, no printing.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from capcli.domain.model import PERSON_FIELDS
from capcli.errors import InvalidValue
from capcli.i18n import _

# --- columns ------------------------------------------------------------------------
# Every column of every file, declared once: the header and its order, the staging table of the
# import (capcli.store.transfer), the --excel and CSV-injection treatment of its cells all follow
# from these. Its SQL expression in the export is capcli.store.transfer.EXPORT_SQL[report][name]
# (SQL stays in the store; a test checks both name the same columns). CONTRIBUTING.md: "Adding an
# export column".


@dataclass(frozen=True)
class Staged:
    """A column of the import's staging table. ``empty``: the SQL literal an empty cell is staged
    as ('' or -1, 0 for a reference number: binding None is slow), which the store's views turn
    back into NULL; None: the cell is never empty once parsed (a required one)."""

    name: str
    empty: str | None = None
    integer: bool = False


@dataclass(frozen=True)
class Column:
    """A column of a file. ``stage``: the staging columns `import` fills from its cell, in order
    (none: the column is exported only, and ignored on import); ``date``: written dd/mm/yyyy by
    --excel; ``text``: a free text, whose cell might read as a formula (--excel neutralises it);
    ``multiline``: its text may hold tabs and newlines (validate.text's multiline)."""

    name: str
    stage: tuple[Staged, ...] = ()
    date: bool = False
    text: bool = True
    multiline: bool = False


def _text(name: str, stage: str | None = None, empty: str | None = "''", **kw) -> Column:
    return Column(name, (Staged(stage or name, empty),), **kw)


def _date(name: str, empty: str | None = "''") -> Column:
    return Column(name, (Staged(name, empty),), date=True, text=False)


def _flag(name: str) -> Column:  # staged 1 / 0, or -1 for an empty cell
    return Column(name, (Staged(name, "-1", integer=True),), text=False)


def _ref(name: str, stage: str, num: str, empty: str | None = None) -> Column:
    """A reference (external id or capcli-<id>), staged with its capcli-<id> number (0: none)."""
    return Column(name, (Staged(stage, empty), Staged(num, "0", integer=True)))


_PERSON = (
    _text("last_name", empty=None), _text("first_name", empty=None), _date("birth_date"), _text("email"),
    _text("phone"), _text("address", multiline=True), _text("boeth"), _date("rqth_until"),
    _flag("rqth_definitive"),
)

CASES = (
    _ref("case_ref", "ref", "ref_num"),
    _text("kind", empty=None),
    _text("phase", empty=None),
    _date("opened_on", empty=None),
    _date("closed_on"),
    _text("outcome"),
    _flag("at_risk"),
    _ref("follows_ref", "follows_ref", "follows_num", "''"),
    _text("adviser", empty=None),
    _text("requested_by"),
    _text("partner"),
    _flag("consent"),
    _text("signalement_by"),  # where the case comes from (codes.SIGNALEMENT_SOURCES), and when
    _date("signalement_on"),
    _ref("person_ref", "person_ref", "person_num"),
    *_PERSON,
    _text("employer_siret", "siret"),
    _text("employer_name"),
    _text("employer_sector", "sector"),
)
CONTACTS = (
    _ref("case_ref", "ref", "ref_num"),
    Column("number", (Staged("number", integer=True),), text=False),
    _date("due_on", empty=None),
    _date("done_on"),
    _flag("at_risk"),
    _text("note", multiline=True),
)
# Health data (GDPR art. 9): exported only with --include-health, never imported.
HEALTH = (Column("disability_type"), Column("restrictions"), Column("health_opinion"))
NEEDS = (
    Column("case_ref"), Column("category"), Column("description", multiline=True), Column("funder"),
    Column("amount", text=False), Column("status"), Column("created_on", date=True, text=False),
    Column("updated_on", date=True, text=False),
)
PERSONS = (
    Column("person_ref"), *(Column(c.name, date=c.date, text=c.text, multiline=c.multiline) for c in _PERSON),
    Column("created_on", date=True, text=False), Column("anonymised_on", date=True, text=False),
)
# The reports `export` writes, and `import` reads for cases and contacts (so an export imports
# back to the same store).
DECLARED = {"cases": CASES, "contacts": CONTACTS, "needs": NEEDS, "persons": PERSONS}


def names(columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(c.name for c in columns)


def staged(columns: tuple[Column, ...]) -> tuple[Staged, ...]:
    """The staging columns the import fills from ``columns``, in order."""
    return tuple(s for c in columns for s in c.stage)


CASE_COLUMNS = names(CASES)
CONTACT_COLUMNS = names(CONTACTS)
HEALTH_COLUMNS = names(HEALTH)
NEED_COLUMNS = names(NEEDS)
PERSON_COLUMNS = names(PERSONS)
REPORTS = {report: names(columns) for report, columns in DECLARED.items()}
assert PERSON_COLUMNS[1:-2] == PERSON_FIELDS and CASE_COLUMNS[15:24] == PERSON_FIELDS  # (person_row's order)

_ALL = (*CASES, *CONTACTS, *HEALTH, *NEEDS, *PERSONS)
# The columns whose text may hold tabs and newlines (validate.text's multiline): free texts, addresses.
MULTILINE_COLUMNS = frozenset(c.name for c in _ALL if c.multiline)
# Which columns hold dates (written dd/mm/yyyy by --excel).
DATE_COLUMNS = frozenset(c.name for c in _ALL if c.date)

# A record with no external id is exported as ``capcli-<id>``; importing that ref finds it again.
REF_PREFIX = "capcli-"
_REF = re.compile(r"^capcli-([1-9][0-9]{0,17})$")


def ref_number(ref: str | None) -> int | None:
    """The store id inside a ``capcli-<id>`` reference, else None."""
    if not ref:
        return None
    match = _REF.match(ref)
    return int(match.group(1)) if match else None


# --- errors -------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        if self.column:
            return _("line {line}, column {column}: {reason}").format(
                line=self.line, column=self.column, reason=self.reason
            )
        return _("line {line}: {reason}").format(line=self.line, reason=self.reason)


class BadRows(InvalidValue):
    """Rows that cannot be imported: all of them are listed, nothing is written."""

    def __init__(self, errors: list[RowError], total: int | None = None):
        self.errors = errors
        self.total = len(errors) if total is None else total
        super().__init__(
            _("{n} bad row(s): nothing was imported").format(n=self.total)
        )

    def lines(self, cap: int = 20) -> list[str]:
        shown = [str(e) for e in self.errors[:cap]]
        if self.total > len(shown):
            shown.append(_("... and {n} more").format(n=self.total - len(shown)))
        return shown


# --- files: encoding, separator, header ---------------------------------------------

def mixed_encodings() -> str:
    return _("not UTF-8, unlike the lines before it (pieced together from two files?): save the file as "
             "UTF-8 again, or give its encoding with --encoding")


def detect_encoding(head: bytes) -> str:
    """UTF-8 with BOM, UTF-8, else Windows-1252 (what French offices' Excel writes); a UTF-8 text
    with a line that is not (UTF-8 accents before it) is refused, naming that line."""
    if b"\x00" in head:
        raise InvalidValue(_("this is not a text file (binary data): export it as CSV first"))
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError as exc:
        before = head[:exc.start]
        if not before.isascii():
            raise InvalidValue(str(RowError(before.count(b"\n") + 1, None, mixed_encodings()))) from None
    try:
        head.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidValue(
            _("this file is neither UTF-8 nor Windows-1252 text: give its encoding with --encoding")
        ) from None
    return "cp1252"


def sniff_delimiter(first_line: str) -> str:
    """';' (French Excel) or ',' — whichever the header line uses more."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def report_of_header(header: list[str]) -> str:
    """'cases' or 'contacts', recognised by the header; else say which columns are wrong."""
    names = [h.strip().lower() for h in header]
    if not any(names):
        raise InvalidValue(_("line 1: the file has no header line (see 'capcli export' for the columns)"))
    health = set(HEALTH_COLUMNS)
    best = "cases" if "kind" in names or len(names) > len(CONTACT_COLUMNS) + 1 else "contacts"
    expected = REPORTS[best]
    given = [n for n in names if n not in health] if best == "cases" else names
    if sorted(given) == sorted(expected) and len(set(names)) == len(names):
        return best
    for name in names:
        if names.count(name) > 1:
            raise InvalidValue(_("line 1, column {column}: the column appears twice").format(column=name))
    unknown = [n for n in given if n not in expected]
    missing = [n for n in expected if n not in given]
    if unknown:
        raise InvalidValue(
            _("line 1, column {column}: unknown column for a {report} file (expected: {expected})").format(
                column=unknown[0], report=best, expected=", ".join(expected)
            )
        )
    if missing:
        raise InvalidValue(
            _("line 1, column {column}: missing from the header of a {report} file (expected: {expected})").format(
                column=missing[0], report=best, expected=", ".join(expected)
            )
        )
    raise InvalidValue(_("line 1: the header is not one of a cases or contacts file"))


# --- values -------------------------------------------------------------------------

_TRUE = frozenset({"1", "oui", "o", "yes", "y", "true", "vrai", "x"})
_FALSE = frozenset({"", "0", "non", "n", "no", "false", "faux"})


def flag(text: str) -> int:
    """A yes/no cell: 1/0, oui/non, yes/no, true/false (empty is no)."""
    value = text.strip().lower()
    if value in _TRUE:
        return 1
    if value in _FALSE:
        return 0
    raise InvalidValue(_("'{value}' is not yes or no (write 1 or 0)").format(value=text))


def optional_flag(text: str) -> int | None:
    """A yes/no cell that may be unknown (empty)."""
    return None if not text.strip() else flag(text)


# Formulas (CSV injection, as OWASP describes it): a cell Excel would read as a formula starts with
# one of these. `--excel` writes such a cell with a ' before it (Excel shows it as text); a cell that
# starts with ' followed by one of these or by ' gets one more ' (in every export), so that `import`
# can take exactly one ' back from every cell that starts with ' + one of them: exact round trips.
FORMULA_START = frozenset("=+-@\t\r")
QUOTED_START = FORMULA_START | {"'"}
# The columns whose cells are never text that could start so (dates as written, numbers, flags).
NOT_TEXT_COLUMNS = frozenset(c.name for c in _ALL if not c.text)


def excel_cell(value):
    """A cell as `--excel` writes it: a formula neutralised ('=1+1 -> \'=1+1), see FORMULA_START."""
    if value.__class__ is str and value and (
            value[0] in FORMULA_START or (value[0] == "'" and value[1:2] in QUOTED_START)):
        return "'" + value
    return value


def csv_cell(value):
    """A cell as the plain CSV writes it: as stored, but for a value that would read as quoted."""
    if value.__class__ is str and value[:1] == "'" and value[1:2] in QUOTED_START:
        return "'" + value
    return value


def imported_cell(text: str) -> str:
    """A cell as `import` reads it: one ' taken back from ' + a formula start or ' (excel_cell, csv_cell)."""
    return text[1:] if text[:1] == "'" and text[1:2] in QUOTED_START else text


def excel_date(iso: str | None) -> str | None:
    """'2026-11-22' → '22/11/2026' (French Excel reads it as a date)."""
    if not iso:
        return iso
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"
