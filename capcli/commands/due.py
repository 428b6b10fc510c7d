"""capcli due: the adviser's morning report, as text, JSON, CSV or an iCalendar file.

This module imports no typer at load time: the `capcli` script runs the common forms of
`capcli due` through ``fast()`` without building the Typer app (see ``capcli/entry.py``);
everything else, `--help` and every usage error included, goes through Typer.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

from capcli.render import ui
from capcli.domain.settings import BOUNDS as SETTING_BOUNDS
from capcli.i18n import _, ngettext

ICS_PRODID = "-//Cap emploi//capcli//FR"
FIELDS = ("section", "shown_on", "due_on", "days_late", "kind", "person", "employer", "adviser", "case_id",
          "contact_id", "number", "of")


# --- the command ---------------------------------------------------------------------


def run(*, adviser: str | None = None, days: int | None = None, every: bool = False, as_json: bool = False,
        as_csv: bool = False, ics: str | None = None) -> None:
    """What `capcli due` does once its options are parsed (by Typer or by ``fast``)."""
    from capcli import env as env_module
    from capcli import session
    from capcli.errors import UsageError
    from capcli.services.due import due_report

    if every and adviser:
        raise UsageError(_("--all and --adviser exclude each other: choose one"))
    if sum((as_json, as_csv, ics is not None)) > 1:
        raise UsageError(_("--json, --csv and --ics exclude each other: choose one"))
    if ics not in (None, "-"):
        from capcli.files import user_path

        user_path(ics)  # a bad name is refused before the store is opened
    env = env_module.current()
    who = None if every else (adviser.strip() if adviser and adviser.strip() else env.adviser)
    with session.store() as store:
        report = due_report(store, today=env.today, adviser=who, days=days)
    if as_json:
        ui.json_out([c.as_dict() for c in report.contacts])
    elif as_csv:
        write_csv(report, sys.stdout)
    elif ics is not None:
        count = write_ics(report, ics)
        if ics != "-":
            ui.out(ngettext("{n} contact written to {path}", "{n} contacts written to {path}", count).format(
                n=count, path=ics))
    else:
        print_report(report, colour=env.colour)


def __getattr__(name: str):
    """``app``, the Typer app of `capcli due`, built on first use: the fast path above never imports
    typer (``capcli.app`` asks for it only when the command goes through Typer)."""
    if name != "app":
        raise AttributeError(name)
    import typer

    from capcli.commands._common import JSON_HELP, command_app, guard

    app = command_app()

    @app.command("due")
    @guard
    def due(
        adviser: Optional[str] = typer.Option(
            None, "--adviser", help=_("Whose report (default CAPCLI_ADVISER, else your user name).")),
        days: Optional[str] = typer.Option(
            None, "--days", metavar="N", help=_("Show the next N days (default: setting due_days).")),
        every: bool = typer.Option(False, "--all", help=_("Every adviser's contacts.")),
        as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
        as_csv: bool = typer.Option(False, "--csv", help=_("Print the contacts as CSV.")),
        ics: Optional[str] = typer.Option(
            None, "--ics", metavar="FILE", help=_("Write the contacts to an iCalendar file ('-' for stdout).")),
    ) -> None:
        """Each morning: overdue, today's and the next days' contacts, RQTH ending, idle cases."""
        from capcli.domain.validate import whole_number

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
    import os

    if any(key.startswith("_CAPCLI_COMPLETE") for key in os.environ):
        return None
    parsed = parse_fast(argv)
    if parsed is None:
        return None
    from capcli import env as env_module

    db, options = parsed
    env_module.start(Path(db) if db else None)
    try:
        run(**options)
    except BaseException as exc:  # what commands._common.guard does, without importing Typer
        status = ui.fail(exc)
        if status is None:
            raise
        return status
    return 0


# --- text --------------------------------------------------------------------------


STYLES = {"overdue": "bold red", "today": "bold", "next": None, "title": "bold", "ended": "red", "dim": "dim"}


def _when(contact, today: date) -> str:
    if contact.section == "overdue":
        return ngettext("{n} day late", "{n} days late", contact.days_late).format(n=contact.days_late)
    if contact.section == "today":
        return _("today")
    ahead = (contact.shown_on - today).days
    return _("tomorrow") if ahead == 1 else _in_days(ahead)


def _in_days(n: int) -> str:
    if n == 0:
        return _("today")
    if n < 0:
        return ngettext("{n} day ago", "{n} days ago", -n).format(n=-n)
    return ngettext("in {n} day", "in {n} days", n).format(n=n)


def report_lines(report) -> list[tuple[str, str | None]]:
    """The text screen as (line, style) pairs; styles are used on a colour terminal only."""
    who = report.adviser if report.adviser is not None else _("every adviser")
    if report.empty:
        if not report.days:
            return [(_("Nothing due for {who} today, no RQTH to renew, no idle case: have a good day.").format(
                who=who), None)]
        return [(ngettext("Nothing due for {who} today or in the next {days} day, no RQTH to renew, no idle case: "
                          "have a good day.",
                          "Nothing due for {who} today or in the next {days} days, no RQTH to renew, no idle case: "
                          "have a good day.", report.days).format(who=who, days=report.days), None)]
    title = _("Due for {who} · {today}").format(who=who, today=ui.fmt_day(report.today))
    return [(title, STYLES["title"])] + _contact_lines(report) + _rqth_lines(report) + _idle_lines(report)


def _contact_lines(report) -> list[tuple[str, str | None]]:
    from capcli.services.due import SECTIONS

    if not report.contacts and not report.days:
        return [("", None), (_("No follow-up contact due today."), None)]
    if not report.contacts:
        return [("", None), (ngettext("No follow-up contact due today or in the next {days} day.",
                                      "No follow-up contact due today or in the next {days} days.",
                                      report.days).format(days=report.days), None)]
    rows = []
    for contact in report.contacts:
        row = [ui.fmt_due(contact.due_on, contact.shown_on),
               _when(contact, report.today), contact.kind, contact.person, contact.employer or "-",
               _("case {id}").format(id=contact.case_id), _("contact {id}").format(id=contact.contact_id),
               f"{contact.number}/{contact.of}"]
        rows.append(row + ([contact.adviser] if report.adviser is None else []))
    aligned = ui.align(rows)
    titles = {"overdue": _("Overdue"), "today": _("Today"), "next": ngettext("Next {days} day", "Next {days} days", report.days).format(days=report.days)}
    lines: list[tuple[str, str | None]] = []
    for name in SECTIONS:
        shown = [i for i, contact in enumerate(report.contacts) if contact.section == name]
        if shown:
            lines += [("", None), (f"{titles[name]} ({len(shown)})", STYLES["title"])]
            lines += [("  " + aligned[i], STYLES[name]) for i in shown]
    if any(c.shown_on != c.due_on for c in report.contacts):
        lines.append((_("  * due on a weekend or a public holiday: shown on the next working day"), STYLES["dim"]))
    return lines


def _rqth_lines(report) -> list[tuple[str, str | None]]:
    if not report.rqth:
        return []
    rows, styles = [], []
    for line in report.rqth:
        left = (line.rqth_until - report.today).days
        ends = _("ended {date}") if left < 0 else _("ends {date}")
        row = [line.person, ends.format(date=ui.fmt_date(line.rqth_until)), _in_days(left),
               ", ".join(_("case {id} {kind}").format(id=i, kind=k) for i, k in line.cases)]
        rows.append(row + ([", ".join(line.advisers)] if report.adviser is None else []))
        styles.append(STYLES["ended"] if left < 0 else None)
    months = report.settings.rqth_warning_months
    title = ngettext("RQTH ending within {months} month, or ended ({n})",
                     "RQTH ending within {months} months, or ended ({n})", months).format(months=months, n=len(report.rqth))
    return [("", None), (title, STYLES["title"])] + [("  " + text, style)
                                                     for text, style in zip(ui.align(rows), styles)]


def _idle_lines(report) -> list[tuple[str, str | None]]:
    if not report.idle:
        return []
    rows = []
    for case in report.idle:
        if case.last_on:
            quiet = (report.today - case.last_on).days
            since = ngettext("last event {date} ({n} day)", "last event {date} ({n} days)", quiet).format(
                date=ui.fmt_date(case.last_on), n=quiet)
        else:
            since = _("no event")
        row = [_("case {id}").format(id=case.case_id), case.kind, case.phase, case.person, since]
        rows.append(row + ([case.adviser] if report.adviser is None else []))
    days = report.settings.idle_days
    title = ngettext("Open cases with no event for {days} day ({n})", "Open cases with no event for {days} days ({n})",
                     days).format(days=days, n=len(report.idle))
    return [("", None), (title, STYLES["title"])] + [("  " + text, None) for text in ui.align(rows)]


def print_report(report, *, colour: bool = False) -> None:
    lines = report_lines(report)
    if not colour:
        ui.out("\n".join(text for text, _style in lines))
        return
    from rich.console import Console  # only on a terminal that wants colours
    from rich.text import Text

    screen = Text()  # a Text: no markup read in the data
    for text, style in lines:
        screen.append(ui.safe(text) + "\n", style=style)
    Console(highlight=False, soft_wrap=True, emoji=False).print(screen, end="")


# --- CSV and iCalendar ---------------------------------------------------------------


def write_csv(report, stream) -> None:
    import csv

    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(FIELDS)
    for contact in report.contacts:
        data = contact.as_dict()
        writer.writerow(["" if data[key] is None else (data[key].isoformat() if isinstance(data[key], date)
                                                       else data[key]) for key in FIELDS])


def contact_uid(contact_id: int) -> str:
    """The event's UID: the same contact always gets the same UID, so a new import updates it."""
    return f"contact-{contact_id}@capcli"


def calendar(report):
    """The contacts of ``report`` as an icalendar.Calendar: one all-day event per contact."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", ICS_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("capcli follow-up contacts"))
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for contact in report.contacts:
        event = Event()
        event.add("uid", contact_uid(contact.contact_id))
        event.add("dtstamp", stamp)
        event.add("dtstart", contact.shown_on)
        event.add("dtend", contact.shown_on + timedelta(days=1))
        event.add("summary", _("Follow-up {number}/{of}: {person} ({kind})").format(
            number=contact.number, of=contact.of, person=contact.person, kind=contact.kind))
        details = [_("case {id}, contact {contact}").format(id=contact.case_id, contact=contact.contact_id)]
        if contact.employer:
            details.append(_("employer: {name}").format(name=contact.employer))
        if contact.shown_on != contact.due_on:
            details.append(_("due {date} (a weekend or public holiday)").format(date=ui.fmt_date(contact.due_on)))
        details.append(_("record it: capcli contact done {id}").format(id=contact.contact_id))
        event.add("description", "\n".join(details))
        event.add("categories", [contact.kind])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal


def write_ics(report, path: str) -> int:
    """Write the calendar to ``path`` ('-': stdout), readable by its owner only; return the event count."""
    data = calendar(report).to_ical()
    if path == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return len(report.contacts)
    from capcli.files import open_for_writing

    with open_for_writing(path, binary=True) as file:
        file.write(data)
    return len(report.contacts)
