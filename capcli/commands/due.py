"""capcli due: the adviser's morning report, as text, JSON, CSV or an iCalendar file.

This module imports no typer at load time: the `capcli` script runs the common forms of
`capcli due` through ``fast()`` without building the Typer app (see ``capcli/entry.py``);
everything else, `--help` and every usage error included, goes through Typer. Its screens are
``capcli/render/due.py``.
"""

from __future__ import annotations

import atexit
import gc
import os

from capcli import env as env_module
from capcli import session
from capcli.domain.settings import BOUNDS as SETTING_BOUNDS
from capcli.errors import UsageError
from capcli.files import user_path
from capcli.i18n import _
from capcli.render import due as screen
from capcli.render import ui
from capcli.services.due import due_report


# --- the command ---------------------------------------------------------------------


def run(*, adviser: str | None = None, days: int | None = None, every: bool = False, as_json: bool = False,
        as_csv: bool = False, ics: str | None = None) -> None:
    """What `capcli due` does once its options are parsed (by Typer or by ``fast``)."""
    if every and adviser:
        raise UsageError(_("--all and --adviser exclude each other: choose one"))
    if sum((as_json, as_csv, ics is not None)) > 1:
        raise UsageError(_("--json, --csv and --ics exclude each other: choose one"))
    if ics not in (None, "-"):
        user_path(ics)  # a bad name is refused before the store is opened
    env = env_module.current()
    with session.store(read_only=True) as store:  # opened first: on a team store, "you" is the database login
        who = None if every else (adviser.strip() if adviser and adviser.strip() else env.adviser)
        report = due_report(store, today=env.today, adviser=who, days=days)
    if as_json:
        screen.json_out(report)
    elif as_csv:
        screen.write_csv(report)
    elif ics is not None:
        screen.write_ics(report, ics)
    else:
        screen.print_report(report, colour=env.colour)


def __getattr__(name: str):
    """``app``, the Typer app of `capcli due`, built on first use: the fast path above never imports
    typer (``capcli.app`` asks for it only when the command goes through Typer)."""
    if name != "app":
        raise AttributeError(name)
    from typing import Optional

    import typer

    from capcli.commands._common import command_app, guard
    from capcli.domain.validate import whole_number
    from capcli.render.options import AsCsv, AsJson

    # the annotations below are read in this module's names
    globals().update(AsCsv=AsCsv, AsJson=AsJson, Optional=Optional)
    app = command_app()

    @app.command("due")
    @guard
    def due(
        adviser: Optional[str] = typer.Option(
            None, "--adviser", metavar="NAME", help=_("Whose report (default CAPCLI_ADVISER, else your user name).")),
        days: Optional[str] = typer.Option(
            None, "--days", metavar="N", help=_("Show the next N days (default: setting due_days).")),
        every: bool = typer.Option(False, "--all", help=_("Every adviser's contacts.")),
        as_json: AsJson = False,
        as_csv: AsCsv = False,
        ics: Optional[str] = typer.Option(
            None, "--ics", metavar="FILE", help=_("Write the contacts to an iCalendar file ('-' for stdout).")),
    ) -> None:
        """Each morning: overdue, today's and the next days' contacts, RQTH ending, idle cases."""
        run(adviser=adviser, days=whole_number(days, "--days", maximum=MAX_DAYS), every=every, as_json=as_json,
            as_csv=as_csv, ics=ics)

    globals()["app"] = app
    return app


# --- the fast path -------------------------------------------------------------------

MAX_DAYS = SETTING_BOUNDS["due_days"][1]  # --days: as far ahead as the due_days setting may look
_FLAGS = {"--all": "every", "--json": "as_json", "--csv": "as_csv"}
_VALUES = {"--adviser": "adviser", "--days": "days", "--ics": "ics"}


def parse_fast(argv: list[str]) -> tuple[str | None, dict] | None:
    """``(db, options)`` when ``argv`` is a plain `[--db PATH] due [options]`; None for anything else."""
    db, i = None, 0
    while i < len(argv) and argv[i] != "due":
        if argv[i] == "--db" and i + 1 < len(argv):
            db, i = argv[i + 1], i + 2
        elif argv[i].startswith("--db="):
            db, i = argv[i][len("--db="):], i + 1
        else:
            return None
    if i >= len(argv) or db == "":
        return None
    options: dict = {}
    rest = argv[i + 1:]
    while rest:
        token, rest = rest[0], rest[1:]
        name, equals, value = token.partition("=")
        if name in _FLAGS and not equals:
            options[_FLAGS[name]] = True
        elif name in _VALUES:
            if not equals:
                if not rest:
                    return None
                value, rest = rest[0], rest[1:]
            if value.startswith("-") and value != "-":
                return None
            options[_VALUES[name]] = value
        else:
            return None
    if "days" in options:
        if not (options["days"].isascii() and options["days"].isdigit() and int(options["days"]) <= MAX_DAYS):
            return None  # the Typer path says what is wrong with it
        options["days"] = int(options["days"])
    return db, options


def fast(argv: list[str]) -> int | None:
    """Run `capcli due` without Typer when ``argv`` is plain; return its exit status, or None."""
    if any(key.startswith("_CAPCLI_COMPLETE") for key in os.environ):
        return None
    parsed = parse_fast(argv)
    if parsed is None:
        return None
    db, options = parsed
    env_module.start(db or None)  # a file name, or a team store's address (kept as text)
    # What the process holds goes with it: the collector's pass over every object at exit (6 ms of
    # the ~70 a morning `due` takes) is skipped, objects left in the frozen generation.
    atexit.register(gc.freeze)
    try:
        run(**options)
    except BaseException as exc:  # what commands._common.guard does, without importing Typer
        status = ui.fail(exc)
        if status is None:
            raise
        return status
    return 0


