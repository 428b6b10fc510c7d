"""Dates as advisers write them, and the calendar rules of SPEC §2 rule 9.

Plain functions of plain values: no environment, no file. Today's date comes from the caller
(``capcli.env``: CAPCLI_TODAY), and a year's holidays from the source ``use_holidays`` installs
(``capcli.cache``: the user's cache of them), else computed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

from capcli.errors import InvalidValue
from capcli.i18n import _

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FRENCH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@lru_cache(maxsize=1 << 16)  # imports parse the same few thousand dates again and again
def parse_date(text: str, what: str = "date") -> date:
    """Parse an ISO (2026-11-22) or day-first French (22/11/2026) date."""
    value = (text or "").strip()
    match = _ISO.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _FRENCH.match(value)
        if not match:
            raise InvalidValue(
                _("invalid {what} '{value}': write it as YYYY-MM-DD or DD/MM/YYYY").format(what=what, value=text)
            )
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(
            _("invalid {what} '{value}': no such day in the calendar").format(what=what, value=text)
        ) from None


def shown(day: date) -> str:
    """A date as people read and write it: dd/mm/yyyy (screens and messages; stores keep ISO)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"  # strftime's "%d/%m/%Y", twice as fast (list, due)


def today(forced: str | None = None) -> date:
    """Today, or the date ``forced`` (CAPCLI_TODAY: backdated entry, tests)."""
    if forced:
        return parse_date(forced, "CAPCLI_TODAY")
    return date.today()


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's end (31/08 + 6 → 28/02),
    as dateutil's ``relativedelta(months=…)`` adds them (tests compare the two) without its import
    on every start of `due`."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    leap = month == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return date(year, month + 1, min(day.day, _MONTH_DAYS[month] + leap))


def french_holidays(year: int) -> frozenset[date]:
    """French public holidays of ``year``, computed (package holidays: ~80 ms to import)."""
    import holidays

    return frozenset(holidays.country_holidays("FR", years=year))


_holidays_of: Callable[[int], frozenset[date]] = lru_cache(maxsize=64)(french_holidays)


def use_holidays(source: Callable[[int], frozenset[date]]) -> None:
    """Where the calendar rules find a year's holidays from now on (``capcli.cache.install``)."""
    global _holidays_of
    _holidays_of = source


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the next one (weekends, French holidays)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def is_jour_ouvrable(day: date) -> bool:
    """A jour ouvrable: every day but Sunday and the French public holidays (the unit of the essai
    encadré, CSS D323-6-5)."""
    return day.weekday() < 6 and day not in _holidays_of(day.year)


def jours_ouvrables(start: date, end: date) -> int:
    """How many jours ouvrables from ``start`` to ``end``, both included."""
    count, day = 0, start
    while day <= end:
        count += is_jour_ouvrable(day)
        day += timedelta(days=1)
    return count


def nth_jour_ouvrable(start: date, n: int) -> date:
    """The ``n``-th jour ouvrable from ``start`` on (``start`` is the first when it is one)."""
    day, seen = start, 0
    while True:
        if is_jour_ouvrable(day):
            seen += 1
            if seen == n:
                return day
        day += timedelta(days=1)
