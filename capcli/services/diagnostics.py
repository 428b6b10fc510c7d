"""Revising a case's diagnostic: each revision is a new record, journaled with its date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from capcli.domain import diagnostic, rules
from capcli.domain.health import DIAGNOSTIC_OPENED, shows_health
from capcli.domain.model import Case
from capcli.env import Env
from capcli.services import access_log
from capcli.store import diagnostics, queries, team
from capcli.store.engine import Store


@dataclass
class Current:
    """What a revision starts from."""

    case: Case
    values: dict  # the latest revision's fields (empty ones when there is none)
    on: date | None  # the latest revision's date
    revisions: int


@dataclass
class Recorded:
    case_id: int
    revision: int  # the number of the revision now current
    changed: list[str] = field(default_factory=list)  # empty: nothing changed, nothing written


def current(store: Store, case_id: int) -> Current:
    """The case (refused when closed) and its current diagnostic."""
    case = queries.get_case(store, case_id)
    team.require_holder(store, case.id, case.adviser)  # before the wizard's questions
    diagnostic.check_case_open(case)
    rules.check_past_diagnostic(case)
    latest = queries.latest_diagnostic(store, case_id)
    return Current(
        case=case,
        values=diagnostic.from_row(latest),
        on=date.fromisoformat(str(latest["on_date"])[:10]) if latest else None,
        revisions=diagnostics.revision_count(store, case_id),
    )


def start(store: Store, env: Env, case_id: int, *, on: date) -> Current:
    """The current diagnostic, once the case and the date are known to accept a revision."""
    now = current(store, case_id)
    rules.check_event_date(now.case, on, env.today)
    diagnostic.check_revision_date(on, now.on)
    return now


def open_wizard(store: Store, env: Env, case_id: int, *, on: date) -> Current:
    """What the wizard starts from: its prompts show the current diagnostic (a look, logged)."""
    now = start(store, env, case_id, on=on)
    if shows_health(now.values):
        access_log.looked(store, env, DIAGNOSTIC_OPENED, person_id=now.case.person_id, case_id=case_id)
    return now


def record(store: Store, env: Env, case_id: int, changed: dict, *, on: date) -> Recorded:
    """Write a new revision made of the current one with ``changed`` (validated fields) on top."""
    with store.transaction():
        now = start(store, env, case_id, on=on)
        revised = diagnostic.revise(now.values, diagnostic.changes(changed))
        diagnostic.check_revision(revised)
        fields = diagnostic.changed_fields(now.values, revised)
        if not fields and now.revisions:
            return Recorded(case_id, now.revisions)
        queries.insert(store, "diagnostic", {"case_id": case_id, "on_date": on, "author": env.adviser,
                                             **diagnostic.to_row(revised)})
        revision = now.revisions + 1
        # Codes only: which fields changed, never their (health) values.
        queries.add_event(store, case_id, on=on, author=env.adviser, action="diagnostic",
                          detail=f"revision {revision}: {', '.join(fields)}")
        return Recorded(case_id, revision, fields)
