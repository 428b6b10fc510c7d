"""capcli export REPORT: the CSV reports (cases and contacts import back)."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import command_app, env, guard, store
from capcli.i18n import _, ngettext


app = command_app()


@app.command("export")
@guard
def export(
    report: str = typer.Argument(..., metavar="REPORT", help=_("cases, contacts, needs or persons.")),
    output: Optional[str] = typer.Option(None, "-o", "--output", metavar="FILE",
                                         help=_("Write to FILE (default: stdout).")),
    excel: bool = typer.Option(False, "--excel", help=_("For French Excel: UTF-8 with BOM, ';', dd/mm/yyyy.")),
    include_health: bool = typer.Option(
        False, "--include-health", help=_("Add health data (disability type, restrictions, health opinion).")
    ),
    since: Optional[str] = typer.Option(None, "--since", help=_("Only what happened on or after DATE.")),
    adviser: Optional[str] = typer.Option(None, "--adviser", help=_("Only this adviser's cases.")),
) -> None:
    """Write a CSV report (the columns are in the README; cases and contacts import back)."""
    import io

    from capcli.files import user_path
    from capcli.services import transfer

    output = user_path(output) if output is not None else None  # a bad name is refused before the store is opened
    with store() as s:
        if output is None:
            out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8-sig" if excel else "utf-8", newline="")
            try:
                transfer.export(s, report, out, excel=excel, include_health=include_health, since=since,
                                adviser=adviser, author=env().adviser)
            finally:
                out.flush()
                out.detach()
            return
        transfer.export_columns(report)  # an unknown report is refused before the file is created
        if since:
            from capcli.domain.dates import parse_date

            parse_date(since, "--since")
        out = transfer.open_output(output, excel=excel, private=True)  # every report names people
        with out:
            count = transfer.export(s, report, out, excel=excel, include_health=include_health, since=since,
                                    adviser=adviser, author=env().adviser)
    ui.out(ngettext("{count} row written to {path}", "{count} rows written to {path}", count)
           .format(count=count, path=output))
