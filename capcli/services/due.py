"""The adviser's morning report (`capcli due`): contacts due, RQTH ending, idle cases.

Read-only. The windows are the agency's settings; the calendar rule (a due date on a weekend
or a French public holiday is shown on the next working day) is ``dates.next_working_day``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from capcli.domain.dates import add_months, next_working_day
from capcli.domain.settings import Settings
from capcli.store import due as due_queries
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

    def section(self, name: str) -> list[DueContact]:
        return [c for c in self.contacts if c.section == name]

    @property
    def empty(self) -> bool:
        return not (self.contacts or self.rqth or self.idle)


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

    by_person: dict[int, RqthEnding] = {}
    for row in due_queries.rqth_ending(store, until=add_months(today, settings.rqth_warning_months), adviser=adviser):
        line = by_person.get(row["person_id"])
        if line is None:
            line = by_person[row["person_id"]] = RqthEnding(
                row["person_id"], queries.person_name(row), date.fromisoformat(row["rqth_until"]), [], [])
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
