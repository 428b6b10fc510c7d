"""Opening, advancing and closing cases: the rules of SPEC §2 applied to the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from capcli.domain import codes, rules, validate
from capcli.domain.health import CASE_SHOWN, shows_health
from capcli.domain.model import Case
from capcli.env import Env
from capcli.env import current as current_env
from capcli.i18n import N_, _
from capcli.services import access_log
from capcli.services.measures import case_measures
from capcli.store import diagnostics, queries, team
from capcli.store.engine import Store


@dataclass
class Opened:
    case_id: int
    kind: str
    contacts: list[tuple[int, date]] = field(default_factory=list)  # (contact id, due date)
    reason: str | None = None
    also_open: list[int] = field(default_factory=list)  # the person's other open cases of this kind


@dataclass
class Closed:
    case: Case
    outcome: str
    opened: list[Opened] = field(default_factory=list)


def open_in_transaction(
    store: Store,
    env: Env,
    *,
    kind: str,
    person_id: int,
    adviser: str,
    on: date,
    employer_id: int | None = None,
    requested_by: str | None = None,
    partner: str | None = None,
    consent: bool = False,
    follows_id: int | None = None,
    note: str | None = None,
    reason: str | None = None,
    by_rule: bool = False,
    signalement_by: str | None = None,
    signalement_on: date | None = None,
) -> Opened:
    """Check the opening rules, write the case, its journal entry and its scheduled contacts.

    ``by_rule``: a follow-on opened by a closing (see ``rules.check_open``)."""
    kind = codes.kind(kind).code
    validate.text(adviser, N_("adviser"))
    validate.text(partner, N_("partner"))
    validate.text(note, N_("note"), multiline=True)
    person = queries.get_person(store, person_id)
    if employer_id is not None:
        employer_id = queries.get_employer(store, employer_id)["id"]
    follows = queries.get_case(store, follows_id) if follows_id is not None else None
    if requested_by is None:  # not given: who asked for the case it follows (the path goes on), else the person
        requested_by = follows.requested_by if follows is not None else "personne"
        if follows is not None and partner is None:
            partner = follows.partner
    requested_by = codes.choice(requested_by, codes.REQUESTERS, _("requester"))
    person_open_cases = queries.open_cases_of_person(store, person_id)
    rules.check_open(
        kind,
        person_id=person_id,
        requested_by=requested_by,
        partner=partner,
        consent=consent,
        follows=follows,
        person_open_cases=person_open_cases,
        on=on,
        by_rule=by_rule,
        anonymised_on=queries.as_date(person["anonymised_on"]),
    )
    rules.check_not_future(on, env.today)
    signalement_by, signalement_on = rules.signalement(signalement_by, signalement_on, on, env.today)
    if employer_id is None and follows is not None:
        employer_id = follows.employer_id
    case_id = queries.insert(
        store,
        "accompaniment",
        {
            "person_id": person_id,
            "kind": kind,
            "adviser": adviser,
            "requested_by": requested_by,
            "partner": (partner or "").strip() or None,
            "consent": bool(consent),
            "employer_id": employer_id,
            "opened_on": on,
            "phase": codes.KINDS[kind].first_phase,
            "follows_id": follows_id,
            "signalement_by": signalement_by,
            "signalement_on": signalement_on,
        },
    )
    detail = kind if follows_id is None else f"{kind} follows {follows_id}"
    queries.add_event(store, case_id, on=on, author=env.adviser, action="opened", detail=detail, note=reason or note)
    opened = Opened(case_id, kind, reason=reason, also_open=rules.same_kind_open(kind, person_open_cases))
    for number, due_on in enumerate(rules.scheduled_contacts(kind, on), start=1):
        contact_id = queries.insert(store, "contact", {"case_id": case_id, "number": number, "due_on": due_on})
        queries.add_event(
            store, case_id, on=on, author=env.adviser, action="contact-scheduled",
            detail=f"{number} {due_on.isoformat()}",
        )
        opened.contacts.append((contact_id, due_on))
    return opened


def open_case(store: Store, env: Env, **kwargs) -> Opened:
    from capcli.services.advisers import require_known

    with store.transaction():
        require_known(store, env, kwargs["adviser"])  # a team store: a typo is not a new caseload
        return open_in_transaction(store, env, **kwargs)


def advance_case(store: Store, env: Env, case_id: int, *, to: str | None, on: date, note: str | None) -> tuple[str, str]:
    validate.text(note, N_("note"), multiline=True)
    with store.transaction():
        case = queries.get_case(store, case_id)
        target = rules.next_phase(case, to)
        rules.check_event_date(case, on, env.today)
        rules.check_phase_date(case, on, queries.last_phase_change(store, case_id))
        queries.update(store, "accompaniment", case_id, {"phase": target})
        queries.add_event(
            store, case_id, on=on, author=env.adviser, action="advanced", detail=f"{case.phase} -> {target}", note=note
        )
        return case.phase, target


def close_case(
    store: Store,
    env: Env,
    case_id: int,
    *,
    outcome: str,
    on: date,
    at_risk: bool = False,
    force: bool = False,
    note: str | None = None,
    contract: str | None = None,
    months: int | None = None,
) -> Closed:
    """Close a case and open what the rules open in the same transaction (rules 4, 6, 7)."""
    from capcli.domain.settings import Settings

    validate.text(note, N_("note"), multiline=True)
    with store.transaction():
        case = queries.get_case(store, case_id)
        contacts = queries.contacts_of_case(store, case_id)
        outcome = rules.check_close(case, outcome, at_risk=at_risk, force=force, contacts=contacts)
        threshold = Settings.from_pairs(queries.settings_pairs(store)).emploi_durable_months
        job = rules.check_employment(outcome, contract, months, threshold)
        rules.check_event_date(case, on, env.today)
        rules.check_phase_date(case, on, queries.last_phase_change(store, case_id))
        queries.update(
            store, "accompaniment", case_id, {"closed_on": on, "outcome": outcome, "at_risk": bool(at_risk)}
        )
        detail = outcome + (" a-risque" if at_risk else "") + (f" {job}" if job else "")
        if force:
            detail += " forced"
        queries.add_event(store, case_id, on=on, author=env.adviser, action="closed", detail=detail, note=note)
        case.closed_on, case.outcome = on, outcome
        result = Closed(case, outcome)
        person_open = queries.open_cases_of_person(store, case.person_id)
        for follow_on in rules.follow_ons(case, outcome, at_risk=at_risk, on=on, person_open_cases=person_open):
            result.opened.append(
                open_in_transaction(
                    store,
                    env,
                    kind=follow_on.kind,
                    person_id=case.person_id,
                    adviser=case.adviser,
                    on=on,
                    employer_id=case.employer_id,
                    requested_by=case.requested_by,
                    partner=case.partner,
                    consent=case.consent,
                    follows_id=case.id,
                    reason=follow_on.reason,
                    by_rule=True,
                )
            )
        return result


def case_detail(store: Store, case_id: int, today: date | None = None) -> dict:
    """Everything `show` presents about one case (its measures' states as of ``today``, by default the
    invocation's today)."""

    case = queries.get_case(store, case_id)
    person = queries.get_person(store, case.person_id)
    employer = queries.get_employer(store, case.employer_id) if case.employer_id else None
    contacts = queries.contacts_of_case(store, case_id)
    return {
        "case": case,
        "person": person,
        "person_name": queries.person_name(person),
        "employer": employer,
        "contacts": contacts,
        "needs": queries.needs_of_case(store, case_id),
        "measures": case_measures(store, case_id, today or current_env().today),
        "diagnostic": queries.latest_diagnostic(store, case_id),
        "diagnostic_revisions": diagnostics.revision_count(store, case_id),
        "diagnostic_hidden": team.hidden_revisions(store, case_id),  # a team store's: not yours to read
        "events": queries.events_of_case(store, case_id),
        "followers": queries.followers(store, case_id),
    }


def show_case(store: Store, env: Env, case_id: int) -> dict:
    """`show`: the case's detail; a diagnostic's health data is a look, logged before it is shown."""
    detail = case_detail(store, case_id)
    if shows_health(detail["diagnostic"]):
        access_log.looked(store, env, CASE_SHOWN, person_id=detail["case"].person_id, case_id=case_id)
    return detail


# --- reads for the case commands (`open`'s questions, `close`, `list`) ------------------


def get_case(store: Store, case_id: int) -> Case:
    """One case (an unknown id is refused: `close` and `case edit` check it before any question)."""
    return queries.get_case(store, case_id)


def closable_case(store: Store, case_id: int) -> Case:
    """The case, if it may still be closed (before `close` asks its outcome)."""
    case = queries.get_case(store, case_id)
    rules.check_closable(case)
    return case


def check_references(store: Store, *, person_id: int | None = None, employer: str | None = None,
                     follows_id: int | None = None) -> None:
    """The person, employer and case named on `open`'s command line exist (checked before any
    question: an unknown id is refused first)."""
    if person_id is not None:
        queries.get_person(store, person_id)
    if employer is not None:
        queries.get_employer(store, employer)
    if follows_id is not None:
        queries.get_case(store, follows_id)


def persons_to_pick(store: Store, search: str | None = None, limit: int | None = None) -> list[dict]:
    """The people a new case may be opened for (not anonymised), by name: ``{id, name}``."""
    return [{"id": p["id"], "name": queries.person_name(p)}
            for p in queries.list_persons(store, search=search, limit=limit, active_only=True)]


def employers_to_pick(store: Store) -> list[dict]:
    """Every employer, by name (the employer of a `maintien`)."""
    return queries.list_employers(store)


class CaseListing:
    """The cases of `list`, read from the store as they are printed (a listing of a million
    cases is never held in memory): iterate for the rows (the case's columns, ``person_name``
    and ``employer``, a dict or None); a text screen reads the narrower ``lines()``
    (``queries.case_lines``)."""

    def __init__(self, store: Store, **filters) -> None:
        self.store, self.filters = store, filters

    def __iter__(self):
        for row in queries.iter_cases(self.store, **self.filters):
            row["person_name"] = queries.person_name(row)
            row["employer"] = None if row["employer_id"] is None else {
                "id": row["employer_id"], "name": row["employer_name"], "siret": row["employer_siret"],
                "sector": row["employer_sector"], "created_on": row["employer_created_on"]}
            yield row

    def lines(self, at_once: bool = False):
        return queries.case_lines(self.store, at_once=at_once, **self.filters)


def list_cases(store: Store, *, adviser: str | None = None, kind: str | None = None, status: str | None = None,
               person_id: int | None = None) -> CaseListing:
    """Cases for `list`, read while the store is open (see ``CaseListing``)."""
    return CaseListing(store, adviser=adviser, kind=kind, status=status, person_id=person_id)
