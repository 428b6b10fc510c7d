"""Reads and writes of the store, in portable SQL on a DB-API connection.

Dates travel as ISO text. Functions return the domain's plain records (or dicts for
display); none of them applies a rule: that is the services' and the domain's job.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator
from datetime import date, datetime

from capcli.domain.model import PERSON_FIELDS, Case, Contact
from capcli.errors import NotFound
from capcli.i18n import _
from capcli.store import is_team
from capcli.store.audit import recorded_now
from capcli.store.engine import Store


def as_date(value) -> date | None:
    """A date as the store holds it (ISO text, or a date) as a date; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def insert(store: Store, table: str, values: dict) -> int:
    """INSERT one row and return its id."""
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    row = store.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id",
        tuple(_iso(v) if isinstance(v, date) and not isinstance(v, datetime) else v for v in values.values()),
    ).fetchone()
    return row[0]


def update(store: Store, table: str, row_id: int, values: dict) -> None:
    sets = ", ".join(f"{column} = ?" for column in values)
    params = tuple(_iso(v) if isinstance(v, date) and not isinstance(v, datetime) else v for v in values.values())
    store.execute(f"UPDATE {table} SET {sets} WHERE id = ?", params + (row_id,))


# --- persons ------------------------------------------------------------------------

PERSON_COLUMNS = ("id", "external_id", *PERSON_FIELDS, "created_on", "anonymised_on")


def person_dict(row) -> dict:
    data = {key: row[key] for key in PERSON_COLUMNS}
    data["rqth_definitive"] = bool(data["rqth_definitive"])
    return data


def get_person(store: Store, person_id: int) -> dict:
    row = store.execute("SELECT * FROM person WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise NotFound(_("no person with id {id}: see 'capcli person list'").format(id=person_id))
    return person_dict(row)


def list_persons(store: Store, search: str | None = None, limit: int | None = None,
                 active_only: bool = False) -> list[dict]:
    """Persons by name; ``active_only``: not anonymised (those a case may still be opened for)."""
    where, params = [], []
    if search:
        from capcli.domain.identity import fold

        enable_fold(store)
        pattern = "%" + _like_escaped(fold(" ".join(search.split()))) + "%"
        # "last first last": one fold per row finds "Lévêque Hélène" and "Hélène Lévêque" alike
        where.append("capcli_fold(last_name || ' ' || first_name || ' ' || last_name) LIKE ? ESCAPE '!'")
        params.append(pattern)
    if active_only:
        where.append("anonymised_on IS NULL")
    sql = "SELECT * FROM person" + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY last_name, first_name, id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [person_dict(row) for row in store.execute(sql, params)]


def enable_fold(store: Store) -> None:
    """``capcli_fold(text)`` in this connection's SQL (each engine's own: ``Store.enable_fold``)."""
    store.enable_fold()


def _like_escaped(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def person_with_external_id(store: Store, external_id: str, other_than: int | None = None) -> int | None:
    """The id of the person (other than ``other_than``) who has ``external_id``, else None."""
    row = store.execute("SELECT id FROM person WHERE external_id = ? AND id <> ?",
                        (external_id, other_than or 0)).fetchone()
    return row[0] if row else None


def same_person(store: Store, key: tuple, other_than: int | None = None) -> int | None:
    """The id of a person (not anonymised) with the same folded names and birth date
    (``identity.same_person_key``), other than ``other_than``; else None."""
    last, first, birth = key
    enable_fold(store)
    row = store.execute(
        "SELECT id FROM person WHERE birth_date = ? AND anonymised_on IS NULL AND id <> ? "
        "AND capcli_fold(last_name) = ? AND capcli_fold(first_name) = ? ORDER BY id LIMIT 1",
        (birth, other_than or 0, last, first),
    ).fetchone()
    return row[0] if row else None


def person_name(person: dict) -> str:
    return f"{person['last_name']} {person['first_name']}".strip()


# --- employers ----------------------------------------------------------------------


def get_employer(store: Store, ref: str | int) -> dict:
    """An employer by id or by SIRET."""
    text = str(ref).strip()
    if text.isascii() and text.isdigit() and len(text) == 14:
        row = store.execute("SELECT * FROM employer WHERE siret = ?", (text,)).fetchone()
    elif text.isascii() and text.isdigit() and len(text) < 19:
        row = store.execute("SELECT * FROM employer WHERE id = ?", (int(text),)).fetchone()
    else:
        row = None
    if row is None:
        raise NotFound(
            _("no employer with id or SIRET '{ref}': see 'capcli employer list'").format(ref=ref)
        )
    return dict(row)


def find_employer_by_siret(store: Store, siret: str) -> dict | None:
    row = store.execute("SELECT * FROM employer WHERE siret = ?", (siret,)).fetchone()
    return dict(row) if row else None


def list_employers(store: Store) -> list[dict]:
    return [dict(row) for row in store.execute("SELECT * FROM employer ORDER BY name, id")]


# --- cases --------------------------------------------------------------------------


def case_from_row(row) -> Case:
    return Case(
        id=row["id"],
        person_id=row["person_id"],
        kind=row["kind"],
        phase=row["phase"],
        opened_on=as_date(row["opened_on"]),
        adviser=row["adviser"],
        requested_by=row["requested_by"],
        partner=row["partner"],
        consent=bool(row["consent"]),
        employer_id=row["employer_id"],
        closed_on=as_date(row["closed_on"]),
        outcome=row["outcome"],
        at_risk=bool(row["at_risk"]),
        follows_id=row["follows_id"],
        external_id=row["external_id"],
        cancelled_on=as_date(row["cancelled_on"]),
        cancel_reason=row["cancel_reason"],
        signalement_by=row["signalement_by"],
        signalement_on=as_date(row["signalement_on"]),
    )


def get_case(store: Store, case_id: int) -> Case:
    row = store.execute("SELECT * FROM accompaniment WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        raise NotFound(_("no case with id {id}: see 'capcli list'").format(id=case_id))
    return case_from_row(row)


def open_cases_of_person(store: Store, person_id: int) -> list[Case]:
    rows = store.execute(
        "SELECT * FROM accompaniment WHERE person_id = ? AND closed_on IS NULL ORDER BY id", (person_id,)
    )
    return [case_from_row(row) for row in rows]


def cases_of_person(store: Store, person_id: int) -> list[Case]:
    rows = store.execute("SELECT * FROM accompaniment WHERE person_id = ? ORDER BY id", (person_id,))
    return [case_from_row(row) for row in rows]


def followers(store: Store, case_id: int) -> list[Case]:
    rows = store.execute("SELECT * FROM accompaniment WHERE follows_id = ? ORDER BY id", (case_id,))
    return [case_from_row(row) for row in rows]


def _cases_where(adviser: str | None = None, kind: str | None = None, status: str | None = None,
                 person_id: int | None = None) -> tuple[str, list]:
    """The WHERE clause (with its leading space, or '') and parameters of a listing of cases."""
    where, params = [], []
    if adviser:
        where.append("c.adviser = ?")
        params.append(adviser)
    if kind:
        where.append("c.kind = ?")
        params.append(kind)
    if status == "open":
        where.append("c.closed_on IS NULL")
    elif status == "closed":
        where.append("c.closed_on IS NOT NULL AND c.cancelled_on IS NULL")
    if person_id:
        where.append("c.person_id = ?")
        params.append(person_id)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def iter_cases(
    store: Store,
    *,
    adviser: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    person_id: int | None = None,
) -> Iterator[dict]:
    """Cases with their person's name, for listings, one at a time (by id)."""
    where, params = _cases_where(adviser, kind, status, person_id)
    sql = (
        "SELECT c.*, p.last_name, p.first_name, e.name AS employer_name, e.siret AS employer_siret, "
        "e.sector AS employer_sector, e.created_on AS employer_created_on FROM accompaniment c "
        "JOIN person p ON p.id = c.person_id LEFT JOIN employer e ON e.id = c.employer_id"
    )
    for row in store.execute(sql + where + " ORDER BY c.id", params):
        yield dict(row)


def list_cases(store: Store, **filters) -> list[dict]:
    """``iter_cases`` as a list (a small listing: the demo's)."""
    return list(iter_cases(store, **filters))


def case_lines(store: Store, at_once: bool = False, **filters) -> Iterator[tuple]:
    """What a line of `list` shows of each case of ``iter_cases`` (same filters, same order), as
    tuples: id, kind, state (the phase while open, the outcome or '' once closed, None when
    cancelled), adviser, opened_on, last_name, first_name. Kept narrow: a million lines.
    ``at_once``: the first rows without delay (a terminal's first page), through the join."""
    where, params = _cases_where(**filters)
    sql = ("SELECT c.id, c.kind, CASE WHEN c.closed_on IS NULL THEN COALESCE(c.phase, '') "
           "WHEN COALESCE(c.cancelled_on, '') <> '' THEN NULL ELSE COALESCE(c.outcome, '') END, "
           "c.adviser, c.opened_on")
    joined = ", p.last_name, p.first_name FROM accompaniment c JOIN person p ON p.id = c.person_id"
    if where or at_once or is_team(store):
        return iter(store.execute(sql + joined + where + " ORDER BY c.id", params))
    return _every_case_line(store, sql, joined + " WHERE c.id >= ? ORDER BY c.id")


def _every_case_line(store: Store, sql: str, joined: str, size: int = 4096) -> Iterator[tuple]:
    """``case_lines`` of every case of a SQLite file. A person looked up for each case in id order
    is a random page read each (half the reading at 1M cases): the persons are scanned in their
    order instead, joined through the person index and sorted by case, a stream read beside the
    cases' own scan, in plain tuples added end to end. The names' sort reads the store at its
    first step, and a connection's statements share one read snapshot while any is being read.
    A case whose person is missing (a damaged store) leaves the streams apart: from that piece on,
    the join (``joined``) reads the rest, as it always did, without that case."""
    names, cases = store.conn.cursor(), store.conn.cursor()
    names.row_factory = cases.row_factory = None
    names.execute("SELECT c.id, p.last_name, p.first_name FROM person p CROSS JOIN accompaniment c "
                  "WHERE c.person_id = p.id ORDER BY c.id")
    cases.execute(sql + " FROM accompaniment c ORDER BY c.id")
    first, rest = operator.itemgetter(0), operator.itemgetter(slice(1, None))

    def pieces():  # iterators of rows, chained: no Python frame per row
        while piece := cases.fetchmany(size):
            named = names.fetchmany(size)
            if list(map(first, piece)) != list(map(first, named)):
                yield cases.execute(sql + joined, (piece[0][0],))
                return
            yield map(operator.add, piece, map(rest, named))

    return itertools.chain.from_iterable(pieces())


def open_cases_of_adviser(store: Store, adviser: str, kind: str | None = None) -> list[dict]:
    """An adviser's open cases (``reassign``), with the person's name and the contacts still to do."""
    sql = (
        "SELECT c.id, c.kind, c.phase, c.person_id, p.last_name, p.first_name, "
        "(SELECT COUNT(*) FROM contact k WHERE k.case_id = c.id AND k.done_on IS NULL) AS pending "
        "FROM accompaniment c JOIN person p ON p.id = c.person_id WHERE c.closed_on IS NULL AND c.adviser = ?"
    )
    params: list = [adviser]
    if kind:
        sql += " AND c.kind = ?"
        params.append(kind)
    return [dict(row) for row in store.execute(sql + " ORDER BY c.id", params)]


def recorded_since_opening(store: Store, case: Case) -> list[str]:
    """What was recorded on a case after its opening (``rules.RECORDED`` keys), for `cancel`."""
    found = ["closed"] if case.closed_on is not None else []
    checks = {
        "advanced": "SELECT 1 FROM event WHERE case_id = ? AND action = 'advanced'",
        "contact-done": "SELECT 1 FROM contact WHERE case_id = ? AND done_on IS NOT NULL",
        "diagnostic": "SELECT 1 FROM diagnostic WHERE case_id = ?",
        "need": "SELECT 1 FROM need WHERE case_id = ?",
        "measure": "SELECT 1 FROM measure WHERE case_id = ?",
        "follow-on": "SELECT 1 FROM accompaniment WHERE follows_id = ?",
    }
    for key, sql in checks.items():
        if store.execute(sql + " LIMIT 1", (case.id,)).fetchone():
            found.append(key)
    return found


# --- contacts and events ------------------------------------------------------------


def contact_from_row(row) -> Contact:
    at_risk = row["at_risk"]
    return Contact(
        id=row["id"],
        case_id=row["case_id"],
        number=row["number"],
        due_on=as_date(row["due_on"]),
        done_on=as_date(row["done_on"]),
        note=row["note"],
        at_risk=None if at_risk is None else bool(at_risk),
    )


def contacts_of_case(store: Store, case_id: int) -> list[Contact]:
    rows = store.execute("SELECT * FROM contact WHERE case_id = ? ORDER BY number, id", (case_id,))
    return [contact_from_row(row) for row in rows]


def get_contact(store: Store, contact_id: int) -> Contact:
    row = store.execute("SELECT * FROM contact WHERE id = ?", (contact_id,)).fetchone()
    if row is None:
        raise NotFound(_("no contact with id {id}: see 'capcli show CASE' or 'capcli due'").format(id=contact_id))
    return contact_from_row(row)


def last_phase_change(store: Store, case_id: int) -> date | None:
    """The date of the case's last phase advance, if any."""
    row = store.execute("SELECT MAX(on_date) FROM event WHERE case_id = ? AND action = 'advanced'",
                        (case_id,)).fetchone()
    return as_date(row[0]) if row and row[0] else None


def add_event(
    store: Store,
    case_id: int,
    *,
    on: date,
    author: str,
    action: str,
    detail: str | None = None,
    note: str | None = None,
) -> int:
    return insert(
        store,
        "event",
        {
            "case_id": case_id,
            "on_date": on,
            "recorded_at": recorded_now(),
            "author": author,
            "action": action,
            "detail": detail,
            "note": note,
        },
    )


def events_of_case(store: Store, case_id: int) -> list[dict]:
    rows = store.execute(
        "SELECT on_date, recorded_at, author, action, detail, note FROM event WHERE case_id = ? "
        "ORDER BY on_date, id",
        (case_id,),
    )
    return [dict(row) for row in rows]


def needs_of_case(store: Store, case_id: int) -> list[dict]:
    return [dict(row) for row in store.execute("SELECT * FROM need WHERE case_id = ? ORDER BY id", (case_id,))]


def latest_diagnostic(store: Store, case_id: int) -> dict | None:
    row = store.execute(
        "SELECT * FROM diagnostic WHERE case_id = ? ORDER BY on_date DESC, id DESC LIMIT 1", (case_id,)
    ).fetchone()
    return dict(row) if row else None


# --- settings -----------------------------------------------------------------------


def settings_pairs(store: Store) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in store.execute("SELECT key, value FROM setting")]


def set_setting(store: Store, key: str, value: str) -> None:
    store.execute("DELETE FROM setting WHERE key = ?", (key,))
    store.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (key, value))
