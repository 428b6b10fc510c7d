"""Compensation needs (besoins de compensation, SPEC §1): their lifecycle, amounts and funders.

The status only moves forward: ``identifie`` → ``demande`` → ``accorde`` | ``refuse`` →
``mis-en-place``. A later status may be recorded directly (the request was not recorded, the
employer granted it at once), but ``mis-en-place`` follows ``accorde`` only, and ``refuse`` and
``mis-en-place`` are final.
"""

from __future__ import annotations

import re
from decimal import Decimal

from capcli.domain import codes
from capcli.errors import InvalidValue, RuleError
from capcli.i18n import _

# The rank of each status: a change must go to a higher rank.
STATUS_RANK = {"identifie": 0, "demande": 1, "accorde": 2, "refuse": 2, "mis-en-place": 3}
FINAL_STATUSES = ("refuse", "mis-en-place")
LIFECYCLE = "identifie → demande → accorde | refuse → mis-en-place"

# The public body that funds compensation for each employer sector (SPEC §1, Employer).
FUNDER_OF_SECTOR = {"prive": "agefiph", "public": "fiphfp"}

_AMOUNT = re.compile(r"^(\d+)(?:[.,](\d{1,2}))?$")
# Thousands grouped by a dot or a comma, the other one before the cents: 1.250,50, 1,250.50, 1.250.000.
_GROUPED = re.compile(r"^([1-9]\d{0,2}([.,])\d{3}(?:\2\d{3})*)(?:(?!\2)[.,](\d{1,2}))?$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def category(value: str) -> str:
    return codes.choice(value, codes.NEED_CATEGORIES, _("need category"))


def funder(value: str | None) -> str | None:
    """A funder code, or None for an empty value (no funder known yet)."""
    if value is None or not value.strip():
        return None
    return codes.choice(value, codes.FUNDERS, _("funder"))


def status(value: str) -> str:
    return codes.choice(value, codes.NEED_STATUSES, _("need status"))


def suggested_funder(sector: str | None) -> str | None:
    """The funder an employer's sector suggests: private → agefiph, public → fiphfp; none without employer."""
    return FUNDER_OF_SECTOR.get(sector or "")


MAX_AMOUNT_CENTS = 10_000_000 * 100  # no compensation need costs ten million euros


def parse_amount(text: str | None) -> int | None:
    """Euros as French offices write them (``1250``, ``1250.50``, ``1 250,50``, ``1.250,50``,
    ``1250,50 €``) → cents.

    Thousands may be grouped by spaces, or by dots (or commas) when a comma (or dot) comes before
    the cents or when there are several groups (``1.250.000``). ``1.250`` alone is refused as
    ambiguous (1250 €, or 1,25 € with three decimals?): the error says how to write it. An empty
    value is no amount (None). Negative, non-numeric or more than two decimals is refused.
    """
    if text is None:
        return None
    value = _SPACES.sub("", str(text)).replace("€", "")
    if value.lower().endswith("eur"):
        value = value[:-3]
    if not value:
        return None
    if value.startswith("-"):
        raise InvalidValue(_("invalid amount '{value}': an amount cannot be negative").format(value=text))
    value = value.lstrip("+")
    match = _AMOUNT.match(value)
    if match:
        euros, cents = match.groups()
    else:
        grouped = _GROUPED.match(value)
        if not grouped:
            raise InvalidValue(
                _("invalid amount '{value}': write euros like 1250, 1250.50 or 1 250,50").format(value=text)
            )
        digits, separator, cents = grouped.groups()
        euros = digits.replace(separator, "")
        if cents is None and digits.count(separator) == 1:  # 1.250: 1250 €, or 1,25 € mistyped?
            raise InvalidValue(
                _("invalid amount '{value}': {euros} €? write euros like {euros} or {grouped} (at most 2 "
                  "decimals: a dot or comma before 3 digits is ambiguous)").format(
                    value=text, euros=euros, grouped=digits + (",00" if separator == "." else ".00"))
            )
    amount = int(Decimal(f"{euros}.{cents or '0'}") * 100)
    if amount > MAX_AMOUNT_CENTS:
        raise InvalidValue(
            _("invalid amount '{value}': more than {limit} for one need, surely a typo").format(
                value=text, limit="10 000 000 €")
        )
    return amount


def check_status_change(need_id: int, current: str, new: str) -> str:
    """Validate moving need ``need_id`` from ``current`` to ``new``; return the new status code."""
    new = status(new)
    if new == current:
        raise RuleError(_("need {id} is already {status}: nothing to change").format(id=need_id, status=current))
    if current in FINAL_STATUSES:
        raise RuleError(
            _("need {id} is {status}, which is final: record a new need with 'capcli need add' "
              "to start again").format(id=need_id, status=current)
        )
    if new == "mis-en-place" and current != "accorde":
        raise RuleError(
            _("need {id} is {status}: only a need that is accorde can be mis-en-place").format(
                id=need_id, status=current)
        )
    if STATUS_RANK[new] <= STATUS_RANK[current]:
        raise RuleError(
            _("need {id} is {status}: a need's status only moves forward ({lifecycle})").format(
                id=need_id, status=current, lifecycle=LIFECYCLE)
        )
    return new


def next_statuses(current: str) -> list[str]:
    """The statuses a need that is ``current`` may move to (the forward-only rule), in order;
    none when ``current`` is final."""
    if current in FINAL_STATUSES:
        return []
    return [code for code in codes.NEED_STATUSES if STATUS_RANK[code] > STATUS_RANK[current]
            and (code != "mis-en-place" or current == "accorde")]


def check_case_open(case) -> None:
    """Needs are added to an open case (their status may still be recorded after it closes)."""
    if not case.is_open:
        raise RuleError(
            _("case {id} ({kind}) is closed: add the need to the case that follows it").format(
                id=case.id, kind=case.kind)
        )
