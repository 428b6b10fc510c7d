"""Printing the activity report: plain text, rich tables and bars on a terminal, CSV, JSON.

rich is imported only by ``print_rich`` (stdout is a terminal); piped output is plain text.
"""

from __future__ import annotations

import csv
import io
import sys

from capcli.render import ui
from capcli.i18n import _, pgettext
from capcli.services.report import Report, Section

BAR_WIDTH = 12
# Bars keep apart by their glyph too, so that they read without colour (NO_COLOR).
GLYPHS = {"on_time": ("█", "green"), "late": ("▓", "yellow"), "overdue": ("░", "red"), "cases": ("█", "cyan")}


def titles() -> dict[str, str]:
    return {
        "cases": _("Cases: opened, closed and open at the end of the period"),
        "outcomes": _("Outcomes of the cases closed in the period"),
        "rates": _("Success rates"),
        "contacts": _("Follow-up contacts due in the period"),
        "needs": _("Compensation needs identified in the period"),
        "durations": _("Median duration of the cases closed in the period"),
        "measures": _("Measures started and ended in the period"),
        "uptake": _("Délai de prise en charge: from signalement to first action (cases opened)"),
    }


def headers() -> dict[str, str]:
    return {
        "kind": _("kind"), "adviser": _("adviser"), "month": _("month"), "opened": pgettext("count", "opened"),
        "closed": pgettext("count", "closed"), "open_at_end": _("open at end"), "outcome": _("outcome"), "cases": _("cases"),
        "share": _("share"), "rate": _("rate"), "successes": _("successes"), "value": _("value"),
        "due": pgettext("count", "due"), "on_time": _("on time"), "late": _("late"), "overdue": _("overdue"),
        "pending": _("not yet due"), "category": _("category"), "funder": _("funder"), "needs": _("needs"),
        "requested": _("requested"), "requested_amount": _("amount requested"), "granted": _("granted"),
        "granted_amount": _("amount granted"), "median_days": _("median days"),
        "measure": _("measure"), "started": _("started"), "ended": _("ended"),
        "signalement_by": _("signalled by"), "taken_up": _("taken up"), "within_30_days": _("within 30 days"),
    }


def rate_labels() -> dict[str, str]:
    """What the rates' codes (kept in --json and --csv) say on the text screen."""
    return {"maintien-success": _("maintien success"), "lasting-employment": _("lasting employment")}


def _cell(column: str, value) -> str:
    if value is None:
        return "—"
    if column == "rate":
        return rate_labels().get(value, value)
    if column in ("share", "value"):
        return ui.fmt_percent(value)
    if column.endswith("_amount"):
        return ui.fmt_amount(round(value * 100))
    if column == "median_days":
        return f"{value:g}"
    return str(value)


def _text_rows(section: Section, cell=None) -> list[list[str]]:
    cell = cell or _cell
    rows = [[cell(c, row[c]) for c in section.columns] for row in section.rows]
    if section.total is not None and section.rows:
        first = [_("total")] + [""] * (len(section.columns) - 1)
        rows.append([cell(c, section.total[c]) if c in section.total else first[i]
                     for i, c in enumerate(section.columns)])
    return rows


def _screen_cell(column: str, value) -> str:
    """On a terminal, amounts in whole euros: a glance, not an invoice (CSV and JSON keep cents)."""
    if column.endswith("_amount") and value is not None:
        return ui.fmt_amount(int(value + 0.5) * 100)[:-5] + " €"  # half up: 3,500.50 -> 3,501
    return _cell(column, value)


def _screen_rows(section: Section) -> tuple[tuple[str, ...], list[list[str]]]:
    """The columns and cells shown on a terminal: needs show each count with its amount
    ("2 · 3,501 €") so that the table fits 80 columns."""
    rows = _text_rows(section, _screen_cell)
    if section.name != "needs":
        return section.columns, rows
    merged = []
    for cells in rows:
        category, funder, needs, requested, requested_amount, granted, granted_amount = cells
        merged.append([category, funder, needs, f"{requested} · {requested_amount}", f"{granted} · {granted_amount}"])
    return ("category", "funder", "needs", "requested", "granted"), merged


def heading(report: Report) -> str:
    p = report.period
    who = _("all advisers") if report.adviser is None else _("adviser {name}").format(name=report.adviser)
    return _("Activity report {label} ({start} to {end}) · {who}").format(
        label=p.label, start=ui.fmt_date(p.start), end=ui.fmt_date(p.end), who=who)


def print_text(report: Report) -> None:
    names = headers()
    ui.out(heading(report))
    for section in report.sections.values():
        ui.out()
        ui.out(titles()[section.name])
        ui.columns([names[c] for c in section.columns], _text_rows(section), empty="  " + _("nothing in the period"))


def _bar(parts: list[tuple[str, int]], scale: int, colour: bool):
    from rich.text import Text

    bar = Text()
    for key, n in parts:
        glyph, style = GLYPHS[key]
        width = round(BAR_WIDTH * n / scale) if scale else 0
        if n and not width:
            width = 1
        bar.append(glyph * width, style=style if colour else None)
    return bar


def _bar_parts(section: str, row: dict) -> list[tuple[str, int]]:
    if section == "outcomes":
        return [("cases", row["cases"])]
    return [("on_time", row["on_time"]), ("late", row["late"]), ("overdue", row["overdue"])]


def print_rich(report: Report, no_color: bool) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    # stdout is a terminal (the caller checked); NO_COLOR: no ANSI sequence at all. Data (advisers'
    # names) is printed as it is: no markup ("[/bold]", "[link=...]"), no emoji code, ui.safe.
    console = Console(file=sys.stdout, force_terminal=True, color_system=None if no_color else "auto",
                      highlight=False, markup=False, emoji=False)
    colour = not no_color
    names = headers()
    console.print(ui.safe(heading(report)), style="bold" if colour else None)
    for section in report.sections.values():
        console.print()
        console.print(titles()[section.name], style="bold" if colour else None)
        table = Table(box=box.SIMPLE_HEAD, header_style="bold" if colour else None, pad_edge=False,
                      collapse_padding=True)
        columns, rows = _screen_rows(section)
        for column in columns:
            numeric = column not in ("kind", "adviser", "month", "outcome", "rate", "category", "funder", "measure",
                                     "signalement_by")
            header = names[column].replace(" ", "\n", 1) if len(names[column]) > 9 else names[column]
            table.add_column(header, justify="right" if numeric else "left", no_wrap=True, overflow="ellipsis",
                             min_width=max(map(len, header.split("\n"))) if numeric else None,
                             max_width=None if numeric else 20)
        bars = section.name in ("outcomes", "contacts")
        if bars:
            table.add_column("", min_width=BAR_WIDTH, no_wrap=True, overflow="crop")
        scale = max((sum(n for _key, n in _bar_parts(section.name, r)) for r in section.rows), default=0) \
            if bars else 0
        for row, cells in zip(section.rows + [None], rows):
            if bars:
                cells = cells + [_bar(_bar_parts(section.name, row), scale, colour) if row else ""]
            table.add_row(*(ui.safe(c) if isinstance(c, str) else c for c in cells), end_section=row is None)
        if not section.rows:
            console.print("  " + _("nothing in the period"))
        else:
            console.print(table)
        if section.name == "contacts" and section.rows:
            console.print("  " + "   ".join(
                f"{GLYPHS[key][0]} {names[key]}" for key in ("on_time", "late", "overdue")))


def csv_text(report: Report, only: str | None) -> str:
    """One table per section (a title line, the header, the rows, a total row), a blank line
    between sections; with ``only``, that section's table alone."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for i, section in enumerate(report.sections.values()):
        if not only:
            if i:
                buffer.write("\n")
            writer.writerow([section.name])
        writer.writerow(section.columns)
        for row in section.rows:
            writer.writerow(["" if row[c] is None else row[c] for c in section.columns])
        if section.total is not None:
            writer.writerow([section.total.get(c, "total" if j == 0 else "") for j, c in enumerate(section.columns)])
    return buffer.getvalue()


def json_data(report: Report) -> dict:
    data = {
        "period": {"label": report.period.label, "from": report.period.start, "to": report.period.end},
        "adviser": report.adviser,
        "by": report.by,
    }
    for name, section in report.sections.items():
        data[name] = {"rows": section.rows, "total": section.total}
    return data


def show(report: Report, *, only: str | None = None, as_json: bool = False, as_csv: bool = False,
         terminal: bool = False, colour: bool = False) -> None:
    """The report as ``--json``, ``--csv``, rich tables on a terminal, else plain text."""
    if as_json:
        ui.json_out(json_data(report))
    elif as_csv:
        ui.raw(csv_text(report, only).rstrip("\n"))
    elif terminal:
        print_rich(report, no_color=not colour)
    else:
        print_text(report)
