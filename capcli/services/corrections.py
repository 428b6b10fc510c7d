"""Corrections (SPEC §4: everything that is not a recorded fact can be corrected): `person edit`,
`employer edit`, `case edit`, `reassign` and `cancel`.

Each runs in one transaction and journals the names of the fields it changed, never their values:
persons and employers in the audit table, cases by an event on the case. A correction that changes
nothing writes nothing. The checks are those of the commands that create the records: the record
as it would be (stored values, the given ones on top) goes through them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from capcli.domain import codes, rules, validate
from capcli.domain.dates import shown
from capcli.domain.model import PERSON_FIELDS, Case
from capcli.env import Env
from capcli.errors import RuleError
from capcli.i18n import N_, _
from capcli.store import audit, queries, team
from capcli.store.engine import Store
from capcli.services import advisers

Changes = dict  # {field: (old, new)}, in the order of the record's fields


def _changes(before: dict, after: dict) -> Changes:
    def plain(value):
        return value.isoformat() if isinstance(value, date) else value

    return {key: (plain(before[key]), plain(value)) for key, value in after.items()
            if plain(before[key]) != plain(value)}


# --- persons and employers ----------------------------------------------------------


def edit_person(store: Store, env: Env, person_id: int, given: dict, duplicate_ok: bool = False) -> Changes:
    """Correct a person: ``given`` holds the fields named on the command line (PERSON_FIELDS and
    ``external_id``; '' clears an optional field). ``rqth_until`` and ``rqth_definitive`` are one
    fact, the RQTH's validity: giving one replaces the other."""
    from capcli.services.persons import check_unique, person_values

    with store.transaction():
        person = queries.get_person(store, person_id)
        if person["anonymised_on"]:
            raise RuleError(_("person {id} was anonymised on {on}: an anonymised record is not edited").format(
                id=person_id, on=shown(queries.as_date(person["anonymised_on"]))))
        merged = {key: person[key] for key in (*PERSON_FIELDS, "external_id")}
        if "rqth_until" in given and "rqth_definitive" not in given:
            merged["rqth_definitive"] = False
        if "rqth_definitive" in given and "rqth_until" not in given:
            merged["rqth_until"] = None
        if (given.get("rqth_until") or given.get("rqth_definitive")) and "boeth" not in given:
            merged["boeth"] = None  # an RQTH recorded is the BOETH title rqth (en-cours that became rqth)
        merged.update(given)
        values = person_values(**merged, today=env.today)
        changes = _changes(person, values)
        if not changes:
            return changes
        identity_changed = any(key in changes for key in ("last_name", "first_name", "birth_date"))
        check_unique(store, values, person_id, duplicate_ok=duplicate_ok or not identity_changed)
        queries.update(store, "person", person_id, {key: values[key] for key in changes})
        audit.record(store, author=env.adviser, action="person-edited", subject="person", subject_id=person_id,
                     detail=" ".join(changes))
        return changes


def edit_employer(store: Store, env: Env, ref: str, *, name: str | None = None, sector: str | None = None
                  ) -> tuple[int, Changes]:
    """Correct an employer's name or sector (named by id or SIRET)."""
    from capcli.services.persons import employer_values

    with store.transaction():
        employer = queries.get_employer(store, ref)
        values = employer_values(siret=employer["siret"], name=employer["name"] if name is None else name,
                                 sector=employer["sector"] if sector is None else sector)
        del values["siret"]
        changes = _changes(employer, values)
        if changes:
            queries.update(store, "employer", employer["id"], {key: values[key] for key in changes})
            audit.record(store, author=env.adviser, action="employer-edited", subject="employer",
                         subject_id=employer["id"], detail=" ".join(changes))
        return employer["id"], changes


# --- cases --------------------------------------------------------------------------


def edit_case(
    store: Store,
    env: Env,
    case_id: int,
    *,
    adviser: str | None = None,
    employer: str | None = None,
    requested_by: str | None = None,
    partner: str | None = None,
    consent: bool = False,
) -> Changes:
    """Correct who holds a case, its employer, who asked for it (the opening's rule 2 again) and
    the consent. A closed case keeps its adviser (its history); a cancelled one is left as it is."""
    with store.transaction():
        case = queries.get_case(store, case_id)
        rules.check_not_cancelled(case)
        before = {"adviser": case.adviser, "employer_id": case.employer_id, "requested_by": case.requested_by,
                  "partner": case.partner, "consent": case.consent}
        after = dict(before)
        if adviser is not None:
            after["adviser"] = validate.required_text(validate.text(adviser, N_("adviser")), N_("adviser"))
            advisers.require_known(store, env, after["adviser"])
        if employer is not None:
            after["employer_id"] = queries.get_employer(store, employer)["id"] if employer.strip() else None
        if requested_by is not None:
            after["requested_by"] = codes.choice(requested_by, codes.REQUESTERS, _("requester"))
        if partner is not None:
            after["partner"] = validate.text(partner.strip(), N_("partner")) or None
        if consent:
            after["consent"] = True
        changes = _changes(before, after)
        if not changes:
            return changes
        if "adviser" in changes and not case.is_open:
            raise RuleError(_("{case} is closed: it keeps its adviser in the history (only its employer, "
                              "requester, partner and consent are corrected)").format(case=rules.case_ref(case)))
        if {"requested_by", "partner", "consent"} & changes.keys():
            rules.check_request(case.kind, after["requested_by"], after["partner"], after["consent"])
        queries.update(store, "accompaniment", case_id, {key: after[key] for key in changes})
        queries.add_event(store, case_id, on=env.today, author=env.adviser, action="edited",
                          detail=" ".join(changes))
        return changes


@dataclass
class Reassigned:
    source: str
    target: str
    cases: list[dict] = field(default_factory=list)  # id, kind, person's name, pending contacts

    @property
    def contacts(self) -> int:
        return sum(c["pending"] for c in self.cases)


def reassign(store: Store, env: Env, *, source: str, target: str, kind: str | None = None,
             case_ids: list[int] | None = None, dry_run: bool = False) -> Reassigned:
    """Move the open cases of ``source`` (of ``kind``, or only ``case_ids``) to ``target``; each
    case journals it. Closed cases keep their adviser."""
    source = validate.required_text(validate.text(source, "--from"), "--from")
    target = validate.required_text(validate.text(target, "--to"), "--to")
    if source == target:
        raise RuleError(_("--from and --to name the same adviser ({name}): nothing to move").format(name=source))
    kind = codes.kind(kind).code if kind else None
    team.require_manager(store, "reassign")
    advisers.require_known(store, env, target)

    def select() -> Reassigned:
        cases = queries.open_cases_of_adviser(store, source, kind)
        if case_ids:
            by_id = {c["id"]: c for c in cases}
            for case_id in case_ids:
                if case_id not in by_id:
                    raise RuleError(_not_movable(queries.get_case(store, case_id), source, kind))
            cases = [by_id[case_id] for case_id in dict.fromkeys(case_ids)]
        return Reassigned(source, target, cases)

    if dry_run:
        return select()
    with store.transaction():
        moved = select()
        for case in moved.cases:
            queries.update(store, "accompaniment", case["id"], {"adviser": target})
            queries.add_event(store, case["id"], on=env.today, author=env.adviser, action="reassigned",
                              detail=f"{source} -> {target}")
        return moved


def _not_movable(case: Case, source: str, kind: str | None) -> str:
    if not case.is_open:
        return _("{case} is not open: closed history keeps its adviser").format(case=rules.case_ref(case))
    if case.adviser != source:
        return _("{case} is {adviser}'s, not {source}'s").format(case=rules.case_ref(case), adviser=case.adviser,
                                                                  source=source)
    return _("{case} is not a {kind}").format(case=rules.case_ref(case), kind=kind)


def check_cancellable(store: Store, case_id: int) -> Case:
    """The case, if `cancel` may take it out (nothing recorded since its opening)."""
    case = queries.get_case(store, case_id)
    rules.check_cancel(case, queries.recorded_since_opening(store, case))
    return case


def cancel_case(store: Store, env: Env, case_id: int, reason: str) -> Case:
    """Take a case opened by mistake out of the caseload: closed today with no outcome, its reason
    recorded; it stays in the journal and in `show`."""
    reason = validate.required_text(validate.text(reason, "--reason"), "--reason")
    with store.transaction():
        case = check_cancellable(store, case_id)
        queries.update(store, "accompaniment", case_id,
                       {"closed_on": env.today, "cancelled_on": env.today, "cancel_reason": reason})
        queries.add_event(store, case_id, on=env.today, author=env.adviser, action="cancelled", note=reason)
        case.closed_on = case.cancelled_on = env.today
        case.cancel_reason = reason
        return case
