"""The activity report's periods and the definitions of its figures (README: "Activity report").

Plain functions: no printing, no store. The SQL in ``capcli.store.report`` counts what these
definitions say; the tests check both against the same hand-computed caseload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from capcli.domain import codes
from capcli.domain.dates import next_working_day, parse_date, shown
from capcli.errors import InvalidValue, UsageError
from capcli.i18n import _

# --by: how the cases and contacts sections are broken down.
GROUPINGS = ("kind", "adviser", "month")
# --section: the report's tables, in the order they are printed.
SECTIONS = ("cases", "outcomes", "rates", "contacts", "needs", "durations", "measures", "uptake")

# Success and lasting-employment rates: the outcomes that count as a success, over every case of
# that kind closed in the period (whatever its outcome); each kind's rate is in its policy (codes.Kind).
RATES = {
    k.rate.name: (k.code, k.rate.outcomes)
    for k in sorted((k for k in codes.KINDS.values() if k.rate), key=lambda k: k.rate.order)
}

# Compensation needs: statuses only move forward (identifie -> demande -> accorde | refuse ->
# mis-en-place), so a need at any of these statuses was requested from its funder...
REQUESTED_STATUSES = ("demande", "accorde", "refuse", "mis-en-place")
# ... and one at these was granted.
GRANTED_STATUSES = ("accorde", "mis-en-place")

# Délai de prise en charge: from the signalement to the first thing done about the situation. The
# opening is not it (a case is often opened the day it is signalled, as the record of the signalement:
# a maintien's first phase is even called so); what counts is the first of these journal entries: a
# phase reached, a diagnostic, a need, a contact done, or the case closed. (A measure started, once
# measures are recorded, belongs here too.)
UPTAKE_ACTIONS = ("advanced", "diagnostic", "need-added", "contact-done", "closed")
UPTAKE_DAYS = 30  # the share of the cases taken up within so many days of their signalement

# The states of a follow-up contact due in the period (see contact_state).
CONTACT_STATES = ("on-time", "late", "overdue", "pending")

_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*(\d+)\s*$")
_MONTH_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_MONTH_FR = re.compile(r"^\s*(\d{1,2})/(\d{4})\s*$")


@dataclass(frozen=True)
class Period:
    """A span of whole days, both ends included."""

    start: date
    end: date
    label: str

    def months(self) -> list[str]:
        """Every month the period touches, as YYYY-MM."""
        result, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            result.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def _year(text: str) -> int:
    match = _YEAR.match(text or "")
    if not match or not 1900 <= int(match.group(1)) <= 2999:
        raise InvalidValue(_("invalid --year '{value}': write it as YYYY, e.g. 2026").format(value=text))
    return int(match.group(1))


def _quarter(text: str) -> tuple[int, int]:
    match = _QUARTER.match(text or "")
    if not match or not 1 <= int(match.group(2)) <= 4:
        raise InvalidValue(
            _("invalid --quarter '{value}': write it as YYYY-QN with N from 1 to 4, e.g. 2026-Q3").format(value=text)
        )
    return _year(match.group(1)), int(match.group(2))


def _month(text: str) -> tuple[int, int]:
    match = _MONTH_ISO.match(text or "")
    if match:
        year, month = match.group(1), int(match.group(2))
    else:
        match = _MONTH_FR.match(text or "")
        year, month = (match.group(2), int(match.group(1))) if match else ("", 0)
    if not match or not 1 <= month <= 12:
        raise InvalidValue(
            _("invalid --month '{value}': write it as YYYY-MM with a month from 01 to 12, e.g. 2026-03").format(
                value=text)
        )
    return _year(year), month


def parse_period(
    today: date,
    *,
    from_: str | None = None,
    to: str | None = None,
    year: str | None = None,
    quarter: str | None = None,
    month: str | None = None,
) -> Period:
    """The period asked for on the command line; by default the current year to date.

    A period is reported "to date": its end is brought back to ``today`` (a report cannot count
    what has not happened yet); a period that starts after today is refused.
    """
    given = [name for name, value in (("--from/--to", from_ or to), ("--year", year), ("--quarter", quarter),
                                      ("--month", month)) if value]
    if len(given) > 1:
        raise UsageError(
            _("choose one period: {given} cannot be combined (use --from/--to, --year, --quarter or --month)").format(
                given=", ".join(given))
        )
    if year:
        y = _year(year)
        period = Period(date(y, 1, 1), date(y, 12, 31), str(y))
    elif quarter:
        y, q = _quarter(quarter)
        period = Period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), f"{y}-Q{q}")
    elif month:
        y, m = _month(month)
        period = Period(date(y, m, 1), _month_end(y, m), f"{y:04d}-{m:02d}")
    elif from_ or to:
        end = parse_date(to, "--to") if to else today
        # without --from: the start of the year of --to, or of today when --to is later than today
        start = parse_date(from_, "--from") if from_ else date(min(end, today).year, 1, 1)
        if start > today:
            raise InvalidValue(
                _("--from {start} is after today ({today}): there is nothing to report yet").format(
                    start=shown(start), today=shown(today))
            )
        if start > end:
            raise InvalidValue(
                _("--from {start} is after --to {end}: give the earlier date first").format(
                    start=shown(start), end=shown(end))
            )
        period = Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    else:
        period = Period(date(today.year, 1, 1), today, str(today.year))
    if period.start > today:
        raise InvalidValue(
            _("the period {label} starts after today ({today}): there is nothing to report yet").format(
                label=period.label, today=shown(today))
        )
    if period.end > today:
        period = Period(period.start, today, period.label)
    return period


def grouping(value: str) -> str:
    return codes.choice(value, GROUPINGS, "--by")


def section(value: str) -> str:
    return codes.choice(value, SECTIONS, "--section")


def contact_deadline(due_on: date) -> date:
    """The last day a contact is on time: its due date, moved to the next working day."""
    return next_working_day(due_on)


def shifted_due_days(start: date, end: date) -> list[tuple[date, date]]:
    """(due date, deadline) for every day of [start, end] that is not a working day.

    The SQL joins on this short list (weekends and holidays only) so that the working-day
    rule stays in ``capcli.domain.dates`` and the counting stays in the database.
    """
    pairs, day = [], start
    while day <= end:
        deadline = contact_deadline(day)
        if deadline != day:
            pairs.append((day, deadline))
        day += timedelta(days=1)
    return pairs


def contact_state(due_on: date, done_on: date | None, today: date, closed_on: date | None = None) -> str | None:
    """on-time (done by its deadline), late (done after it), overdue (not done, deadline passed)
    or pending (not done, deadline today or later). None, not counted at all, for a contact not
    done whose case closed before its due date: the closing cancelled it (a veille closed for a
    re-signalement has no more contacts to make), it was not missed."""
    deadline = contact_deadline(due_on)
    if done_on is not None:
        return "on-time" if done_on <= deadline else "late"
    if closed_on is not None and closed_on < due_on:
        return None
    return "overdue" if deadline < today else "pending"


def rate(numerator: int, denominator: int) -> float | None:
    """numerator / denominator rounded to 4 decimals; None when there is nothing to divide."""
    if not denominator:
        return None
    return round(numerator / denominator, 4)


def median(values: list[float]) -> float | None:
    """The median (mean of the two middle values for an even count); None for no value."""
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return None
    middle = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
    return middle


def uptake(cases: list[tuple[str | None, date, date | None]], end: date) -> list[dict]:
    """The délai de prise en charge of ``cases`` (source, signalled on, first action on or None),
    per source in the order of ``codes.SIGNALEMENT_SOURCES`` (an unknown source last), then the
    total row (source None, ``"total": True``).

    ``taken_up``: cases with a first action by ``end``; ``median_days``: signalement to first action;
    ``within``: taken up within UPTAKE_DAYS days; ``share``: ``within`` over the cases whose answer
    is known by ``end`` (taken up, or not taken up with UPTAKE_DAYS days gone by): a case signalled
    last week and not taken up yet is not counted as late."""
    groups: dict = {}
    for source, signalled, first in cases:
        groups.setdefault(source, []).append((signalled, first))
    order = [s for s in codes.SIGNALEMENT_SOURCES if s in groups] + [s for s in groups
                                                                       if s not in codes.SIGNALEMENT_SOURCES]
    rows = [_uptake_row(source, groups[source], end) for source in order]
    if rows:
        rows.append({**_uptake_row(None, [c for source in order for c in groups[source]], end), "total": True})
    return rows


def _uptake_row(source: str | None, cases: list[tuple[date, date | None]], end: date) -> dict:
    days = [(first - signalled).days for signalled, first in cases if first is not None]
    within = sum(1 for d in days if d <= UPTAKE_DAYS)
    known = len(days) + sum(1 for signalled, first in cases if first is None and (end - signalled).days > UPTAKE_DAYS)
    return {"signalement_by": source, "cases": len(cases), "taken_up": len(days), "median_days": median(days),
            "within_30_days": within, "share": rate(within, known)}
