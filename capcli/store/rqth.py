"""Reads of RQTH renewals, in portable SQL (dates as ISO text, turned into dates here)."""

from __future__ import annotations

from capcli.store.engine import Store
from capcli.store.queries import as_date

_DATES = ("rqth_until", "filed_on", "decided_on", "granted_until")


def _renewal(row) -> dict | None:
    if row is None:
        return None
    data = dict(row)
    for key in _DATES:
        data[key] = as_date(data[key])
    return data


def latest_renewal(store: Store, person_id: int) -> dict | None:
    row = store.execute("SELECT * FROM rqth_renewal WHERE person_id = ? ORDER BY id DESC LIMIT 1",
                        (person_id,)).fetchone()
    return _renewal(row)


def renewals_of_person(store: Store, person_id: int) -> list[dict]:
    return [_renewal(r) for r in store.execute("SELECT * FROM rqth_renewal WHERE person_id = ? ORDER BY id",
                                               (person_id,))]
