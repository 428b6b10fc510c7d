"""The reads behind `capcli due`: plain, portable SQL on the DB-API connection.

Every query starts from the OPEN cases (index ``ix_accompaniment_open (closed_on, adviser)``),
so its cost follows the caseload of the day, never the closed history that accumulates.
Rows come back as plain dicts; the service applies the calendar rules and the windows.
"""

from __future__ import annotations

from datetime import date

from capcli.store.engine import Store

_CONTACTS = (
    "SELECT k.id AS contact_id, k.case_id, k.number, k.due_on, c.kind, c.adviser, "
    "p.last_name, p.first_name, e.name AS employer, "
    "(SELECT COUNT(*) FROM contact x WHERE x.case_id = k.case_id) AS total "
    "FROM accompaniment c "
    "CROSS JOIN contact k ON k.case_id = c.id "  # driven from the open cases: not every pending
    "CROSS JOIN person p ON p.id = c.person_id "  # contact, most of them those of closed cases
    "LEFT JOIN employer e ON e.id = c.employer_id "
    "WHERE c.closed_on IS NULL AND k.done_on IS NULL AND k.due_on <= ?{adviser} "
    "ORDER BY k.due_on, k.id"
)

# With the person's latest RQTH renewal: one awaiting its decision is shown whatever the end date.
_RQTH = (
    "SELECT p.id AS person_id, p.last_name, p.first_name, p.rqth_until, c.id AS case_id, c.kind, c.adviser, "
    "r.id AS renewal_id, r.rqth_until AS renewal_until, r.filed_on, r.decided_on "
    "FROM accompaniment c JOIN person p ON p.id = c.person_id "
    # (r.person_id = p.id as well: PostgreSQL then joins through the index from the day's cases, 64 -> 3 ms)
    "LEFT JOIN rqth_renewal r ON r.person_id = p.id "
    "AND r.id = (SELECT MAX(x.id) FROM rqth_renewal x WHERE x.person_id = p.id) "
    "WHERE c.closed_on IS NULL AND p.rqth_until IS NOT NULL "
    "AND (p.rqth_until <= ? OR (r.id IS NOT NULL AND r.decided_on IS NULL)) "
    "AND p.rqth_definitive = ?{adviser} "
    "ORDER BY p.rqth_until, p.id, c.id"
)

# An open case is idle when nothing was journaled since ``before`` and no contact is planned
# (a veille waiting for its 6-month contact is not idle: its contact is on the screen in time).
_IDLE = (
    "SELECT * FROM ("
    "SELECT c.id AS case_id, c.kind, c.phase, c.adviser, p.last_name, p.first_name, "
    "(SELECT MAX(v.on_date) FROM event v WHERE v.case_id = c.id) AS last_on "
    "FROM accompaniment c JOIN person p ON p.id = c.person_id "
    "WHERE c.closed_on IS NULL{adviser} "
    "AND NOT EXISTS (SELECT 1 FROM contact k WHERE k.case_id = c.id AND k.done_on IS NULL)"
    ") quiet WHERE last_on IS NULL OR last_on < ? "
    "ORDER BY last_on, case_id"
)


def _by_adviser(sql: str, adviser: str | None) -> str:
    return sql.format(adviser=" AND c.adviser = ?" if adviser is not None else "")


def _rows(store: Store, sql: str, params: list) -> list[dict]:
    return [dict(row) for row in store.execute(sql, params)]


def pending_contacts(store: Store, *, until: date, adviser: str | None) -> list[dict]:
    """Contacts not done of open cases, due on or before ``until`` (every adviser when None)."""
    params: list = [until.isoformat()] + ([adviser] if adviser is not None else [])
    return _rows(store, _by_adviser(_CONTACTS, adviser), params)


def rqth_ending(store: Store, *, until: date, adviser: str | None) -> list[dict]:
    """People with an open case whose RQTH (not definitive) ends on or before ``until``, or whose
    renewal awaits its decision, one row per case, with their latest renewal."""
    params: list = [until.isoformat(), False] + ([adviser] if adviser is not None else [])
    return _rows(store, _by_adviser(_RQTH, adviser), params)


def idle_cases(store: Store, *, since: date, adviser: str | None) -> list[dict]:
    """Open cases whose last event is before ``since`` and with no contact planned."""
    params: list = ([adviser] if adviser is not None else []) + [since.isoformat()]
    return _rows(store, _by_adviser(_IDLE, adviser), params)
