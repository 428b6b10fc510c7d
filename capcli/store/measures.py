"""Reads of measures, in portable SQL (dates as ISO text, turned into dates here)."""

from __future__ import annotations

from capcli.errors import NotFound
from capcli.i18n import _
from capcli.store.engine import Store
from capcli.store.queries import as_date

_DATES = ("starts_on", "ends_on", "ended_on", "off_since", "return_on", "created_on")


def _measure(row) -> dict:
    data = dict(row)
    for key in _DATES:
        if key in data:
            data[key] = as_date(data[key])
    return data


def get_measure(store: Store, measure_id: int) -> dict:
    row = store.execute("SELECT * FROM measure WHERE id = ?", (measure_id,)).fetchone()
    if row is None:
        raise NotFound(_("no measure with id {id}: see 'capcli measure list'").format(id=measure_id))
    return _measure(row)


def measures_of_case(store: Store, case_id: int) -> list[dict]:
    return [_measure(r) for r in store.execute("SELECT * FROM measure WHERE case_id = ? ORDER BY id", (case_id,))]


def list_measures(store: Store, case_id: int | None = None) -> list[dict]:
    """Measures with their case's kind and adviser and the person's name, for listings."""
    sql = ("SELECT m.*, c.kind AS case_kind, c.adviser, p.last_name, p.first_name FROM measure m "
           "JOIN accompaniment c ON c.id = m.case_id JOIN person p ON p.id = c.person_id")
    params: tuple = ()
    if case_id is not None:
        sql += " WHERE m.case_id = ?"
        params = (case_id,)
    return [_measure(r) for r in store.execute(sql + " ORDER BY m.case_id, m.id", params)]


def pending_measures(store: Store, adviser: str | None) -> list[dict]:
    """The measures not ended of open cases (every adviser when None), for `due`."""
    sql = ("SELECT m.*, c.kind AS case_kind, c.adviser, p.last_name, p.first_name, e.name AS employer "
           "FROM accompaniment c JOIN measure m ON m.case_id = c.id JOIN person p ON p.id = c.person_id "
           "LEFT JOIN employer e ON e.id = c.employer_id WHERE c.closed_on IS NULL AND m.ended_on IS NULL")
    params: tuple = ()
    if adviser is not None:
        sql += " AND c.adviser = ?"
        params = (adviser,)
    return [_measure(r) for r in store.execute(sql + " ORDER BY m.id", params)]
