"""Retention (GDPR): when a person's data is due for anonymisation (SPEC §1).

A person with no open case and nothing recorded (no event, no contact done, no
diagnostic, no need change, no case opened or closed; the day the person was entered when
there is none of these) for ``retention_years`` is due: their
identity, contact details and health data go; kinds, dates and outcomes stay for the
statistics.
"""

from __future__ import annotations

from datetime import date

from capcli.domain.dates import add_months


def retention_cutoff(today: date, years: int) -> date:
    """Nothing recorded since this day (included) means the retention period is over."""
    return add_months(today, -12 * years)


def last_recorded(*days: date | None, created_on: date | None = None) -> date | None:
    """The latest of the days something happened in a person's path (cases opened or closed,
    events, contacts done, diagnostics, needs). The day their record was entered counts only
    when nothing else is known: a person migrated today with cases closed years ago is past the
    retention period, while one entered without a case yet is kept from that day."""
    known = [d for d in days if d is not None]
    return max(known) if known else created_on


def due_for_anonymisation(*, has_open_case: bool, last: date | None, today: date, years: int) -> bool:
    """True when a person has no open case and nothing recorded for ``years`` years."""
    if has_open_case or last is None:
        return False
    return last <= retention_cutoff(today, years)
