"""Reads of compensation needs, in portable SQL."""

from __future__ import annotations

from capcli.errors import NotFound
from capcli.i18n import _
from capcli.store.engine import Store


def get_need(store: Store, need_id: int) -> dict:
    row = store.execute("SELECT * FROM need WHERE id = ?", (need_id,)).fetchone()
    if row is None:
        raise NotFound(_("no need with id {id}: see 'capcli need list'").format(id=need_id))
    return dict(row)


def list_needs(store: Store, *, case_id: int | None = None, status: str | None = None) -> list[dict]:
    """Needs with their case's kind and person's name, for listings."""
    where, params = [], []
    if case_id is not None:
        where.append("n.case_id = ?")
        params.append(case_id)
    if status:
        where.append("n.status = ?")
        params.append(status)
    sql = (
        "SELECT n.*, c.kind, c.adviser, p.last_name, p.first_name FROM need n "
        "JOIN accompaniment c ON c.id = n.case_id JOIN person p ON p.id = c.person_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY n.case_id, n.id"
    return [dict(row) for row in store.execute(sql, params)]


def needs_of_person_with_aid(store: Store, person_id: int, aid: str) -> list[dict]:
    """The person's needs (any case) with the aid ``aid``, oldest first: what once-per-person, the
    period and the ceiling count."""
    from capcli.store.queries import as_date

    rows = store.execute(
        "SELECT n.id, n.case_id, n.amount_cents, n.created_on, n.status FROM need n "
        "JOIN accompaniment c ON c.id = n.case_id WHERE c.person_id = ? AND n.aid = ? ORDER BY n.created_on, n.id",
        (person_id, aid),
    )
    return [{**dict(row), "created_on": as_date(row["created_on"])} for row in rows]
