"""Printing: plain text, aligned columns, JSON, and one-line errors on stderr.

Kept free of rich so that the everyday commands start fast; rich is imported by the
screens that colour their output, and only when stdout is a terminal.
"""

from __future__ import annotations

import json
import sys
from datetime import date

from capcli.i18n import _

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write("capcli: " + text + "\n")


def fmt_date(value) -> str:
    """dd/mm/yyyy, as French advisers read dates ('' when none)."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return day.strftime("%d/%m/%Y")


def fmt_day(value: date) -> str:
    """Weekday and date: 'Mon 11/05/2026'."""
    return f"{_(WEEKDAYS[value.weekday()])} {fmt_date(value)}"


def fmt_amount(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"{cents / 100:,.2f} €"


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_out(data) -> None:
    out(json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable))


def columns(headers: list[str], rows: list[list], empty: str | None = None) -> None:
    """Print rows as aligned columns under their headers."""
    if not rows:
        if empty:
            out(empty)
        return
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        out("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
