"""capcli import FILE: a cases or contacts file, all or nothing."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import codes_help, command_app, env, guard, store
from capcli.domain.records import BadRows
from capcli.errors import UsageError
from capcli.files import user_path
from capcli.i18n import _
from capcli.render import transfer as screen
from capcli.render.options import AsJson
from capcli.services.transfer import import_file

app = command_app()

FORMATS = ("csv", "jsonl")


@app.command("import")
@guard
def import_(
    file: str = typer.Argument(..., metavar="FILE", help=_("A cases or contacts file (CSV or JSON lines).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_("Check everything, write nothing.")),
    fmt: Optional[str] = typer.Option(None, "--format", metavar="CODE",
                                      help=_("csv or jsonl (default: from the file name).")),
    encoding: Optional[str] = typer.Option(
        None, "--encoding", metavar="CODE", help=_("The file's encoding (default: detected, UTF-8 or Windows-1252).")
    ),
    duplicate_ok: bool = typer.Option(
        False, "--duplicate-ok", help=_("Create a person even when one with the same names and birth date exists.")
    ),
    as_json: AsJson = False,
) -> None:
    """Import a cases or contacts file, all or nothing (the columns of 'capcli export')."""
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(_("unknown --format '{value}' (valid: {valid})").format(value=fmt, valid=codes_help(FORMATS)))
    file = user_path(file)
    with screen.progress(file) as progress, store(create=not dry_run, scratch=dry_run) as s:
        try:
            report = import_file(s, env(), file, dry_run=dry_run, fmt=fmt, encoding=encoding, progress=progress,
                                 duplicate_ok=duplicate_ok)
        except BadRows as exc:
            screen.bad_rows(exc)
            raise
    screen.import_summary(report, dry_run=dry_run, as_json=as_json)
