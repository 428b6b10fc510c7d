"""The access log (schema 6): who looked at health data, when, and what (``capcli.domain.health``).

A look is written by the service that shows the data, before it is shown, in a short write
transaction of its own (or in the one that journals a hand-out in the audit table). ``detail`` holds
codes and counts only, never health data or a name: the log outlives anonymisation.
"""

from __future__ import annotations

from capcli.store.audit import recorded_now
from capcli.store.engine import Store

_COLUMNS = "id, recorded_at, author, action, person_id, case_id, detail"


def record(store: Store, *, author: str, action: str, person_id: int | None = None, case_id: int | None = None,
           detail: str | None = None) -> int:
    """One look (inside a transaction of the caller's)."""
    row = store.execute(
        "INSERT INTO access_log (recorded_at, author, action, person_id, case_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (recorded_now(), author, action, person_id, case_id, detail),
    ).fetchone()
    return row[0]


def of_person(store: Store, person_id: int, since: str | None = None) -> list[dict]:
    """The looks at one person's file and at any of their cases, oldest first (``since``: an ISO day)."""
    return _rows(store, "(person_id = ? OR case_id IN (SELECT id FROM accompaniment WHERE person_id = ?))",
                 (person_id, person_id), since)


def of_case(store: Store, case_id: int, since: str | None = None) -> list[dict]:
    return _rows(store, "case_id = ?", (case_id,), since)


def _rows(store: Store, where: str, params: tuple, since: str | None) -> list[dict]:
    if since is not None:
        where, params = f"{where} AND recorded_at >= ?", (*params, since)
    rows = store.execute(f"SELECT {_COLUMNS} FROM access_log WHERE {where} ORDER BY recorded_at, id", params)
    return [dict(row) for row in rows]


def count_before(store: Store, before: str) -> int:
    """The looks recorded before ``before`` (an ISO day): those past the retention period."""
    return store.execute("SELECT COUNT(*) FROM access_log WHERE recorded_at < ?", (before,)).fetchone()[0]


def delete_before(store: Store, before: str) -> int:
    """Delete the looks recorded before ``before`` (an ISO day); how many went."""
    return store.execute("DELETE FROM access_log WHERE recorded_at < ?", (before,)).rowcount
