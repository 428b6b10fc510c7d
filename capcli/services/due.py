"""The adviser's morning report (`capcli due`): contacts due, measures ending and visits to plan,
RQTH ending (and their renewal), idle cases.

Read-only. The windows are the agency's settings; the calendar rule (a due date on a weekend
or a French public holiday is shown on the next working day) is ``dates.next_working_day``.
"""

from __future__ import annotations

from datetime import date, timedelta

from capcli.domain import measures, rqth
from capcli.domain.dates import add_months, next_working_day
from capcli.domain.settings import Settings
from capcli.records import NamedTuple
from capcli.store import due as due_queries
from capcli.store import measures as measure_queries
from capcli.store import queries
from capcli.store.engine import Store

SECTIONS = ("overdue", "today", "next")


class DueContact(NamedTuple):  # NamedTuples and a plain class: `due` starts without dataclasses
    contact_id: int
    case_id: int
    kind: str
    due_on: date  # the real due date
    shown_on: date  # the working day it is shown on
    person: str
    adviser: str
    number: int
    of: int
    employer: str | None
    section: str  # overdue, today, next
    days_late: int  # 0 unless overdue

    def as_dict(self) -> dict:
        return {
            "contact_id": self.contact_id, "case_id": self.case_id, "kind": self.kind, "due_on": self.due_on,
            "shown_on": self.shown_on, "person": self.person, "adviser": self.adviser, "number": self.number,
            "of": self.of, "employer": self.employer, "days_late": self.days_late, "section": self.section,
        }


class RqthEnding(NamedTuple):
    person_id: int
    person: str
    rqth_until: date
    cases: list[tuple[int, str]]  # (case id, kind) of the person's open cases
    advisers: list[str]
    renewal: str = "to-file"  # domain.rqth.STATES: to-file, filed, silence (decided ones are not shown)
    filed_on: date | None = None
    runs_on: bool = False  # filed before the end date, no decision yet: the RQTH holds past it


class DueMeasure(NamedTuple):
    measure_id: int
    measure: str  # its code (domain.measures.MEASURES)
    what: str  # domain.measures.DUE: ends, ended, visit, plan-by, plan-from
    on: date
    case_id: int
    kind: str
    person: str
    adviser: str
    employer: str | None
    days_late: int  # days past ``on`` for what is late (ended, a visit past, a visit to plan past its deadline)

    def as_dict(self) -> dict:
        """Beside the contacts in `due --json`: their keys (contact_id, number and of null) and the measure's."""
        return {
            "contact_id": None, "case_id": self.case_id, "kind": self.kind, "due_on": self.on, "shown_on": self.on,
            "person": self.person, "adviser": self.adviser, "number": None, "of": None, "employer": self.employer,
            "days_late": self.days_late, "section": "measures", "measure_id": self.measure_id,
            "measure": self.measure, "what": self.what,
        }


class IdleCase(NamedTuple):
    case_id: int
    kind: str
    phase: str
    person: str
    adviser: str
    last_on: date | None


class DueReport:
    def __init__(self, today: date, adviser: str | None, days: int, settings: Settings) -> None:
        self.today, self.adviser, self.days, self.settings = today, adviser, days, settings  # adviser None: all
        self.contacts: list[DueContact] = []
        self.rqth: list[RqthEnding] = []
        self.idle: list[IdleCase] = []
        self.measures: list[DueMeasure] = []

    def section(self, name: str) -> list[DueContact]:
        return [c for c in self.contacts if c.section == name]

    @property
    def empty(self) -> bool:
        return not (self.contacts or self.rqth or self.idle or self.measures)


def due_report(store: Store, *, today: date, adviser: str | None, days: int | None = None) -> DueReport:
    """What ``adviser`` (every adviser when None) has to do today and in the next ``days`` days."""
    settings = Settings.from_pairs(queries.settings_pairs(store))
    days = settings.due_days if days is None else days
    report = DueReport(today, adviser, days, settings)
    horizon = today + timedelta(days=days)
    for row in due_queries.pending_contacts(store, until=horizon, adviser=adviser):
        due_on = date.fromisoformat(row["due_on"])
        shown_on = next_working_day(due_on)
        if shown_on > horizon:  # due on the weekend that ends the window: shown from Monday on
            continue
        section = "overdue" if shown_on < today else "today" if shown_on == today else "next"
        report.contacts.append(DueContact(
            contact_id=row["contact_id"], case_id=row["case_id"], kind=row["kind"], due_on=due_on,
            shown_on=shown_on, person=queries.person_name(row), adviser=row["adviser"], number=row["number"],
            of=row["total"], employer=row["employer"], section=section,
            days_late=(today - shown_on).days if section == "overdue" else 0,
        ))
    report.contacts.sort(key=lambda c: (c.shown_on, c.due_on, c.contact_id))

    report.measures = _measures(store, today, horizon, adviser)

    by_person: dict[int, RqthEnding] = {}
    for row in due_queries.rqth_ending(store, until=add_months(today, settings.rqth_warning_months), adviser=adviser):
        line = by_person.get(row["person_id"])
        if line is None:
            until = date.fromisoformat(row["rqth_until"])
            renewal = rqth.current(_renewal(row), until)
            state = rqth.state(renewal, today)
            if state == "decided":  # a refusal recorded: nothing more to do about this end date
                continue
            line = by_person[row["person_id"]] = RqthEnding(
                row["person_id"], queries.person_name(row), until, [], [], state,
                renewal["filed_on"] if renewal else None, rqth.runs_on(renewal, today))
            report.rqth.append(line)
        line.cases.append((row["case_id"], row["kind"]))
        if row["adviser"] not in line.advisers:
            line.advisers.append(row["adviser"])

    since = today - timedelta(days=max(settings.idle_days - 1, 0))
    for row in due_queries.idle_cases(store, since=since, adviser=adviser):
        report.idle.append(IdleCase(
            row["case_id"], row["kind"], row["phase"], queries.person_name(row), row["adviser"],
            date.fromisoformat(row["last_on"]) if row["last_on"] else None,
        ))
    return report


def _renewal(row: dict) -> dict | None:
    """The renewal columns of an RQTH row, as ``domain.rqth`` reads a renewal."""
    if row["renewal_id"] is None:
        return None
    return {"id": row["renewal_id"], "rqth_until": queries.as_date(row["renewal_until"]),
            "filed_on": queries.as_date(row["filed_on"]), "decided_on": queries.as_date(row["decided_on"])}


def _measures(store: Store, today: date, horizon: date, adviser: str | None) -> list[DueMeasure]:
    """The measures' ends and the visits to plan of open cases (``measures.due``), by date."""
    found = []
    for row in measure_queries.pending_measures(store, adviser):
        line = measures.due(measures.MEASURES[row["kind"]], row, today, horizon)
        if line is None:
            continue
        what, on = line
        late = (today - on).days if what in ("ended", "visit", "plan-by") and on < today else 0
        found.append(DueMeasure(row["id"], row["kind"], what, on, row["case_id"], row["case_kind"],
                                queries.person_name(row), row["adviser"], row["employer"], late))
    return sorted(found, key=lambda m: (m.on, m.measure_id))
