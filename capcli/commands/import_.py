"""capcli import FILE: a cases or contacts file, all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import command_app, JSON_HELP, env, guard, store
from capcli.errors import UsageError
from capcli.i18n import _, ngettext


app = command_app()


PROGRESS_MIN_BYTES = 1 << 20


@app.command("import")
@guard
def import_(
    file: str = typer.Argument(..., metavar="FILE", help=_("A cases or contacts file (CSV or JSON lines).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_("Check everything, write nothing.")),
    fmt: Optional[str] = typer.Option(None, "--format", help=_("csv or jsonl (default: from the file name).")),
    encoding: Optional[str] = typer.Option(
        None, "--encoding", help=_("The file's encoding (default: detected, UTF-8 or Windows-1252).")
    ),
    duplicate_ok: bool = typer.Option(
        False, "--duplicate-ok", help=_("Create a person even when one with the same names and birth date exists.")
    ),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Import a cases or contacts file, all or nothing (the columns of 'capcli export')."""
    from capcli.domain.records import BadRows
    from capcli.services.transfer import import_file

    if fmt is not None and fmt not in ("csv", "jsonl"):
        raise UsageError(_("unknown --format '{value}' (valid: csv, jsonl)").format(value=fmt))
    from capcli.files import user_path

    file = user_path(file)
    with _progress(file) as progress, store(create=not dry_run) as s:
        try:
            report = import_file(s, env(), file, dry_run=dry_run, fmt=fmt, encoding=encoding, progress=progress,
                                 duplicate_ok=duplicate_ok)
        except BadRows as exc:
            for line in exc.lines():
                ui.err(line)
            raise
    if report.ignored_columns:
        ui.err(_("ignored columns (health data is never imported): {columns}").format(
            columns=", ".join(report.ignored_columns)))
    if as_json:
        ui.json_out({"report": report.report, "rows": report.rows, "dry_run": dry_run, "counts": report.counts,
                     "changes": report.changes, "kept": report.kept})
        return
    head = _("would import") if dry_run else _("imported")
    ui.out(ngettext("{head} {rows} row of a {report} file", "{head} {rows} rows of a {report} file", report.rows)
           .format(head=head, rows=report.rows, report=report.report))
    labels = {"employers": _("employers"), "persons": _("persons"), "cases": _("cases"), "contacts": _("contacts")}
    for what, counts in report.counts.items():
        ui.out(_("  {what}: {created} created, {updated} updated, {unchanged} unchanged").format(
            what=labels.get(what, what), **counts))
    if dry_run:
        if report.changes:
            ui.out(_("what would change (old → new):"))
            for item in report.changes:
                ui.out("  " + _record_line(item, "{field} {old} → {new}"))
        if report.kept:
            ui.out(_("values that differ from the store and are kept (the store's, then the file's):"))
            for item in report.kept:
                ui.out("  " + _record_line(item, _("{field} {old} (file: {new})")))
        ui.out(_("dry run: nothing was written"))
    elif report.kept:
        count = sum(len(item["fields"]) for item in report.kept)
        ui.err(ngettext(
            "{count} value differs from the store and was kept: the store is the record (--dry-run lists it; "
            "correct with person edit, employer edit, case edit, reassign or contact move)",
            "{count} values differ from the store and were kept: the store is the record (--dry-run lists them; "
            "correct with person edit, employer edit, case edit, reassign or contact move)", count).format(count=count))


def _record_line(item: dict, form: str) -> str:
    """`line 4, case C1: phase diagnostic → solutions, closed_on - → 02/11/2026`"""
    from capcli.domain.records import DATE_COLUMNS

    records = {"employers": _("employer"), "persons": _("person"), "cases": _("case"), "contacts": _("contact")}

    def shown(field: str, value) -> str:
        if value is None:
            return "-"
        return ui.fmt_date(value) if field in DATE_COLUMNS else str(value)

    fields = ", ".join(form.format(field=f["field"], old=shown(f["field"], f["old"]), new=shown(f["field"], f["new"]))
                       for f in item["fields"])
    return _("line {line}, {record} {ref}: {fields}").format(
        line=item["line"], record=records[item["record"]], ref=item["ref"], fields=fields)


class _progress:
    """A rich progress bar on a terminal for big files; nothing when stderr is piped."""

    def __init__(self, file: Path):
        self.file = file
        self.bar = None

    def __enter__(self):
        try:
            size = self.file.stat().st_size
        except OSError:
            return None
        if size < PROGRESS_MIN_BYTES or not sys.stderr.isatty():
            return None
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        self.bar = Progress("{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                            transient=True, console=None)
        self.bar.start()
        task = self.bar.add_task(_("importing"), total=size)
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False
