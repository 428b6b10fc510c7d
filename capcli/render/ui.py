"""Printing: plain text, aligned columns, JSON, and one-line errors on stderr.

Kept free of rich so that the everyday commands start fast; rich is imported by the
screens that colour their output, and only when stdout is a terminal.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from datetime import date

from capcli import i18n
from capcli.domain.validate import UNSAFE_CHARS, unsafe
from capcli.i18n import N_, _

# TRANSLATORS: weekday before a date, as in "Mon 11/05/2026"; French writes it in full: "lundi".
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))

# Amounts: English "1,250.00 €"; French typography "1 250,00 €" with a narrow no-break space
# (U+202F) between thousands and a no-break space (U+00A0) before the euro sign, as CLDR's
# fr_FR format does (tests cross-check with Babel), so that an amount never wraps.
NNBSP = "\u202f"
NBSP = "\u00a0"


@functools.cache
def _line_unsafe() -> re.Pattern:
    return re.compile(f"[\x00-\x09{UNSAFE_CHARS}]")  # all but the newline
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(found: re.Match) -> str:
    char = found.group()
    return _ESCAPES.get(char) or (f"\\x{ord(char):02x}" if char < "\u0100" else f"\\u{ord(char):04x}")


def safe(text: str, lines: bool = False) -> str:
    """``text`` as a terminal may show it: every character that `validate.text` refuses at input
    (ESC, BEL, CR, C1 controls, bidi overrides, bytes that are not UTF-8...) written as a visible
    escape (ESC as ``\\x1b``), so that what a store already holds never drives the terminal.
    ``lines``: newlines are kept (whole screens); else a cell, on one line (``\\n``)."""
    if text.isprintable():  # the fast path: nothing to escape
        return text
    return (_line_unsafe() if lines else unsafe()).sub(_escape, text)


class Made(dict):
    """``make(value)`` for each value, made once: a dict that fills itself (``made[value]``)."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, value):
        self[value] = made = self.make(value)
        return made


def out(text: str = "") -> None:
    """A line (or lines) of a text screen, made ``safe``; exact data (JSON, CSV) goes through ``raw``."""
    sys.stdout.write(safe(text, lines=True) + "\n")


def raw(text: str) -> None:
    """A line of exact data: JSON (which escapes control characters itself) or CSV."""
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write("capcli: " + safe(text, lines=True) + "\n")


def fmt_date(value) -> str:
    """dd/mm/yyyy, as French advisers read dates ('' when none)."""
    if not value:
        return ""
    from capcli.domain.dates import shown

    return shown(value if isinstance(value, date) else date.fromisoformat(str(value)[:10]))


def fmt_day(value: date) -> str:
    """Weekday and date: 'Mon 11/05/2026', in French 'lundi 11/05/2026'."""
    return f"{_(WEEKDAYS[value.weekday()])} {fmt_date(value)}"


def fmt_due(due_on: date, shown_on: date | None = None) -> str:
    """A due date as advisers see it (SPEC rule 9): on the next working day when it falls on a
    weekend or a French public holiday, marked '*' ('Mon 31/08/2026 *' for Sunday 30/08)."""
    if shown_on is None:
        from capcli.domain.dates import next_working_day

        shown_on = next_working_day(due_on)
    return fmt_day(shown_on) + (" *" if shown_on != due_on else "")


def fmt_amount(cents: int | None) -> str:
    """Euros from cents: '1,250.00 €'; in French '1 250,00 €' (see NNBSP/NBSP)."""
    if cents is None:
        return ""
    english = f"{cents / 100:,.2f}"
    if i18n.current() == "fr":
        return english.replace(",", NNBSP).replace(".", ",") + NBSP + "€"
    return english + " €"


def fmt_percent(share: float) -> str:
    """A share as a percentage with one decimal: '66.7 %'; in French '66,7 %'."""
    text = f"{share * 100:.1f}"
    if i18n.current() == "fr":
        return text.replace(".", ",") + NBSP + "%"
    return text + " %"


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_out(data) -> None:
    raw(json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable))


def json_array_out(items) -> None:
    """``json_out`` of a list, written item by item as ``items`` come (the same bytes): a listing
    of a million cases is never held in memory."""
    opened = False
    for item in items:
        sys.stdout.write(("[\n  " if not opened else ",\n  ") + json_text(item).replace("\n", "\n  "))
        opened = True
    raw("\n]" if opened else "[]")


def json_text(data) -> str:
    """``data`` as the JSON text ``json_out`` prints (dates ISO)."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable)


def fields(rows: list[tuple[str, object]]) -> None:
    """Print 'label  value' lines, labels aligned on the longest (labels differ by language);
    rows with no value are left out."""
    rows = [(label, value) for label, value in rows if value not in (None, "")]
    width = max((len(label) for label, _value in rows), default=0)
    for label, value in rows:
        out(f"  {label:<{width}}  {safe(str(value))}")


def align(rows: list[list[str]]) -> list[str]:
    """Rows of cells as lines of aligned columns."""
    if not rows:
        return []
    rows = [[safe(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]


def columns(headers: list[str], rows: list[list], empty: str | None = None) -> None:
    """Print rows as aligned columns under their headers."""
    if not rows:
        if empty:
            out(empty)
        return
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    for line in align(cells):
        out(line)


def reader_gone() -> None:
    """stdout's reader stopped early (`capcli report | head`): what is left goes to /dev/null, so
    that nothing more is said about it at exit."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def exit_flushed(status) -> None:
    """Flush stdout and exit with ``status``: a reader gone (a broken pipe) is no error; another
    failure to write the end (a full disk) is refused in one line."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        reader_gone()
    except (OSError, ValueError) as exc:
        reader_gone()
        status = (fail(exc) if isinstance(exc, OSError) else None) or status
    sys.exit(status)


def fail(exc: BaseException) -> int | None:
    """For an error: print its one line on stderr and return the exit status.

    A bug gets one line too, unless CAPCLI_DEBUG is set: then None, and the caller lets the
    traceback through. Shared by every command
    (``commands._common.guard``) and by the fast path of `due`, which runs without Typer.
    """
    import sqlite3

    from capcli.errors import CapcliError, ExitStatus

    if isinstance(exc, CapcliError):
        err(exc.message)
        return int(exc.exit_status)
    if isinstance(exc, KeyboardInterrupt):
        err(_("cancelled: nothing was written"))
        return int(ExitStatus.REFUSED)
    if isinstance(exc, sqlite3.Error):
        err(_("the store could not be used: {reason}").format(reason=" ".join(str(exc).split())))
        return int(ExitStatus.REFUSED)
    if isinstance(exc, BrokenPipeError):  # `capcli report --csv | head`: the reader has all it wanted
        reader_gone()
        return int(ExitStatus.OK)  # quiet, and no failure under `set -o pipefail`
    if isinstance(exc, UnicodeEncodeError) and exc.reason == "surrogates not allowed":
        err(_not_utf8(exc))  # bytes that are not UTF-8 in a value used as given (a filter: list --adviser)
        return int(ExitStatus.REFUSED)
    if isinstance(exc, OSError):  # a full disk, an I/O error
        where = f" ({exc.filename})" if exc.filename else ""
        err(_("the system refused: {reason}{where}").format(reason=exc.strerror or type(exc).__name__, where=where))
        return int(ExitStatus.REFUSED)
    import os

    if isinstance(exc, Exception) and not os.environ.get("CAPCLI_DEBUG"):
        # A bug: one line rather than a traceback (its values could be people's data); the
        # transaction was rolled back. CAPCLI_DEBUG=1 lets the traceback through.
        err(_("internal error ({kind}): nothing was written; run again with CAPCLI_DEBUG=1 and report "
              "what it prints").format(kind=type(exc).__name__))
        return int(ExitStatus.REFUSED)
    return None


def _not_utf8(exc: UnicodeEncodeError) -> str:
    """The one line for a value that is not UTF-8: naming the option or variable that holds it."""
    import os

    from capcli.domain.validate import text_problem

    char = exc.object[exc.start]
    args = sys.argv[1:]
    what = next((name for name, value in os.environ.items() if name.startswith("CAPCLI_") and char in value),
                _("a value given"))
    for i, arg in enumerate(args):
        if char in arg:
            name, equals, _value = arg.partition("=")
            if arg.startswith("-") and equals:
                what = name
            elif i and args[i - 1].startswith("-"):
                what = args[i - 1]
            else:
                what = _("the argument '{value}'").format(value=safe(arg))
            break
    return _("{what}: {reason}").format(what=what, reason=text_problem(char))
