"""What `capcli import` and `capcli export` print and write: the import's summary and progress,
and the CSV writing of the exports (the service hands over columns and rows)."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

from capcli.domain import records
from capcli.i18n import _, ngettext
from capcli.render import ui

PROGRESS_MIN_BYTES = 1 << 20  # a progress bar for files from 1 MB on


# --- exports -------------------------------------------------------------------------


_QUOTED = re.compile(r"""'[=+\-@\t\r']""")
_QUOTED_CELL = re.compile(r"""(?:^|,)"?'[=+\-@\t\r']""", re.M)  # a CSV cell records.imported_cell would change


def _transform(columns: tuple[str, ...], excel: bool, report: str):
    dates = [i for i, c in enumerate(columns) if c in records.DATE_COLUMNS] if excel else []
    amount = columns.index("amount") if report == "needs" else None
    restrictions = columns.index("restrictions") if "restrictions" in columns else None
    if not excel and amount is None and restrictions is None:
        return None
    excel_date, excel_cell, first = records.excel_date, records.excel_cell, records.QUOTED_START
    texts = [i for i, c in enumerate(columns) if c not in records.NOT_TEXT_COLUMNS] if excel else []

    def transform(row):
        row = list(row)
        for i in dates:
            row[i] = excel_date(row[i])
        if amount is not None and row[amount] is not None:
            text = f"{row[amount] / 100:.2f}"
            row[amount] = text.replace(".", ",") if excel else text
        if restrictions is not None and row[restrictions]:
            try:
                row[restrictions] = " | ".join(json.loads(row[restrictions]))
            except (ValueError, TypeError):
                pass
        for i in texts:  # formulas neutralised (dates, numbers and flags cannot start as one)
            if row[i] and row[i][0] in first:
                row[i] = excel_cell(row[i])
        return row

    return transform


def write_csv(export, out: io.TextIOBase, *, excel: bool = False) -> int:
    """Write ``export`` (services.transfer.Export) as CSV to ``out``; return the number of rows.
    ``excel``: ';', CRLF, dd/mm/yyyy dates, decimal commas, every formula start neutralised."""
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    writer.writerow(export.columns)
    transform = _transform(export.columns, excel, export.report)
    buffer = io.StringIO()
    plain = csv.writer(buffer, lineterminator="\n")
    count = 0
    for chunk in export.chunks:
        rows = chunk if transform is None else list(map(transform, chunk))
        if excel:
            writer.writerows(rows)  # formulas neutralised by the transform (records.excel_cell)
        else:  # a cell that starts with ' + a formula start is rare: looked for in the chunk's text, at C speed
            buffer.seek(0)
            buffer.truncate()
            plain.writerows(rows)
            text = buffer.getvalue()
            if _QUOTED.search(text) is None or _QUOTED_CELL.search(text) is None:  # the first one is 20 times faster
                out.write(text)
            else:
                writer.writerows([records.csv_cell(v) for v in row] for row in rows)
        count += len(chunk)
    return count


def open_output(path: Path, *, excel: bool, private: bool) -> io.TextIOWrapper:
    """The export file: UTF-8 (with BOM for Excel); mode 0600 when it holds health data."""
    from capcli.files import open_for_writing

    return open_for_writing(path, private=private, encoding="utf-8-sig" if excel else "utf-8", newline="")


def export(export, output: Path | None, *, excel: bool = False, as_json: bool = False) -> None:
    """Write ``export`` to stdout, or to ``output`` (mode 0600: every report names people) and say
    how many rows went there (``{"path", "rows"}`` with ``as_json``)."""
    if output is None:
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8-sig" if excel else "utf-8", newline="")
        try:
            write_csv(export, out, excel=excel)
        finally:
            out.flush()
            out.detach()
        return
    with open_output(output, excel=excel, private=True) as out:
        count = write_csv(export, out, excel=excel)
    if as_json:
        ui.json_out({"path": str(output), "rows": count})
    else:
        ui.out(ngettext("{count} row written to {path}", "{count} rows written to {path}", count)
               .format(count=count, path=output))


# --- import --------------------------------------------------------------------------


def bad_rows(exc: records.BadRows) -> None:
    """The lines of a refused file, on stderr (the one-line summary follows from ``guard``)."""
    for line in exc.lines():
        ui.err(line)


def _record_line(item: dict, form: str) -> str:
    """`line 4, case C1: phase diagnostic → solutions, closed_on - → 02/11/2026`"""
    record_names = {"employers": _("employer"), "persons": _("person"), "cases": _("case"), "contacts": _("contact")}

    def shown(field: str, value) -> str:
        if value is None:
            return "-"
        return ui.fmt_date(value) if field in records.DATE_COLUMNS else str(value)

    fields = ", ".join(form.format(field=f["field"], old=shown(f["field"], f["old"]), new=shown(f["field"], f["new"]))
                       for f in item["fields"])
    return _("line {line}, {record} {ref}: {fields}").format(
        line=item["line"], record=record_names[item["record"]], ref=item["ref"], fields=fields)


def import_summary(report, *, dry_run: bool, as_json: bool = False) -> None:
    """What an import did (or would do): counts per record, and with --dry-run what would change
    and what differs but is kept; ``{"report", "rows", "dry_run", "counts", "changes", "kept"}``."""
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


class progress:
    """A rich progress bar on stderr for big files when it is a terminal; else nothing (None)."""

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
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn  # a terminal only

        self.bar = Progress("{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                            transient=True, console=None)
        self.bar.start()
        task = self.bar.add_task(_("importing"), total=size)
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False
