"""Data protection use cases: the right of access (person export) and retention (purge)."""

from __future__ import annotations


from capcli.domain.retention import due_for_anonymisation, last_recorded
from capcli.domain.settings import Settings
from capcli.env import Env
from capcli.domain.health import PERSON_EXPORTED
from capcli.store import access_log, audit, privacy, queries, team
from capcli.store.engine import Store


def retention_years(store: Store) -> int:
    return Settings.from_pairs(queries.settings_pairs(store)).retention_years


def _due(store: Store, env: Env, years: int) -> list[dict]:
    due = []
    for person in privacy.activity(store).values():
        last = last_recorded(*person["days"], created_on=person["created_on"])
        if due_for_anonymisation(has_open_case=person["open_cases"] > 0, last=last, today=env.today, years=years):
            due.append({"id": person["id"], "last_name": person["last_name"], "first_name": person["first_name"],
                        "last_recorded": last})
    return sorted(due, key=lambda p: (p["last_recorded"], p["id"]))


def purge_candidates(store: Store, env: Env) -> list[dict]:
    """People past the retention period: no open case and no contact with them for retention_years."""
    return _due(store, env, retention_years(store))


def anonymise(store: Store, env: Env, person_ids: list[int]) -> list[int]:
    """Anonymise those of ``person_ids`` still due (checked again inside the transaction), journaled.

    The data dropped is erased from the file, not only unlinked (``Store.erase_for_good``)."""
    if person_ids:
        team.require_manager(store, "purge")
    store.erase_for_good()
    with store.transaction():
        years = retention_years(store)
        still_due = {p["id"] for p in _due(store, env, years)}
        done = [pid for pid in person_ids if pid in still_due]
        for pid in done:
            privacy.anonymise_person(store, pid, env.today)
            audit.record(store, author=env.adviser, action="person-anonymised", subject="person", subject_id=pid,
                         detail=f"retention_years={years}")
    store.flush_erased()
    return done


def export_person(store: Store, env: Env, person_id: int, destination: str) -> dict:
    """Everything held on one person; the hand-out is journaled (it carries health data) and is a look
    of the access log, which the file lists with the earlier ones (who looked at it: ``access_log``).

    ``destination``: 'file' or 'stdout', a code for the audit journal.
    """
    with store.transaction():
        access_log.record(store, author=env.adviser, action=PERSON_EXPORTED, person_id=person_id, detail=destination)
        data = privacy.everything_on(store, person_id)
        audit.record(store, author=env.adviser, action="person-exported", subject="person", subject_id=person_id,
                     detail=destination)
    data["exported_at"] = audit.recorded_now()
    data["exported_by"] = env.adviser
    return data
