"""Dates as advisers write them, and the calendar rules of SPEC §2 rule 9."""

from __future__ import annotations

import os
import re
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
    return day.strftime("%d/%m/%Y")


def today(environ=os.environ) -> date:
    """Today, or the date set by CAPCLI_TODAY (backdated entry, tests)."""
    forced = environ.get("CAPCLI_TODAY")
    if forced:
        return parse_date(forced, "CAPCLI_TODAY")
    return date.today()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31/08 + 6 → 28/02)."""
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


HOLIDAY_CACHE = "holidays-FR.json"


def _holidays_stamp() -> str:
    """What the cached holidays were computed with: the installed holidays package's French rules
    (found without importing the package; a new version of it invalidates the cache)."""
    import sys

    for folder in sys.path:
        try:
            info = os.stat(os.path.join(folder or ".", "holidays", "countries", "france.py"))
        except OSError:
            continue
        return f"{info.st_mtime_ns}-{info.st_size}"
    return "unknown"


@lru_cache(maxsize=64)
def _french_holidays(year: int) -> frozenset[date]:
    """French public holidays of ``year`` (package holidays).

    Importing holidays costs ~80 ms, more than the whole morning `due` may take: the years
    already computed are kept in the user's cache, keyed by the installed package.
    """
    from capcli import cache

    stamp = _holidays_stamp()
    saved = cache.load(HOLIDAY_CACHE, stamp) or {}
    if str(year) in saved:
        try:
            return frozenset(date.fromisoformat(day) for day in saved[str(year)])
        except (TypeError, ValueError):
            pass
    import holidays

    days = frozenset(holidays.country_holidays("FR", years=year))
    saved[str(year)] = sorted(day.isoformat() for day in days)
    cache.save(HOLIDAY_CACHE, stamp, saved)
    return days


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the next one (weekends, French holidays)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
