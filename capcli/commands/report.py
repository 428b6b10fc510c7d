"""capcli report: the activity report of a period, for an adviser or the whole agency."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import command_app, JSON_HELP, env, guard, store
from capcli.i18n import _

app = command_app()


@app.command("report")
@guard
def report(
    from_: Optional[str] = typer.Option(None, "--from", help=_("First day (YYYY-MM-DD or DD/MM/YYYY).")),
    to: Optional[str] = typer.Option(None, "--to", help=_("Last day (default today).")),
    year: Optional[str] = typer.Option(None, "--year", help=_("A calendar year: 2026.")),
    quarter: Optional[str] = typer.Option(None, "--quarter", help=_("A quarter: 2026-Q3.")),
    month: Optional[str] = typer.Option(None, "--month", help=_("A month: 2026-03.")),
    adviser: Optional[str] = typer.Option(
        None, "--adviser", help=_("This adviser's cases (default: yours, CAPCLI_ADVISER).")),
    all_: bool = typer.Option(False, "--all", help=_("The whole agency: every adviser's cases.")),
    by: str = typer.Option("kind", "--by", help=_("Break cases and contacts down by kind, adviser or month.")),
    as_csv: bool = typer.Option(False, "--csv", help=_("Print CSV: one table per section.")),
    section: Optional[str] = typer.Option(
        None, "--section", help=_("Only one section: cases, outcomes, rates, contacts, needs, durations.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Activity report of a period (default: this year to date): cases, outcomes, rates, contacts,
    needs and durations."""
    from capcli.render import report as report_view
    from capcli.domain import report as figures
    from capcli.errors import UsageError
    from capcli.services.report import build_report

    e = env()
    if adviser and all_:
        raise UsageError(_("--adviser and --all cannot be combined: choose one adviser or the whole agency"))
    if as_csv and as_json:
        raise UsageError(_("--csv and --json cannot be combined: choose one format"))
    period = figures.parse_period(e.today, from_=from_, to=to, year=year, quarter=quarter, month=month)
    grouping = figures.grouping(by)
    only = figures.section(section) if section else None
    who = None if all_ else (adviser.strip() if adviser else e.adviser)
    with store() as s:
        result = build_report(s, period, adviser=who, by=grouping, today=e.today, only=only)
    if as_json:
        ui.json_out(report_view.json_data(result))
    elif as_csv:
        ui.raw(report_view.csv_text(result, only).rstrip("\n"))
    elif e.stdout_isatty:
        report_view.print_rich(result, no_color=not e.colour)
    else:
        report_view.print_text(result)
