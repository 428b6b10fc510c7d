"""What must always hold in a store (SPEC §2), as plain functions for `capcli check`.

The rules in ``rules.py`` refuse a change that would break these; here they are checked
on what is stored, so that a store edited by hand, imported, or restored from an old
backup can be verified. Each function returns one line per problem (empty when fine).
"""

from __future__ import annotations

from capcli.domain import codes
from capcli.domain.dates import shown
from capcli.domain.model import Case, Contact
from capcli.domain.rules import contact_window_end
from capcli.i18n import _

# the kinds whose contacts are bounded (their number, their window): their contacts are read for `check`
CONTACT_RULE_KINDS = tuple(
    k.code for k in codes.KINDS.values() if k.contacts and (k.contacts.most is not None or k.contacts.window_months)
)


def _ref(case: Case) -> str:
    return _("case {id} ({kind})").format(id=case.id, kind=case.kind)


def case_problems(case: Case, contacts: list[Contact] = ()) -> list[str]:
    """A case's codes, its open/closed state and its contacts (rules 1, 5 and 7)."""
    kind = codes.KINDS.get(case.kind)
    if kind is None:
        return [_("case {id} has an unknown kind '{kind}'").format(id=case.id, kind=case.kind)]
    problems = []
    if case.phase not in kind.phases:
        problems.append(_("{case} is at phase '{phase}', not a phase of its kind").format(
            case=_ref(case), phase=case.phase))
    if case.is_open and case.outcome:
        problems.append(_("{case} is open but has an outcome ({outcome})").format(
            case=_ref(case), outcome=case.outcome))
    if case.cancelled_on is not None:  # opened by mistake: closed that day, with no outcome
        if case.outcome or case.closed_on != case.cancelled_on:
            problems.append(_("{case} is cancelled but has an outcome or another closing date").format(
                case=_ref(case)))
    elif not case.is_open and not case.outcome:
        problems.append(_("{case} is closed without an outcome").format(case=_ref(case)))
    if case.outcome and case.outcome not in kind.outcomes:
        problems.append(_("{case} has outcome '{outcome}', not an outcome of its kind").format(
            case=_ref(case), outcome=case.outcome))
    for contact in contacts:
        if contact.done_on is not None and contact.done_on < case.opened_on:
            problems.append(_("{case}: contact {number} was done on {on}, before the case opened ({opened})").format(
                case=_ref(case), number=contact.number, on=shown(contact.done_on),
                opened=shown(case.opened_on)))
    policy = kind.contacts
    if policy is not None and policy.most is not None and len(contacts) > policy.most:
        if policy.renewal_months is not None:
            problems.append(_("{case} has {n} contacts: a {kind} is renewed once ({most} contacts)").format(
                case=_ref(case), n=len(contacts), kind=case.kind, most=policy.most))
        else:
            problems.append(_("{case} has {n} contacts: a {kind} has {most} at most").format(
                case=_ref(case), n=len(contacts), kind=case.kind, most=policy.most))
    end = contact_window_end(case)
    for contact in contacts if end is not None else ():
        if contact.due_on > end or contact.due_on < case.opened_on:
            problems.append(_("{case}: contact {id} is due {on}, outside its window ({start} to {end})").format(
                case=_ref(case), id=contact.id, on=shown(contact.due_on),
                start=shown(case.opened_on), end=shown(end)))
    return problems


def need_problems(need_id: int, case_id: int, category: str, status: str) -> list[str]:
    """A compensation need's codes."""
    problems = []
    if status not in codes.NEED_STATUSES:
        problems.append(_("need {id} of case {case} has an unknown status '{status}'").format(
            id=need_id, case=case_id, status=status))
    if category not in codes.NEED_CATEGORIES:
        problems.append(_("need {id} of case {case} has an unknown category '{category}'").format(
            id=need_id, case=case_id, category=category))
    return problems
