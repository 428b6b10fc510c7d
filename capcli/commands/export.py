"""capcli export REPORT: the CSV reports (cases and contacts import back)."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import codes_help, command_app, complete_report, env, guard, store
from capcli.domain.records import REPORTS
from capcli.errors import UsageError
from capcli.files import user_path
from capcli.i18n import _
from capcli.render import transfer as screen
from capcli.render.options import AsJson
from capcli.services import transfer

app = command_app()


@app.command("export")
@guard
def export(
    report: str = typer.Argument(..., metavar="REPORT", autocompletion=complete_report,
                                 help=_("The report: {reports}.").format(reports=codes_help(REPORTS))),
    output: Optional[str] = typer.Option(None, "-o", "--output", metavar="FILE",
                                         help=_("Write to FILE (default: stdout).")),
    excel: bool = typer.Option(False, "--excel", help=_("For French Excel: UTF-8 with BOM, ';', dd/mm/yyyy.")),
    include_health: bool = typer.Option(
        False, "--include-health", help=_("Add health data (disability type, restrictions, health opinion).")
    ),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE",
                                        help=_("Only what happened on or after DATE.")),
    adviser: Optional[str] = typer.Option(None, "--adviser", metavar="NAME", help=_("Only this adviser's cases.")),
    as_json: AsJson = False,
) -> None:
    """Write a CSV report (the columns are in the README; cases and contacts import back).

    With -o FILE, --json prints {"path", "rows"}; without it the CSV itself goes to stdout."""
    if as_json and output is None:
        raise UsageError(_("--json needs -o FILE: without it the CSV itself goes to stdout"))
    output = user_path(output) if output is not None else None  # a bad name is refused before the store is opened
    with store() as s:
        result = transfer.export(s, report, include_health=include_health, since=since, adviser=adviser,
                                 author=env().adviser)
        screen.export(result, output, excel=excel, as_json=as_json)
