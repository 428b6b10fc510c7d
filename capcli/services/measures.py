"""Time-limited measures on a case (`measure add|renew|end|list`), journaled on the case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from capcli.domain import measures, rules, validate
from capcli.domain.dates import shown
from capcli.env import Env
from capcli.errors import RuleError
from capcli.i18n import N_, _
from capcli.store import queries
from capcli.store import measures as measure_store
from capcli.store.engine import Store


@dataclass
class Recorded:
    """What a command recorded, and what it warns about (printed on stderr)."""

    measure: dict
    warnings: list[str] = field(default_factory=list)


def with_state(measure: dict, today: date) -> dict:
    """The measure with its ``state`` today (``measures.STATES``)."""
    return {**measure, "state": measures.state(measures.MEASURES[measure["kind"]], measure, today)}


def _open_case(store: Store, case_id: int):
    case = queries.get_case(store, case_id)
    rules.check_not_cancelled(case)
    if not case.is_open:
        raise RuleError(_("{case} is closed: a measure goes on an open case (the one that follows it)").format(
            case=rules.case_ref(case)))
    return case


def add_measure(store: Store, env: Env, case_id: int, *, kind: str, start: date | None, to: date | None = None,
                off_since: date | None = None, return_on: date | None = None, host: str | None = None,
                note: str | None = None) -> Recorded:
    """Add a measure to an open case, within its limit (refused with the rule)."""
    m = measures.kind(kind)
    host = (validate.text(host, N_("host")) or "").strip() or None
    note = (validate.text(note, N_("note"), multiline=True) or "").strip() or None
    end = measures.check_new(m, start=start, to=to, off_since=off_since, return_on=return_on)
    with store.transaction():
        case = _open_case(store, case_id)
        if start is not None and start < case.opened_on:
            raise RuleError(_("{on} is before {case} opened ({opened})").format(
                on=shown(start), case=rules.case_ref(case), opened=shown(case.opened_on)))
        values = {"case_id": case_id, "kind": m.code, "starts_on": start, "ends_on": end, "renewals": 0,
                  "host": host, "off_since": off_since, "return_on": return_on, "note": note,
                  "created_on": env.today}
        measure_id = queries.insert(store, "measure", values)
        detail = " ".join([str(measure_id), m.code] + ([start.isoformat()] if start else [])
                          + ([f"-> {end.isoformat()}"] if end else []))
        # journaled on its first day when that is past (a measure entered late), else today
        queries.add_event(store, case_id, on=min(start, env.today) if start else env.today, author=env.adviser, action="measure-added", detail=detail,
                          note=note)
        return Recorded(with_state(measure_store.get_measure(store, measure_id), env.today))


def renew_measure(store: Store, env: Env, measure_id: int, *, to: date | None) -> Recorded:
    """Renew a period measure (a later end), within its limit: a third essai encadré is refused."""
    with store.transaction():
        measure = measure_store.get_measure(store, measure_id)
        _open_case(store, measure["case_id"])
        m = measures.MEASURES[measure["kind"]]
        end = measures.renewed_end(m, measure, to)
        queries.update(store, "measure", measure_id, {"ends_on": end, "renewals": measure["renewals"] + 1})
        queries.add_event(store, measure["case_id"], on=env.today, author=env.adviser, action="measure-renewed",
                          detail=f"{measure_id} {m.code} {measure['ends_on'].isoformat()} -> {end.isoformat()}")
        return Recorded(with_state(measure_store.get_measure(store, measure_id), env.today))


def end_measure(store: Store, env: Env, measure_id: int, *, on: date | None) -> Recorded:
    """Record the end of a measure (a visit: the day it was held); a visit held outside its window is
    recorded, with a warning."""
    with store.transaction():
        measure = measure_store.get_measure(store, measure_id)
        case = queries.get_case(store, measure["case_id"])
        rules.check_not_cancelled(case)
        m = measures.MEASURES[measure["kind"]]
        day = measures.end_day(m, measure, on, env.today)
        rules.check_event_date(case, day, env.today)
        warnings = []
        if m.visit:
            problem = measures.visit_problem(m, day, measure["off_since"], measure["return_on"])
            if problem:
                warnings.append(problem)
        # a visit's day is the day it was held
        queries.update(store, "measure", measure_id, {"ended_on": day, **({"starts_on": day} if m.visit else {})})
        queries.add_event(store, measure["case_id"], on=day, author=env.adviser, action="measure-ended",
                          detail=f"{measure_id} {m.code}")
        return Recorded(with_state(measure_store.get_measure(store, measure_id), env.today), warnings)


def list_measures(store: Store, today: date, case_id: int | None = None) -> list[dict]:
    """Measures (of one case: an unknown ``case_id`` is refused) with their case and person."""
    if case_id is not None:
        queries.get_case(store, case_id)
    return [with_state(m, today) for m in measure_store.list_measures(store, case_id)]


def case_measures(store: Store, case_id: int, today: date) -> list[dict]:
    """A case's measures with their state, for `show`."""
    return [with_state(m, today) for m in measure_store.measures_of_case(store, case_id)]
