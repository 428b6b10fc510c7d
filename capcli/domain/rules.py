"""The rules of SPEC §2. Each rule lives here once; the services apply them to the store.

Every function either returns what the change should be or raises ``RuleError`` with a
message that says what went wrong and what to do instead.
"""

from __future__ import annotations

from datetime import date

from capcli.domain import codes
from capcli.domain.dates import add_months, shown
from capcli.domain.model import Case, Contact, FollowOn
from capcli.errors import RuleError
from capcli.i18n import N_, _

# What differs from one kind to another (what it follows, its contacts, its follow-on cases...) is
# its policy, read from codes.KINDS: no rule below names a kind.


def _ref(case: Case) -> str:
    return _("case {id} ({kind})").format(id=case.id, kind=case.kind)


def case_ref(case: Case) -> str:
    """How messages name a case: ``case 4 (maintien)`` (``_ref``, for the services' messages)."""
    return _ref(case)


# --- opening -----------------------------------------------------------------------


def check_open(
    kind: str,
    *,
    person_id: int,
    requested_by: str,
    partner: str | None,
    consent: bool,
    follows: Case | None,
    person_open_cases: list[Case],
    on: date,
    by_rule: bool = False,
    anonymised_on: date | None = None,
) -> None:
    """Refuse an opening that breaks rules 1, 2, 3 or 7 (kind and codes already valid).

    ``by_rule``: the case is a follow-on that a closing opens (rules 4 and 7). The spec opens it
    unconditionally, so it is not refused because the person already has an open case of that
    kind (capcli's own limit for openings by hand): see ``same_kind_open``.
    ``anonymised_on``: the person's record was anonymised (retention): no new case on it."""
    if anonymised_on is not None:
        raise RuleError(
            _("person {id} was anonymised on {on}: record the person again with 'capcli person add'").format(
                id=person_id, on=shown(anonymised_on))
        )
    check_request(kind, requested_by, partner, consent)
    if follows is not None and follows.cancelled_on is not None:
        raise RuleError(_("{case} was cancelled (opened by mistake): a case cannot follow it").format(
            case=_ref(follows)))
    policy = codes.KINDS[kind]
    if policy.follows and (follows is None or follows.kind not in policy.follows):
        raise RuleError(_(policy.follows_hint))
    if follows is not None:
        if follows.person_id != person_id:
            raise RuleError(
                _("{case} is about person {other}, not person {person}").format(
                    case=_ref(follows), other=follows.person_id, person=person_id
                )
            )
        if follows.is_open and follows.kind not in policy.follows_open:
            raise RuleError(
                _("{case} is still open: close it first (only a maintien-en-emploi may follow "
                  "an open maintien, and a maintien an open veille or suivi-conventionnel)").format(case=_ref(follows))
            )
        if on < follows.opened_on:
            raise RuleError(
                _("the new case cannot open on {on}, before {case} opened ({opened})").format(
                    on=shown(on), case=_ref(follows), opened=shown(follows.opened_on)
                )
            )
    for other in ([] if by_rule else person_open_cases):
        if other.kind == kind:
            raise RuleError(
                _("person {person} already has an open {kind} case ({id}): advance or close it "
                  "instead").format(person=person_id, kind=kind, id=other.id)
            )


def check_request(kind: str, requested_by: str, partner: str | None, consent: bool) -> None:
    """Who asked for a case (rule 2): a partner is named; an evolution-pro asked by the employer
    needs the person's consent. Checked by `open` and by `case edit`."""
    if requested_by == "partenaire" and not (partner or "").strip():
        raise RuleError(_("a case requested by a partner needs the partner's name: add --partner NAME"))
    if requested_by == "employeur" and not consent and codes.KINDS[kind].employer_needs_consent:
        raise RuleError(
            _("an {kind} requested by the employer needs the person's consent: "
              "record it, then add --consent").format(kind=kind)
        )


def same_kind_open(kind: str, person_open_cases: list[Case]) -> list[int]:
    """The person's other open cases of ``kind``: a rule may open a suivi-conventionnel or a veille
    while an older one is still open (the one whose risk led to a new maintien, rule 8); the
    adviser is told to close it when it is over."""
    return [c.id for c in person_open_cases if c.kind == kind]


def scheduled_contacts(kind: str, opened_on: date) -> list[date]:
    """The follow-up contacts a case of ``kind`` starts with (rules 4 and 7)."""
    policy = codes.KINDS[kind].contacts
    return [add_months(opened_on, m) for m in policy.after_opening] if policy else []


# --- advancing ---------------------------------------------------------------------


def next_phase(case: Case, to: str | None = None) -> str:
    """The phase ``advance`` moves to: the next one, or a named later one (rule 1)."""
    kind = codes.KINDS[case.kind]
    check_not_cancelled(case)
    if not case.is_open:
        raise RuleError(
            _("{case} is closed ({outcome}, {on}): open a new case with --follows {id} to take it "
              "up again").format(case=_ref(case), outcome=case.outcome, on=shown(case.closed_on), id=case.id)
        )
    here = kind.phases.index(case.phase)
    if to is None:
        if here + 1 >= len(kind.phases):
            raise RuleError(
                _("{case} is at its last phase ({phase}): close it with --outcome ({outcomes})").format(
                    case=_ref(case), phase=case.phase, outcomes=", ".join(kind.outcomes)
                )
            )
        return kind.phases[here + 1]
    target = codes.choice(to, kind.phases, _("phase of {kind}").format(kind=case.kind))
    there = kind.phases.index(target)
    if there <= here:
        raise RuleError(
            _("{case} is at {phase}: a case only moves forward (later phases: {later})").format(
                case=_ref(case), phase=case.phase, later=", ".join(kind.phases[here + 1:]) or "-"
            )
        )
    return target


def check_not_future(on: date, today: date) -> None:
    """What is recorded has happened: its date is not after today."""
    if on > today:
        raise RuleError(_("{on} is in the future: record what has happened").format(on=shown(on)))


def signalement(by: str | None, on: date | None, opened_on: date, today: date) -> tuple[str | None, date | None]:
    """Where a case comes from: a code of ``codes.SIGNALEMENT_SOURCES`` and the day it was signalled,
    neither after the opening nor in the future (both optional: not known)."""
    if by is not None:
        by = codes.choice(by, codes.SIGNALEMENT_SOURCES, _("signalement source"))
    if on is not None:
        check_not_future(on, today)
        if on > opened_on:
            raise RuleError(_("the signalement on {on} is after the opening ({opened}): a case is signalled, "
                              "then opened").format(on=shown(on), opened=shown(opened_on)))
    return by, on


def check_event_date(case: Case, on: date, today: date) -> None:
    """A recorded fact happens between the case's opening and today."""
    check_not_future(on, today)
    if on < case.opened_on:
        raise RuleError(
            _("{on} is before {case} opened ({opened})").format(
                on=shown(on), case=_ref(case), opened=shown(case.opened_on)
            )
        )


def check_phase_date(case: Case, on: date, last_phase_change: date | None) -> None:
    """Phases move forward in time too: a phase change or a closing is not dated before the
    case's last phase change (the history would read backwards)."""
    if last_phase_change is not None and on < last_phase_change:
        raise RuleError(
            _("{on} is before the last phase change of {case} ({last}): date it on or after that day").format(
                on=shown(on), case=_ref(case), last=shown(last_phase_change))
        )


# --- closing -----------------------------------------------------------------------


def check_past_diagnostic(case: Case) -> None:
    """The diagnostic and the compensation needs come from the diagnostic phase on (SPEC §1): a
    case whose kind has a 'diagnostic' phase must have reached it (a maintien at 'signalement'
    has not). Kinds without that phase (suivi, veille, emploi accompagné) are not held back."""
    phases = codes.KINDS[case.kind].phases
    if "diagnostic" in phases and phases.index(case.phase) < phases.index("diagnostic"):
        raise RuleError(
            _("{case} is at phase {phase}: the diagnostic and the needs come from the diagnostic phase on "
              "(capcli advance {id})").format(case=_ref(case), phase=case.phase, id=case.id)
        )


def check_closable(case: Case) -> None:
    """A case is closed once (rule 1)."""
    check_not_cancelled(case)
    if not case.is_open:
        raise RuleError(
            _("{case} is already closed ({outcome}, {on}): a case is closed once").format(
                case=_ref(case), outcome=case.outcome, on=shown(case.closed_on)
            )
        )


def check_not_cancelled(case: Case) -> None:
    """A cancelled case (opened by mistake) is out of the caseload: nothing more is recorded on it."""
    if case.cancelled_on is not None:
        raise RuleError(_("{case} was cancelled on {on} (opened by mistake): nothing more is recorded on it").format(
            case=_ref(case), on=shown(case.cancelled_on)))


# What `cancel` looks for: anything recorded after the opening, named in its refusal.
RECORDED = {
    "closed": N_("it was closed"),
    "advanced": N_("its phase was advanced"),
    "contact-done": N_("a contact was done"),
    "diagnostic": N_("a diagnostic was recorded"),
    "need": N_("a need was recorded"),
    "measure": N_("a measure was recorded"),
    "follow-on": N_("a case follows it"),
}


def check_cancel(case: Case, recorded: list[str]) -> None:
    """A case opened by mistake may be cancelled while nothing was recorded on it after its
    opening (``recorded``: keys of ``RECORDED`` found in the store): else it is real history."""
    check_not_cancelled(case)
    found = [key for key in RECORDED if key in recorded]
    if found:
        raise RuleError(
            _("{case} cannot be cancelled: {what} (only a case opened by mistake, with nothing recorded "
              "since, is cancelled)").format(case=_ref(case), what=", ".join(_(RECORDED[key]) for key in found)))


def check_close(case: Case, outcome: str, *, at_risk: bool, force: bool, contacts: list[Contact]) -> str:
    """Validate a closing and return the outcome code (rules 1 and 7)."""
    kind = codes.KINDS[case.kind]
    check_closable(case)
    outcome = codes.choice(outcome, kind.outcomes, _("outcome of {kind}").format(kind=case.kind))
    if at_risk and not kind.closes_at_risk:
        raise RuleError(
            _("--a-risque applies to a maintien-en-emploi only (a suivi-conventionnel closes with "
              "--outcome a-risque)")
        )
    if not force and kind.contacts is not None:
        done, least = sum(1 for c in contacts if c.is_done), kind.contacts.min_done
        if least is not None and done < least:
            raise RuleError(
                _("{case} has {done} of the {min} {kind} contacts done: do them, or close with "
                  "--force").format(case=_ref(case), done=done, min=least, kind=case.kind)
            )
        if least is None and done < len(contacts):
            raise RuleError(
                _("{case} has a follow-up contact not done yet: record it with 'contact done', or "
                  "close with --force").format(case=_ref(case))
            )
    return outcome


EMPLOYMENT_OUTCOMES = ("emploi-durable", "emploi-transition")  # closed in a job: the contract says which


def check_employment(outcome: str, contract: str | None, months: int | None, threshold: int) -> str | None:
    """The contract of an acces-emploi closed in employment, checked against its outcome.

    ``emploi-durable`` is a CDI, or a CDD/interim of ``threshold`` months or more (the setting
    ``emploi_durable_months``); ``emploi-transition`` is a shorter CDD/interim. Returns the
    contract as the journal records it (``cdd 8``), or None when none was given.
    """
    if contract is None:
        if months is not None:
            raise RuleError(_("--months goes with --contract cdd or interim"))
        return None
    contract = codes.choice(contract, codes.CONTRACTS, _("contract"))
    if outcome not in EMPLOYMENT_OUTCOMES:
        raise RuleError(
            _("--contract describes a job: it goes with --outcome emploi-durable or emploi-transition")
        )
    if contract == "cdi":
        if months is not None:
            raise RuleError(_("a CDI has no length: leave --months out"))
        if outcome == "emploi-transition":
            raise RuleError(_("a CDI is lasting employment: close with --outcome emploi-durable"))
        return contract
    if months is None:
        raise RuleError(_("a {contract} needs its length in months: add --months N").format(contract=contract))
    if months <= 0:
        raise RuleError(_("a {contract} lasts at least one month, not {months}: give its length with --months N")
                        .format(contract=contract, months=months))
    lasting = months >= threshold
    if outcome == "emploi-durable" and not lasting:
        raise RuleError(
            _("a {contract} of {months} months is not lasting employment (less than {threshold} months): "
              "close with --outcome emploi-transition").format(contract=contract, months=months, threshold=threshold)
        )
    if outcome == "emploi-transition" and lasting:
        raise RuleError(
            _("a {contract} of {months} months is lasting employment ({threshold} months or more): "
              "close with --outcome emploi-durable").format(contract=contract, months=months, threshold=threshold)
        )
    return f"{contract} {months}"


def employer_asked(kind: str) -> bool:
    """A case about the person's job (a maintien): `open` asks its employer on a terminal."""
    return codes.KINDS[kind].about_a_job


def closes_in_a_job(kind: str, outcome: str) -> bool:
    """A case closed in a job (an acces-emploi's emploi-durable or emploi-transition): its contract
    (``check_employment``) is asked on a terminal."""
    return outcome in EMPLOYMENT_OUTCOMES and outcome in codes.KINDS[kind].outcomes


def follow_ons(case: Case, outcome: str, *, at_risk: bool, on: date, person_open_cases: list[Case]) -> list[FollowOn]:
    """The cases that closing ``case`` with ``outcome`` opens (rules 4, 6, 7): the first of its
    kind's ``opens`` that applies."""
    for opens in codes.KINDS[case.kind].opens:
        if outcome in opens.outcomes or (opens.at_risk and at_risk):
            if opens.unless_open and any(c.kind == opens.kind and c.id != case.id for c in person_open_cases):
                return []
            return [FollowOn(opens.kind, on, opens.reason, scheduled_contacts(opens.kind, on))]
    return []


# --- follow-up contacts ------------------------------------------------------------


def contact_window_end(case: Case) -> date | None:
    """The last day a contact of ``case`` may be due, when its kind bounds them (a veille: rule 7)."""
    policy = codes.KINDS[case.kind].contacts
    if policy is None or policy.window_months is None:
        return None
    return add_months(case.opened_on, policy.window_months)


def check_contact_date(case: Case, due_on: date) -> None:
    """A contact falls after its case opened; a veille contact inside its 18-month window (rule 7)."""
    if due_on < case.opened_on:
        raise RuleError(
            _("{on} is before {case} opened ({opened}): a follow-up contact comes after the opening").format(
                on=shown(due_on), case=_ref(case), opened=shown(case.opened_on)
            )
        )
    end = contact_window_end(case)
    if end is not None and due_on > end:
        raise RuleError(
            _("{on} is outside the {kind} window of {case} ({start} to {end}): all its contacts "
              "fall within {months} months of its opening").format(
                on=shown(due_on), kind=case.kind, case=_ref(case), start=shown(case.opened_on), end=shown(end),
                months=codes.KINDS[case.kind].contacts.window_months,
            )
        )


def check_add_contact(case: Case, contacts: list[Contact], due_on: date) -> None:
    """Adding a contact to a case (rule 7: a 4th veille contact at most)."""
    if not case.is_open:
        raise RuleError(_("{case} is closed: no contact can be added").format(case=_ref(case)))
    policy = codes.KINDS[case.kind].contacts
    if policy is not None and not policy.added:
        raise RuleError(_("a {kind} gets its second contact with 'renew', once").format(kind=case.kind))
    if policy is not None and policy.most is not None and len(contacts) >= policy.most:
        raise RuleError(
            _("{case} already has {n} contacts: a {kind} has {most} at most").format(
                case=_ref(case), n=len(contacts), kind=case.kind, most=policy.most)
        )
    check_contact_date(case, due_on)


def _contact_ref(contact: Contact, case: Case) -> str:
    return _("contact {id} of {case}").format(id=contact.id, case=_ref(case))


def suivi_next_step(case: Case, of: int) -> str | None:
    """What follows a done contact of a kind renewed once, not by `contact add` (a
    suivi-conventionnel, rule 5) of ``of`` contacts: 'renew' while its renewal is still to come,
    then 'close'; None for a kind whose contacts `contact add` plans."""
    policy = codes.KINDS[case.kind].contacts
    if policy is None or policy.added or policy.renewal_months is None:
        return None
    return "close" if policy.most is not None and of >= policy.most else "renew"


def check_contact_done(case: Case, contact: Contact, on: date, today: date, of: int = 1) -> None:
    """Recording a contact: once, on an open case, between its opening and today. ``of``: how many
    contacts the case has (the refusal's hint names a command that would work)."""
    if contact.is_done:
        where = {"contact": _contact_ref(contact, case), "on": shown(contact.done_on), "case": case.id}
        step = suivi_next_step(case, of) if case.is_open else "closed"
        if step == "renew":
            hint = _("{contact} was done already on {on}: a contact is done once (a suivi-conventionnel gets "
                     "its one more contact with 'capcli renew {case}')")
        elif step is not None:
            hint = _("{contact} was done already on {on}: a contact is done once")
        else:
            hint = _("{contact} was done already on {on}: a contact is done once (add another with "
                     "'contact add')")
        raise RuleError(hint.format(**where))
    if not case.is_open:
        raise RuleError(
            _("{case} is closed: its contacts can no longer be recorded").format(case=_ref(case))
        )
    check_event_date(case, on, today)


def check_move_contact(case: Case, contact: Contact, due_on: date) -> None:
    """Moving a contact that is still to do, inside the case's window (rule 7)."""
    if contact.is_done:
        raise RuleError(
            _("{contact} was done on {on}: a done contact is not moved").format(
                contact=_contact_ref(contact, case), on=shown(contact.done_on)
            )
        )
    if not case.is_open:
        raise RuleError(_("{case} is closed: its contacts cannot be moved").format(case=_ref(case)))
    check_contact_date(case, due_on)


def renewal_due(case: Case, contacts: list[Contact]) -> date:
    """The one renewal of a suivi-conventionnel: 3 months after its contact is done (rule 5)."""
    policy = codes.KINDS[case.kind].contacts
    if policy is None or policy.renewal_months is None:
        renewed = [k.code for k in codes.KINDS.values() if k.contacts and k.contacts.renewal_months]
        raise RuleError(_("only a {kinds} is renewed ({case} is not)").format(
            kinds=" or a ".join(renewed), case=_ref(case)))
    if not case.is_open:
        raise RuleError(_("{case} is closed: it cannot be renewed").format(case=_ref(case)))
    if len(contacts) >= policy.most:
        raise RuleError(_("{case} was renewed already: a {kind} is renewed once").format(
            case=_ref(case), kind=case.kind))
    last = max(contacts, key=lambda c: c.number, default=None)
    if last is None or not last.is_done:
        raise RuleError(
            _("{case}: record its contact first ('contact done'); the renewal is due {months} months after "
              "it").format(case=_ref(case), months=policy.renewal_months)
        )
    return add_months(last.done_on, policy.renewal_months)


def signals_reopening(case: Case, at_risk: bool) -> bool:
    """A contact done at risk during a veille or a suivi calls for a new maintien (rule 8)."""
    return at_risk and codes.KINDS[case.kind].reopens_on_risk is not None


def reopen_reason() -> str:
    return N_("rule 8: the job is at risk again, a maintien is re-opened")


def check_reopen(case: Case, at_risk: bool) -> None:
    """``contact done --reopen`` answers the signal of rule 8, and only that."""
    if signals_reopening(case, at_risk):
        return
    if not at_risk:
        raise RuleError(_("--reopen goes with --risk: a maintien is re-opened when the job is at risk again"))
    raise RuleError(
        _("--reopen applies to a contact of a veille or a suivi-conventionnel, not of {case}").format(
            case=_ref(case))
    )
