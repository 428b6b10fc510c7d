"""capcli import | export: bulk import of cases and contacts, CSV reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from capcli import ui
from capcli.commands._common import JSON_HELP, env, guard, store
from capcli.errors import UsageError
from capcli.i18n import _, ngettext

PROGRESS_MIN_BYTES = 1 << 20


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


def register(app: typer.Typer) -> None:
    app.command("import")(guard(import_))
    app.command("export")(guard(export))
