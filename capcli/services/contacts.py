"""Follow-up contacts: record, add, move, renew (SPEC §2 rules 5, 7, 8).

Each use case loads the case and its contacts, applies the rules of ``capcli.domain.rules``
and writes the change with its journal entry in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from capcli.domain import rules, validate
from capcli.domain.model import Case, Contact
from capcli.env import Env
from capcli.i18n import N_
from capcli.store import queries
from capcli.store.engine import Store

if TYPE_CHECKING:
    from capcli.services.cases import Opened


@dataclass
class ContactChange:
    case: Case
    contact: Contact
    of: int  # how many contacts the case has: the contact is `number`/`of`
    reopen_signal: bool = False  # rule 8: the job is at risk again, a maintien should be re-opened
    reopened: Opened | None = None  # the maintien opened by --reopen
    next_step: str | None = None  # a suivi-conventionnel's contact done: 'renew' or 'close' (rules.suivi_next_step)


def _load(store: Store, contact_id: int) -> tuple[Contact, Case, list[Contact]]:
    contact = queries.get_contact(store, contact_id)
    case = queries.get_case(store, contact.case_id)
    return contact, case, queries.contacts_of_case(store, case.id)


def _next_number(contacts: list[Contact]) -> int:
    return max((c.number for c in contacts), default=0) + 1


def done(
    store: Store,
    env: Env,
    contact_id: int,
    *,
    on: date,
    at_risk: bool = False,
    note: str | None = None,
    reopen: bool = False,
) -> ContactChange:
    """Record a contact as done; with ``reopen``, open the maintien that rule 8 calls for."""
    from capcli.services.cases import open_in_transaction

    validate.text(note, N_("note"), multiline=True)
    with store.transaction():
        contact, case, contacts = _load(store, contact_id)
        rules.check_contact_done(case, contact, on, env.today, of=len(contacts))
        if reopen:
            rules.check_reopen(case, at_risk)
        note = (note or "").strip() or None
        queries.update(store, "contact", contact.id, {"done_on": on, "at_risk": bool(at_risk), "note": note})
        queries.add_event(
            store, case.id, on=on, author=env.adviser, action="contact-done",
            detail=f"{contact.number} {'at-risk' if at_risk else 'stable'}", note=note,
        )
        contact.done_on, contact.at_risk, contact.note = on, bool(at_risk), note
        change = ContactChange(case, contact, len(contacts), reopen_signal=rules.signals_reopening(case, at_risk),
                               next_step=rules.suivi_next_step(case, len(contacts)))
        if reopen:
            change.reopened = open_in_transaction(
                store, env, kind="maintien", person_id=case.person_id, adviser=case.adviser, on=on,
                employer_id=case.employer_id, requested_by=case.requested_by, partner=case.partner,
                consent=case.consent, follows_id=case.id,
                reason=rules.reopen_reason(),
            )
        return change


def add(store: Store, env: Env, case_id: int, *, due_on: date, note: str | None = None) -> ContactChange:
    """Plan one more contact (a 4th veille contact, or a contact on any open case)."""
    validate.text(note, N_("note"), multiline=True)
    with store.transaction():
        case = queries.get_case(store, case_id)
        contacts = queries.contacts_of_case(store, case_id)
        rules.check_add_contact(case, contacts, due_on)
        number = _next_number(contacts)
        new_id = queries.insert(store, "contact", {"case_id": case_id, "number": number, "due_on": due_on})
        queries.add_event(
            store, case_id, on=env.today, author=env.adviser, action="contact-added",
            detail=f"{number} {due_on.isoformat()}", note=(note or "").strip() or None,
        )
        return ContactChange(case, queries.get_contact(store, new_id), len(contacts) + 1)


def move(
    store: Store, env: Env, contact_id: int, *, due_on: date, note: str | None = None
) -> tuple[ContactChange, date]:
    """Give a contact still to do another due date; returns the change and the former date.

    A move to the date it already has changes nothing and journals nothing (``before == due_on``)."""
    validate.text(note, N_("note"), multiline=True)
    with store.transaction():
        contact, case, contacts = _load(store, contact_id)
        rules.check_move_contact(case, contact, due_on)
        before = contact.due_on
        if before == due_on:
            return ContactChange(case, contact, len(contacts)), before
        queries.update(store, "contact", contact.id, {"due_on": due_on})
        queries.add_event(
            store, case.id, on=env.today, author=env.adviser, action="contact-moved",
            detail=f"{contact.number} {before.isoformat()} -> {due_on.isoformat()}", note=(note or "").strip() or None,
        )
        contact.due_on = due_on
        return ContactChange(case, contact, len(contacts)), before


def renew(store: Store, env: Env, case_id: int) -> ContactChange:
    """The one renewal of a suivi-conventionnel: a contact 3 months after the one done (rule 5)."""
    with store.transaction():
        case = queries.get_case(store, case_id)
        contacts = queries.contacts_of_case(store, case_id)
        due_on = rules.renewal_due(case, contacts)
        number = _next_number(contacts)
        new_id = queries.insert(store, "contact", {"case_id": case_id, "number": number, "due_on": due_on})
        queries.add_event(
            store, case_id, on=env.today, author=env.adviser, action="renewed", detail=f"{number} {due_on.isoformat()}",
        )
        return ContactChange(case, queries.get_contact(store, new_id), len(contacts) + 1)
