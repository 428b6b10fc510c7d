"""capcli report: the activity report of a period, for an adviser or the whole agency."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import codes_help, command_app, completion, env, guard, store
from capcli.domain import report as figures
from capcli.errors import UsageError
from capcli.i18n import _
from capcli.render import report as screen
from capcli.render.options import AsCsv, AsJson
from capcli.services.report import build_report

app = command_app()


@app.command("report")
@guard
def report(
    from_: Optional[str] = typer.Option(None, "--from", metavar="DATE",
                                        help=_("First day (YYYY-MM-DD or DD/MM/YYYY).")),
    to: Optional[str] = typer.Option(None, "--to", metavar="DATE", help=_("Last day (default today).")),
    year: Optional[str] = typer.Option(None, "--year", metavar="YEAR", help=_("A calendar year: 2026.")),
    quarter: Optional[str] = typer.Option(None, "--quarter", metavar="QUARTER", help=_("A quarter: 2026-Q3.")),
    month: Optional[str] = typer.Option(None, "--month", metavar="MONTH", help=_("A month: 2026-03.")),
    adviser: Optional[str] = typer.Option(
        None, "--adviser", metavar="NAME", help=_("This adviser's cases (default: yours, CAPCLI_ADVISER).")),
    all_: bool = typer.Option(False, "--all", help=_("The whole agency: every adviser's cases.")),
    by: str = typer.Option(
        "kind", "--by", metavar="CODE", autocompletion=completion(lambda: figures.GROUPINGS),
        help=_("Break cases and contacts down by: {groupings}.").format(groupings=codes_help(figures.GROUPINGS))),
    as_csv: AsCsv = False,
    section: Optional[str] = typer.Option(
        None, "--section", metavar="CODE", autocompletion=completion(lambda: figures.SECTIONS),
        help=_("Only one section: {sections}.").format(sections=codes_help(figures.SECTIONS))),
    as_json: AsJson = False,
) -> None:
    """Activity report of a period (default: this year to date): cases, outcomes, rates, contacts,
    needs and durations."""
    e = env()
    if adviser and all_:
        raise UsageError(_("--adviser and --all cannot be combined: choose one adviser or the whole agency"))
    if as_csv and as_json:
        raise UsageError(_("--csv and --json cannot be combined: choose one format"))
    period = figures.parse_period(e.today, from_=from_, to=to, year=year, quarter=quarter, month=month)
    grouping = figures.grouping(by)
    only = figures.section(section) if section else None
    with store() as s:  # opened first: on a team store, "you" is the database login
        who = None if all_ else (adviser.strip() if adviser else e.adviser)
        result = build_report(s, period, adviser=who, by=grouping, today=e.today, only=only)
    screen.show(result, only=only, as_json=as_json, as_csv=as_csv, terminal=e.stdout_isatty, colour=e.colour)
