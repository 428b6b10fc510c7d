"""Agency settings: the windows and thresholds an agency may tune (stored in the store)."""

from __future__ import annotations

from capcli.errors import InvalidValue
from capcli.i18n import _
from capcli.records import NamedTuple


class Settings(NamedTuple):  # a NamedTuple, not a dataclass: `due` starts without dataclasses
    due_days: int = 7  # `due` shows contacts of the next N days
    rqth_warning_months: int = 6  # RQTH ending within N months is shown by `due`
    idle_days: int = 60  # open cases with no event for N days are shown by `due`
    retention_years: int = 2  # a person with no contact for N years is due for anonymisation (CNIL 2023-095)
    emploi_durable_months: int = 6  # a CDD/interim of N months or more is lasting employment
    access_log_months: int = 12  # `purge` deletes the access log's rows older than N months (CNIL: 6 to 12)

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return cls._fields

    @classmethod
    def from_pairs(cls, pairs) -> "Settings":
        """Build from stored (key, value) pairs, ignoring keys this version does not know."""
        values = {}
        for key, value in pairs:
            if key in cls.keys():
                try:
                    values[key] = parse_value(key, value)
                except InvalidValue:  # out of bounds (stored by hand, or before the bounds): the default
                    continue
        return cls(**values)


# What each setting may be: the whole agency shares them, so a slip of the keyboard (0, a year typed
# for a count) must not make `purge` anonymise everyone or `due` fail for all.
BOUNDS = {
    "due_days": (0, 366),  # 0: today and the overdue only
    "rqth_warning_months": (1, 36),
    "idle_days": (1, 3650),
    "retention_years": (1, 30),
    "emploi_durable_months": (1, 60),
    "access_log_months": (6, 12),  # the CNIL's recommendation on access logs: six months to a year
}


def parse_value(key: str, value: str) -> int:
    if key not in Settings.keys():
        raise InvalidValue(
            _("unknown setting '{key}' (valid: {valid})").format(key=key, valid=", ".join(Settings.keys()))
        )
    low, high = BOUNDS[key]
    text = str(value).strip().lstrip("+")
    number = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
    if number is None or not low <= number <= high:
        raise InvalidValue(_("setting {key} takes a whole number from {low} to {high}, not '{value}'").format(
            key=key, low=low, high=high, value=value))
    return number
