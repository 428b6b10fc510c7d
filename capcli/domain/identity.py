"""People as French offices write them: names compared without regard to case or accents, and
the bounds of a birth date. Pure functions (the store registers ``fold`` for its searches)."""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache

from capcli.errors import InvalidValue
from capcli.i18n import _

BIRTH_MAX_YEARS = 100  # a birth date further back is a typing mistake (1894 for 1984)

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})


def fold(text: str | None) -> str | None:
    """A name as compared by searches and duplicate checks: lower case, accents and ligatures
    dropped (``LÉVÊQUE``, ``Lévêque`` and ``leveque`` fold alike; ``Œillet`` is ``oeillet``)."""
    if text is None:
        return None
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def same_person_key(last_name: str, first_name: str, birth_date: date | str | None) -> tuple | None:
    """What makes two records the same person (an exact duplicate): folded names and the birth
    date. None without a birth date: two MARTIN Luc with no birth date may be two people."""
    if not birth_date:
        return None
    day = birth_date if isinstance(birth_date, str) else birth_date.isoformat()
    return fold(last_name.strip()), fold(first_name.strip()), day


@lru_cache(maxsize=8)
def _birth_bounds(today: date) -> tuple[str, str]:
    from capcli.domain.dates import add_months

    return add_months(today, -12 * BIRTH_MAX_YEARS).isoformat(), today.isoformat()


def check_birth_date(birth: date | str, today: date) -> None:
    """A birth date is not in the future nor more than 100 years ago. ``birth``: a date or ISO
    text (the import reads dates as text)."""
    iso = birth if isinstance(birth, str) else birth.isoformat()
    earliest, latest = _birth_bounds(today)
    if earliest <= iso <= latest:
        return
    from capcli.domain.dates import shown

    day = shown(date.fromisoformat(iso))
    if iso > latest:
        raise InvalidValue(_("the birth date {on} is in the future").format(on=day))
    raise InvalidValue(_("the birth date {on} is more than {years} years ago: check the year").format(
        on=day, years=BIRTH_MAX_YEARS))
