"""The access log of health data: a look recorded as it happens, and `capcli access-log`.

What counts as a look is ``capcli.domain.health``; the services that show health data (`show`,
`diagnose`, `person export`, `export --include-health`) record it here, or with
``store.access_log.record`` in the transaction that journals their hand-out.
"""

from __future__ import annotations

from capcli.domain.dates import add_months, parse_date
from capcli.domain.settings import Settings
from capcli.env import Env
from capcli.store import access_log, audit, queries
from capcli.store.engine import Store


def looked(store: Store, env: Env, action: str, *, person_id: int | None = None, case_id: int | None = None,
           detail: str | None = None) -> None:
    """Record one look, in a short transaction of its own, before the data is shown: a look that
    cannot be recorded is not shown."""
    with store.transaction():
        access_log.record(store, author=env.adviser, action=action, person_id=person_id, case_id=case_id,
                          detail=detail)


def entries(store: Store, *, person_id: int | None = None, case_id: int | None = None,
            since: str | None = None) -> list[dict]:
    """`access-log --person ID | --case ID [--since DATE]`: the looks, oldest first (an unknown id or
    a bad date is refused)."""
    since_iso = parse_date(since, "--since").isoformat() if since is not None else None
    if person_id is not None:
        queries.get_person(store, person_id)
        return access_log.of_person(store, person_id, since_iso)
    queries.get_case(store, case_id)
    return access_log.of_case(store, case_id, since_iso)


def months(store: Store) -> int:
    return Settings.from_pairs(queries.settings_pairs(store)).access_log_months


def _cutoff(env: Env, kept: int) -> str:
    """The day before which a look is past the retention period (ISO)."""
    return add_months(env.today, -kept).isoformat()


def retention(store: Store, env: Env) -> dict:
    """`purge`'s view of the log: ``{"months", "older", "deleted"}`` (the looks past the retention
    period; none deleted yet)."""
    kept = months(store)
    return {"months": kept, "older": access_log.count_before(store, _cutoff(env, kept)), "deleted": 0}


def purge(store: Store, env: Env) -> int:
    """Delete the looks older than ``access_log_months``, journaled; how many went."""
    with store.transaction():
        kept = months(store)
        gone = access_log.delete_before(store, _cutoff(env, kept))
        if gone:
            audit.record(store, author=env.adviser, action="access-log-purged", subject="store",
                         detail=f"access_log_months={kept} deleted={gone}")
        return gone
