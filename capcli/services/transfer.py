"""Bulk import and CSV exports (SPEC §3): the use cases behind `capcli import` and `capcli export`.

Import streams the file once: each row is decoded, validated against the domain (codes,
dates, SIRET, the person checks of `person add`) and staged in a temporary table, in chunks;
cross-row checks and the writes are set-based SQL in ``capcli.store.transfer``. Everything
happens in ONE transaction: one bad row and nothing is written. Closing rules are not fired:
an import loads the state as it is (the follow-on cases are rows of the file too).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from capcli.domain import codes, merge, records, rules, validate
from capcli.domain.dates import parse_date
from capcli.domain.health import HEALTH_EXPORTED, export_shows_health
from capcli.domain.model import PERSON_FIELDS
from capcli.domain.records import BadRows, RowError
from capcli.env import Env
from capcli.errors import CapcliError, InvalidValue
from capcli.i18n import _
from capcli.services.persons import person_row
from capcli.store import access_log
from capcli.store import audit
from capcli.store import transfer as sql
from capcli.store.engine import Store

MAX_ERRORS_KEPT = 1000
CACHE_MAX = 1 << 17  # distinct SIRETs kept while parsing (a few MB)
HEAD_BYTES = 1 << 16


def _ref_num(ref: str) -> int:
    """The store id a ``capcli-<id>`` ref names, else 0; any other ``capcli-...`` is refused
    like an external id. ``ref`` is not empty."""
    if ref[0] not in "cC" or ref[:7].lower() != records.REF_PREFIX:  # the first test is the fast path
        return 0
    number = records.ref_number(ref)
    if number is None:
        validate.external_id(ref)  # raises: capcli- is reserved
    return number


_FLAGS = {"0": 0, "1": 1, "": 0}
_CELL_FLAGS = {"0": 0, "1": 1, "": -1}


def _flag(text: str) -> int:
    value = _FLAGS.get(text)
    return records.flag(text) if value is None else value


def _cell_flag(text: str) -> int:
    """A yes/no cell as staged: 1, 0, or -1 for an empty cell (which keeps a stored value)."""
    value = _CELL_FLAGS.get(text)
    if value is None:
        value = records.flag(text) if text.strip() else -1
    return value


@dataclass
class ImportReport:
    report: str  # cases or contacts
    rows: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    dry_run: bool = False
    ignored_columns: tuple[str, ...] = ()
    # per record the file changes: {"line", "record", "ref", "fields": [{"field", "old", "new"}]}
    changes: list[dict] = field(default_factory=list)
    kept: list[dict] = field(default_factory=list)  # the same for the values kept (old: the store's)


class _DryRun(Exception):
    pass


# --- reading the file ---------------------------------------------------------------


def _open_text(path: Path, encoding: str | None) -> tuple[io.BufferedReader, io.TextIOWrapper, str]:
    try:
        raw = open(path, "rb")
    except FileNotFoundError:
        raise InvalidValue(_("cannot read {path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise InvalidValue(_("cannot read {path}: it is a directory").format(path=path)) from None
    except OSError as exc:
        raise InvalidValue(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    head = raw.peek(HEAD_BYTES)[:HEAD_BYTES]
    if not head.strip():
        raw.close()
        raise InvalidValue(_("line 1: {path} is empty: nothing to import").format(path=path))
    if not encoding and head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # a UTF-16 BOM (Excel's "Unicode text")
        encoding = "utf-16"
    if b"\x00" in head and not encoding:  # UTF-16 and UTF-32 have NULs: they need --encoding
        line = head[: head.index(b"\x00")].count(b"\n") + 1
        raw.close()
        raise InvalidValue(
            _("line {line}: {path} is not a text file (binary data): export it as CSV first").format(
                line=line, path=path
            )
        )
    if encoding:
        try:
            import codecs

            if not getattr(codecs.lookup(encoding), "_is_text_encoding", True):  # rot13, base64...
                raise LookupError(encoding)  # (the check io.TextIOWrapper makes)
        except LookupError:
            raw.close()
            raise InvalidValue(_("unknown encoding '{value}' (e.g. utf-8, cp1252)").format(value=encoding)) from None
    else:
        try:
            encoding = records.detect_encoding(head)
        except InvalidValue:
            raw.close()
            raise
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8") and head.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    return raw, io.TextIOWrapper(raw, encoding=encoding, newline=""), encoding


def _csv_rows(text: io.TextIOWrapper, first_line: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(text, delimiter=records.sniff_delimiter(first_line), strict=True)
    ended = 0  # the physical line the previous record ended on: a record spanning lines is named by its first
    try:
        for row in reader:
            yield ended + 1, row
            ended = reader.line_num
    except csv.Error as exc:
        raise BadRows([RowError(reader.line_num, None, _("unreadable CSV ({reason})").format(reason=exc))]) from None


def _jsonl_value(value, number: int, key: str) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "1" if value else "0"
    if isinstance(value, (list, dict)):
        raise BadRows([RowError(number, key, _("a text, a number or null, not a list or an object"))])
    return str(value)


def _jsonl_rows(text: io.TextIOWrapper) -> Iterator[tuple[int, list[str]]]:
    columns: list[str] | None = None
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise BadRows([RowError(number, None, _("not a JSON object ({reason})").format(reason=exc))]) from None
        except RecursionError:
            raise BadRows([RowError(number, None, _("not a JSON object ({reason})").format(
                reason=_("nested too deep")))]) from None
        if not isinstance(obj, dict):
            raise BadRows([RowError(number, None, _("not a JSON object"))])
        if columns is None:
            columns = list(obj)
            expected = set(columns)
            yield number, columns
        elif obj.keys() != expected:  # every line has the keys of the first: a missing one is not "empty"
            missing = [c for c in columns if c not in obj]
            extra = [k for k in obj if k not in expected]
            raise BadRows([RowError(number, (missing or extra)[0], _(
                "the keys differ from line 1's (missing: {missing}; extra: {extra})").format(
                missing=", ".join(missing) or "-", extra=", ".join(extra) or "-"))])
        yield number, [_jsonl_value(obj.get(c), number, c) for c in columns]


def _rows(path: Path, fmt: str | None, encoding: str | None):
    """(raw file, text file, iterator of (line, cells) starting with the header, encoding used).

    The caller keeps the text file: when it is garbage-collected it closes the raw file."""
    raw, text, encoding = _open_text(path, encoding)
    if fmt is None:
        fmt = "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson") else "csv"
    try:
        if fmt == "jsonl":
            return raw, text, _jsonl_rows(text), encoding
        first_line = text.readline(HEAD_BYTES)  # enough to see the separator (a huge line stays on disk)
        text.seek(0)
        return raw, text, _csv_rows(text, first_line), encoding
    except UnicodeError:
        raw.close()
        raise InvalidValue(
            _("line 1: not valid {encoding} text: give the file's encoding with --encoding").format(encoding=encoding)
        ) from None


# --- validating rows ----------------------------------------------------------------
# The parsers read cells by the position of their column in the declarations (records.CASES,
# records.CONTACTS): a file in another order is put in that order first. They return the row as
# staged: (line, the staging columns of records.staged(...) in order, the fingerprints).

_CASE_AT = {name: i for i, name in enumerate(records.CASE_COLUMNS)}
_CONTACT_AT = {name: i for i, name in enumerate(records.CONTACT_COLUMNS)}
_PERSON_AT = _CASE_AT["last_name"]  # the person's cells follow, in the order of PERSON_FIELDS
assert records.CASE_COLUMNS[_PERSON_AT:_PERSON_AT + len(PERSON_FIELDS)] == PERSON_FIELDS

class _CaseRows:
    """Validates cases rows; caches what repeats (kinds, dates, SIRETs)."""

    def __init__(self, today: date):
        self.today, self.today_iso = today, today.isoformat()
        self.dates: dict[str, str] = {}
        self.sirets: dict[str, str] = {}
        self.kinds: dict[str, codes.Kind] = {}
        self.what_phase = _("phase")
        self.what_outcome = _("outcome")
        self.at = tuple(_CASE_AT[name] for name in (
            "case_ref", "kind", "phase", "opened_on", "closed_on", "outcome", "at_risk", "follows_ref", "adviser",
            "requested_by", "partner", "consent", "signalement_by", "signalement_on", "person_ref", "employer_siret",
            "employer_name", "employer_sector"))

    def day(self, text: str, what: str) -> str:
        """A date as ISO text, cached (dates repeat); ``what`` names it in the error."""
        value = self.dates.get(text)
        if value is None:
            value = self.dates[text] = parse_date(text, what).isoformat()
        return value

    def date(self, text: str, column: str) -> str | None:
        """A date cell: ISO text, or None when empty."""
        return self.dates.get(text) or (self.day(text, column) if text.strip() else None)

    def not_future(self, iso: str) -> None:
        """What a file records has happened (rules.check_not_future)."""
        if iso > self.today_iso:
            rules.check_not_future(date.fromisoformat(iso), self.today)

    def parse(self, c: list[str], line: int) -> tuple:
        REF, KIND, PHASE, OPENED, CLOSED, OUTCOME, AT_RISK, FOLLOWS, ADVISER = self.at[:9]  # (locals: fast)
        REQUESTED, PARTNER, CONSENT, SIGNALLER, SIGNALLED, PERSON, SIRET, NAME, SECTOR = self.at[9:]
        column = "case_ref"
        try:
            ref = c[REF].strip() or validate.required_text(c[REF], "case_ref")
            ref_num = _ref_num(ref)
            column = "kind"
            kind = self.kinds.get(c[KIND])
            if kind is None:
                kind = self.kinds[c[KIND]] = codes.kind(c[KIND])
            column = "phase"
            phase = c[PHASE] if c[PHASE] in kind.phases else codes.choice(c[PHASE], kind.phases, self.what_phase)
            column = "opened_on"
            opened = self.date(c[OPENED], column)
            if opened is None:
                raise InvalidValue(_("the opening date is required"))
            self.not_future(opened)
            column = "closed_on"
            closed = self.date(c[CLOSED], column)
            if closed is not None:
                self.not_future(closed)
            if closed is not None and closed < opened:
                raise InvalidValue(_("{closed} is before the case opened ({opened})").format(
                    closed=records.excel_date(closed), opened=records.excel_date(opened)))  # dd/mm/yyyy
            column = "outcome"
            outcome = c[OUTCOME]
            if closed is None:
                if outcome.strip():
                    raise InvalidValue(_("an open case has no outcome (give closed_on, or leave outcome empty)"))
                outcome = None
            elif outcome not in kind.outcomes:
                if not outcome.strip():
                    raise InvalidValue(_("a closed case needs its outcome"))
                outcome = codes.choice(outcome, kind.outcomes, self.what_outcome)
            column = "at_risk"
            at_risk = _cell_flag(c[AT_RISK])
            column = "follows_ref"
            follows = c[FOLLOWS].strip() or None
            follows_num = _ref_num(follows) if follows else 0
            if follows == ref:
                raise InvalidValue(_("a case cannot follow itself"))
            column = "adviser"
            adviser = c[ADVISER].strip() or validate.required_text(c[ADVISER], "adviser")
            column = "requested_by"
            requested_by = c[REQUESTED] if c[REQUESTED] in codes.REQUESTERS else (  # empty: personne, or the stored one
                "" if not c[REQUESTED].strip() else codes.choice(c[REQUESTED], codes.REQUESTERS, _("requester"))
            )
            partner = c[PARTNER].strip() or None
            column = "consent"
            consent = _cell_flag(c[CONSENT])
            column = "signalement_by"
            signaller = c[SIGNALLER] if c[SIGNALLER] in codes.SIGNALEMENT_SOURCES else (
                "" if not c[SIGNALLER].strip() else codes.choice(c[SIGNALLER], codes.SIGNALEMENT_SOURCES,
                                                                 _("signalement source")))
            column = "signalement_on"
            signalled = self.date(c[SIGNALLED], column)
            if signalled is not None:
                self.not_future(signalled)
                if signalled > opened:
                    rules.signalement(None, date.fromisoformat(signalled), date.fromisoformat(opened), self.today)
            column = "person_ref"
            person_ref = c[PERSON].strip() or validate.required_text(c[PERSON], "person_ref")
            person_num = _ref_num(person_ref)
            column = "person"
            person = self.person(c)
            column = "employer_siret"
            siret = self.siret(c[SIRET])
            column = "employer_name"
            name = c[NAME].strip()
            column = "employer_sector"
            sector = c[SECTOR] if c[SECTOR] in codes.SECTORS else (
                "prive" if not c[SECTOR].strip() else codes.choice(c[SECTOR], codes.SECTORS, _("sector"))
            )
            if siret is None and (name or c[SECTOR].strip()):
                column = "employer_siret"
                raise InvalidValue(_("an employer needs its SIRET"))
            if siret is not None and not name:
                column = "employer_name"
                raise InvalidValue(_("employer name cannot be empty"))
        except CapcliError as exc:
            if column == "person":
                column = self.person_column(c)
            raise _RowInvalid(RowError(line, column, exc.message)) from None
        # Staged with '' and 0 for "none" (binding None is slow; the store's views map them back).
        if siret is None:
            siret = name = sector = ""
        case_values = (ref, kind.code, phase, opened, closed, outcome, at_risk, follows, adviser, requested_by,
                       partner, consent, person_ref, siret, signaller, signalled)
        return (
            line, ref, ref_num, kind.code, phase, opened or "", closed or "", outcome or "", at_risk,
            follows or "", follows_num, adviser, requested_by, partner or "", consent,
            signaller, signalled or "", person_ref, person_num, *person, siret, name, sector,
            hash(case_values), hash(person), hash((siret, name, sector)),  # sql.CASE_FINGERPRINTS
        )

    def person(self, c: list[str]) -> tuple:
        """The person's staged values (the checks of `person add`)."""
        P = _PERSON_AT
        # the person's cells, in the order of PERSON_FIELDS (c[P:P + 8] spelled out: a slice unpacked
        # into the call costs 0.05 s more per 100,000 rows)
        last, first, birth, email, phone, address, boeth, until, definitive = person_row(
            c[P], c[P + 1], c[P + 2], c[P + 3], c[P + 4], c[P + 5], c[P + 6], c[P + 7], _flag(c[P + 8]), self.day)
        return (last, first, birth or "", email or "", phone or "", address or "", boeth or "", until or "",
                (1 if definitive else 0) if c[P + 8].strip() else -1)

    def person_column(self, c: list[str]) -> str:
        """Which column made person_row refuse: the first one whose reset makes it pass."""
        P = _PERSON_AT
        try:
            cells = [*c[P:P + 8], _flag(c[P + 8])]
        except InvalidValue:
            return "rqth_definitive"
        neutral = {"last_name": "x", "first_name": "x", "rqth_definitive": False}
        for name in ("birth_date", "rqth_until", "boeth", "email", "last_name", "first_name", "rqth_definitive"):
            at = PERSON_FIELDS.index(name)
            try:
                person_row(*cells[:at], neutral.get(name), *cells[at + 1:])
                return name
            except InvalidValue:
                continue
        return "person_ref"

    def siret(self, text: str) -> str | None:
        value = self.sirets.get(text)
        if value is None:
            if not text.strip():
                return None
            if len(self.sirets) >= CACHE_MAX:
                self.sirets.clear()
            value = self.sirets[text] = validate.siret(text)
        return value


class _ContactRows:
    def __init__(self, today: date):
        self.today, self.today_iso = today, today.isoformat()
        self.dates: dict[str, str] = {}
        self.at = tuple(_CONTACT_AT[name] for name in ("case_ref", "number", "due_on", "done_on", "at_risk", "note"))

    day = _CaseRows.day
    date = _CaseRows.date
    not_future = _CaseRows.not_future

    def parse(self, c: list[str], line: int) -> tuple:
        REF, NUMBER, DUE, DONE, AT_RISK, NOTE = self.at
        column = "case_ref"
        try:
            ref = validate.required_text(c[REF], "case_ref")
            ref_num = _ref_num(ref)
            column = "number"
            number = int(c[NUMBER]) if c[NUMBER].isascii() and c[NUMBER].isdigit() and len(c[NUMBER]) <= 3 else 0
            if number <= 0:
                raise InvalidValue(_("'{value}' is not a contact number (1, 2, 3…)").format(value=c[NUMBER]))
            column = "due_on"
            due = self.date(c[DUE], column)
            if due is None:
                raise InvalidValue(_("the due date is required"))
            column = "done_on"
            done = self.date(c[DONE], column)
            if done is not None:
                self.not_future(done)
            column = "at_risk"
            at_risk = records.optional_flag(c[AT_RISK])
            note = c[NOTE].strip() or None
        except CapcliError as exc:
            raise _RowInvalid(RowError(line, column, exc.message)) from None
        values = (ref, number, due, done, at_risk, note)
        return (line, ref, ref_num, number, due, done or "", -1 if at_risk is None else at_risk, note or "",
                hash(values))


class _RowInvalid(Exception):
    def __init__(self, error: RowError):
        self.error = error


# --- the import use case ------------------------------------------------------------


def import_file(
    store: Store,
    env: Env,
    path: Path,
    *,
    dry_run: bool = False,
    fmt: str | None = None,
    encoding: str | None = None,
    progress: Callable[[int], None] | None = None,
    duplicate_ok: bool = False,
) -> ImportReport:
    raw, text, rows, used = _rows(Path(path), fmt, encoding)
    try:
        report = ImportReport("cases", dry_run=dry_run)
        try:
            with store.transaction():
                _import(store, env, raw, rows, report, progress, encoding=used, guessed=encoding is None,
                        duplicate_ok=duplicate_ok)
                if dry_run:
                    raise _DryRun()
        except _DryRun:
            pass
        except _NotUtf8:
            # UTF-8 was guessed from the file's first 64 KB and an accent further on says it is
            # Windows-1252 (Excel's "CSV" on Windows): read it again as such (nothing was written).
            text.close()
            return import_file(store, env, path, dry_run=dry_run, fmt=fmt, encoding="cp1252", progress=progress,
                               duplicate_ok=duplicate_ok)
        return report
    finally:
        text.close()


class _NotUtf8(Exception):
    """A file guessed to be UTF-8 has a byte that is not, and only ASCII before it (the caller reads
    it again as cp1252)."""


def _unsafe_cell(line: int, names: list[str], cells: list[str], multiline: list[int]) -> RowError | None:
    """The first cell of a row that validate.text refuses, as the row's error (None: none)."""
    for i, cell in enumerate(cells):
        problem = validate.text_problem(cell, i in multiline)
        if problem is not None:
            return RowError(line, names[i] if i < len(names) else None, problem)
    return None


def _first_not_utf8(raw) -> tuple[int, bool]:
    """The physical line of the first byte of the file that is not UTF-8, and whether a non-ASCII
    character (valid UTF-8) comes before it. Read again in binary, only when decoding failed."""
    raw.seek(0)
    if raw.read(3) != codecs.BOM_UTF8:
        raw.seek(0)
    line, wide, carry = 1, False, b""
    while True:
        chunk = raw.read(1 << 20)
        data = carry + chunk
        try:
            data.decode("utf-8")
            good, carry = data, b""
        except UnicodeDecodeError as exc:
            good, carry = data[:exc.start], data[exc.start:]
            if not (chunk and exc.reason == "unexpected end of data"):  # not a character cut by the chunk
                return line + good.count(b"\n"), wide or not good.isascii()
        line += good.count(b"\n")
        wide = wide or not good.isascii()
        if not chunk:
            return line, wide


def _import(store, env, raw, rows, report: ImportReport, progress, encoding: str = "utf-8",
            guessed: bool = False, duplicate_ok: bool = False) -> None:
    errors: list[RowError] = []
    bad = 0
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise InvalidValue(_("line 1: the file is empty: nothing to import")) from None
    except UnicodeError:
        raise InvalidValue(_("line 1: not valid text in this encoding: give it with --encoding")) from None
    header = list(header)
    while header and not header[-1].strip():  # Excel's trailing separators: empty columns at the end
        header.pop()
    report.report = records.report_of_header(header)
    names = [h.strip().lower() for h in header]
    columns = records.REPORTS[report.report]
    order = [names.index(c) for c in columns]
    report.ignored_columns = tuple(n for n in names if n not in columns)
    reorder = order != list(range(len(columns)))
    width = len(names)
    if report.report == "cases":
        parser, stage = _CaseRows(env.today), sql.stage_cases(store)
    else:
        parser, stage = _ContactRows(env.today), sql.stage_contacts(store)
    parse, add = parser.parse, stage.add
    line = header_line
    refused: dict[str, int] = {}  # case_ref -> line of the refused rows, to explain the follows_ref to them
    ref_at = order[0] if report.report == "cases" else None
    multiline = [i for i, name in enumerate(names) if name in records.MULTILINE_COLUMNS]
    unsafe = validate.unsafe(bool(multiline)).search
    imported_cell = records.imported_cell
    try:
        for line, cells in rows:
            joined = "".join(cells)
            if not (cells and cells[0].strip()) and not joined.strip():
                continue  # a blank line, or a line of separators only (Excel), however many
            if not joined.isprintable() and (  # printable: no control character (the fast path)
                    unsafe(joined) is not None or (multiline and ("\n" in joined or "\t" in joined))):
                error = _unsafe_cell(line, names, cells, multiline)  # one search for the row, then its column
                if error is not None:
                    bad += 1
                    if len(errors) < MAX_ERRORS_KEPT:
                        errors.append(error)
                    if ref_at is not None and len(cells) > ref_at and len(refused) < MAX_ERRORS_KEPT:
                        refused.setdefault(cells[ref_at].strip(), line)
                    continue
            if len(cells) != width:
                if len(cells) > width and not "".join(cells[width:]).strip():
                    cells = cells[:width]  # trailing empty cells (Excel)
            if len(cells) != width:
                bad += 1
                if ref_at is not None and len(cells) > ref_at and len(refused) < MAX_ERRORS_KEPT:
                    refused.setdefault(cells[ref_at].strip(), line)
                if len(errors) < MAX_ERRORS_KEPT:
                    column = names[len(cells)] if len(cells) < width else None
                    errors.append(RowError(line, column, _(
                        "the line has {found} fields, the header {expected} (a truncated or broken line?)"
                    ).format(found=len(cells), expected=width)))
                continue
            if "'" in joined:  # a formula neutralised by --excel, '=... (records.excel_cell)
                cells = [imported_cell(c) for c in cells]
            if reorder:
                cells = [cells[i] for i in order]
            try:
                add(parse(cells, line))
            except _RowInvalid as exc:
                bad += 1
                if len(errors) < MAX_ERRORS_KEPT:
                    errors.append(exc.error)
                if ref_at is not None and len(refused) < MAX_ERRORS_KEPT:
                    refused.setdefault(cells[0].strip(), line)
            report.rows += 1
            if progress is not None and not report.rows % 5000:
                progress(raw.tell())
    except UnicodeError:
        reason = _("not valid text in this encoding: give the file's encoding with --encoding")
        if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig"):
            line, mixed = _first_not_utf8(raw)
            if mixed:  # UTF-8 accents before it: a line from elsewhere, not a Windows-1252 file
                reason = records.mixed_encodings()
            elif guessed and encoding == "utf-8":  # (not with a BOM: that file says it is UTF-8)
                raise _NotUtf8() from None
        else:
            line += 1  # (about: the decoder reads ahead of the records)
        raise BadRows(errors + [RowError(line, None, reason)], bad + 1) from None
    stage.done()
    if progress is not None:
        progress(raw.tell())
    checks = sql.check_cases(store) if report.report == "cases" else sql.check_contacts(store)
    if report.report == "cases" and not duplicate_ok:
        checks.update(sql.duplicate_persons(store))
    if report.report == "cases":  # a team store: every adviser of the file must be one it knows
        from capcli.services import advisers

        checks["adviser"] = advisers.unknown_staged(store, env)
    for column, found in checks.items():
        for item in found:
            bad += 1
            if len(errors) < MAX_ERRORS_KEPT:
                errors.append(RowError(item[0], column.split(":")[0], _cross_reason(column, item, refused)))
    if bad:
        errors.sort(key=lambda e: e.line)
        raise BadRows(errors, bad)
    if report.report == "cases":
        sql.mark_new_cases(store)
        plans = _case_plans(store)
    else:
        plans = _contact_plans(store)
    for plan in plans:
        if isinstance(plan, RowError):
            bad += 1
            if len(errors) < MAX_ERRORS_KEPT:
                errors.append(plan)
    if bad:
        errors.sort(key=lambda e: e.line)
        raise BadRows(errors, bad)
    stamp = dict(on=env.today.isoformat(), recorded_at=audit.recorded_now(),
                 author=env.adviser)
    if report.report == "cases":
        created = sql.write_cases(store, today=stamp["on"], recorded_at=stamp["recorded_at"], author=env.adviser)
    else:
        created = sql.write_contacts(store)
    updated = _apply(store, plans, report, stamp)
    report.counts = {what: {"created": c["created"], "updated": updated.get(what, 0),
                            "unchanged": c["total"] - c["created"] - updated.get(what, 0)}
                     for what, c in created.items()}
    if report.report == "contacts":
        _check_contact_cases(store)
    if any(c["created"] or c["updated"] for c in report.counts.values()):  # journal writes, not no-ops
        audit.record(store, author=env.adviser, action="imported", subject=report.report,
                     detail=json.dumps({"rows": report.rows, **report.counts}, sort_keys=True))


@dataclass
class _Plan:
    """What one row changes in a stored record (capcli.domain.merge decides)."""

    record: str  # employers, persons, cases, contacts (the report's keys)
    line: int
    ref: str
    id: int
    merge: merge.Merge
    case_id: int | None = None  # contacts: the case journaled
    number: int | None = None


def _case_plans(store: Store) -> list:
    """The changes the staged rows make to stored employers, persons and cases, or a RowError
    for each row that would take back a recorded fact."""
    plans: list = []
    fields, n = sql.EMPLOYER_FIELDS, len(sql.EMPLOYER_FIELDS)
    for line, siret, eid, *values in sql.employer_candidates(store):
        plans.append(_Plan("employers", line, siret, eid, merge.employer(
            dict(zip(fields, values[:n])), dict(zip(fields, values[n:])))))
    n = len(PERSON_FIELDS)
    for line, ref, pid, *values in sql.person_candidates(store):
        plans.append(_Plan("persons", line, ref, pid, merge.person(
            dict(zip(PERSON_FIELDS, values[:n])), dict(zip(PERSON_FIELDS, values[n:])))))
    fields, n = merge.CASE_MERGED, len(merge.CASE_MERGED)
    for line, ref, cid, cancelled_on, *values in sql.case_candidates(store, fields):
        if cancelled_on is not None:
            plans.append(RowError(line, "case_ref", _cancelled(ref, cancelled_on)))
            continue
        try:
            plans.append(_Plan("cases", line, ref, cid, merge.case(
                ref, dict(zip(fields, values[:n])), dict(zip(fields, values[n:])))))
        except merge.Refused as exc:
            plans.append(RowError(line, exc.column, exc.message))
    return plans


def _contact_plans(store: Store) -> list:
    plans: list = []
    fields, n = sql.CONTACT_FIELDS, len(sql.CONTACT_FIELDS)
    for line, ref, number, kid, case_id, *values in sql.contact_candidates(store):
        label = _("contact {number} of case '{ref}'").format(number=number, ref=ref)
        try:
            plans.append(_Plan("contacts", line, f"{ref} #{number}", kid, merge.contact(
                label, dict(zip(fields, values[:n])), dict(zip(fields, values[n:]))), case_id, number))
        except merge.Refused as exc:
            plans.append(RowError(line, exc.column, exc.message))
    return plans


def _listed(plan: _Plan, changes: list[merge.Change]) -> dict:
    return {"line": plan.line, "record": plan.record, "ref": plan.ref,
            "fields": [{"field": c.field, "old": c.old, "new": c.new} for c in changes]}


def _apply(store: Store, plans: list, report: ImportReport, stamp: dict) -> dict[str, int]:
    """Write the plans' changes (after the creations: a case may now follow a case of the file),
    journal them, list them on the report; the count of records updated, per record."""
    updated: dict[str, int] = {}
    for plan in plans:
        if plan.merge.kept:
            report.kept.append(_listed(plan, plan.merge.kept))
        changes = plan.merge.changes
        if not changes:
            continue
        report.changes.append(_listed(plan, changes))
        updated[plan.record] = updated.get(plan.record, 0) + 1
        values = [(c.field, c.new) for c in changes]
        if plan.record == "cases":
            sql.apply_case(store, plan.id, values, detail=merge.journal_text(changes), **stamp)
            continue
        table = {"employers": "employer", "persons": "person", "contacts": "contact"}[plan.record]
        sql.apply_record(store, table, plan.id, values)
        if plan.record == "contacts":
            sql.journal(store, plan.case_id, detail=f"contact {plan.number}: {merge.journal_text(changes)}", **stamp)
        else:  # persons and employers: the audit journal, with the fields' names only
            audit.record(store, author=stamp["author"], action="import-updated", subject=table,
                         subject_id=plan.id, detail=" ".join(c.field for c in changes))
    return updated


def _check_contact_cases(store) -> None:
    """The cases that received contacts still keep the convention (at most 4 veille contacts,
    all in its window; a suivi renewed once...), as `capcli check` sees it: else nothing is written."""
    from capcli.store import health

    lines = dict(sql.contact_cases(store))
    found = health.problems_of_cases(store, list(lines))
    if found:
        errors = [RowError(lines[case_id], "case_ref", problem)
                  for case_id, problems in found.items() for problem in problems]
        errors.sort(key=lambda e: e.line)
        raise BadRows(errors[:MAX_ERRORS_KEPT], len(errors))


def _cancelled(ref: str, on: str) -> str:
    from capcli.domain.dates import shown

    return _("case '{ref}' was cancelled on {on} (opened by mistake): an import does not bring it back").format(
        ref=ref, on=shown(date.fromisoformat(str(on))))


def _cross_reason(column: str, item: tuple, refused: dict[str, int]) -> str:
    if column == "adviser":
        from capcli.services.advisers import unknown_reason

        return unknown_reason(item[1])
    if column == "person_ref:twice":
        return _("'{ref}' has the names and birth date of '{other}' on line {line}: the same person twice? (two "
                 "people with the same name and birth date: add --duplicate-ok)").format(
            ref=item[1], other=item[3], line=item[2])
    if column == "person_ref:duplicate":
        from capcli.domain.dates import shown

        return _("{name} born {on} is already person {id}: see 'capcli person show {id}' (two people with "
                 "the same name and birth date: add --duplicate-ok)").format(
            name=f"{item[2]} {item[3]}", on=shown(date.fromisoformat(item[4])), id=item[5])
    if column == "case_ref:cancelled":
        return _cancelled(item[1], item[2])
    if column == "follows_ref":
        if item[1] in refused:
            return _("case '{ref}' is on line {line}, which was refused").format(ref=item[1], line=refused[item[1]])
        return _("no case '{ref}' in the file or in the store").format(ref=item[1])
    if column == "case_ref" and len(item) == 2:
        return _("no case '{ref}' in the store: import the cases file first").format(ref=item[1])
    if column == "number":
        return _("contact {ref} already at line {first} with different data").format(ref=item[1], first=item[2])
    if column == "person_ref:anonymised":
        from capcli.domain.dates import shown

        return _("person '{ref}' was anonymised on {on}: an import does not bring their data back").format(
            ref=item[1], on=shown(date.fromisoformat(str(item[2])[:10])))
    if column == "person_ref:elsewhere":
        return _("'{ref}' is {name} in this store: a capcli-<id> ref names a record of the store the file "
                 "was exported from").format(ref=item[1], name=f"{item[2]} {item[3]}".strip())
    if column == "case_ref:elsewhere":
        return _("'{ref}' is a case of kind {kind} in this store: a capcli-<id> ref names a record of the store the "
                 "file was exported from").format(ref=item[1], kind=item[2])
    return _("'{ref}' already at line {first} with different data").format(ref=item[1], first=item[2])


# --- exports ------------------------------------------------------------------------


def export_columns(report: str, include_health: bool = False) -> tuple[str, ...]:
    """The columns of a report; an unknown report is refused with the list of reports."""
    if report not in records.REPORTS:
        raise InvalidValue(
            _("unknown report '{value}' (valid: {valid})").format(value=report, valid=", ".join(records.REPORTS))
        )
    columns = records.REPORTS[report]
    if export_shows_health(report, include_health):
        columns = columns + records.HEALTH_COLUMNS
    return columns


@dataclass
class Export:
    """One report to write: its columns and its rows as stored, chunk by chunk (``capcli/render/
    transfer.py`` writes them as CSV). A report with health data journals its hand-out when its
    first chunk is read: before any row leaves."""

    report: str
    columns: tuple[str, ...]
    chunks: Iterator[list[tuple]]


def export(
    store: Store,
    report: str,
    *,
    include_health: bool = False,
    since: str | None = None,
    adviser: str | None = None,
    author: str | None = None,
) -> Export:
    """One report (cases, contacts, needs, persons): an unknown report or a bad --since is refused
    here, before anything is written anywhere."""
    columns = export_columns(report, include_health)
    since_iso = parse_date(since, "--since").isoformat() if since else None
    cursor = getattr(sql, f"export_{report}")(store, columns, since=since_iso, adviser=adviser)

    def chunks() -> Iterator[list[tuple]]:
        if export_shows_health(report, include_health):  # journaled before the first row leaves: a cut pipe has handed some out
            with store.transaction():
                audit.record(store, author=author or "", action="exported", subject=report,
                             detail=json.dumps({"health": True, "since": since_iso}, sort_keys=True))
                # one look for the whole export (not one per person: see the README's "Access log")
                cases, persons = sql.count_cases(store, since=since_iso, adviser=adviser)
                access_log.record(store, author=author or "", action=HEALTH_EXPORTED, detail=json.dumps(
                    {"cases": cases, "persons": persons, "since": since_iso, "adviser": adviser}, sort_keys=True))
        while True:
            chunk = cursor.fetchmany(5000)
            if not chunk:
                return
            yield chunk

    return Export(report, columns, chunks())
