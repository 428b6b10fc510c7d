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
