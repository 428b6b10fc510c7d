"""The screens of `capcli due`: the morning text (plain or in colour), JSON, CSV and iCalendar.

The text screen fits 80 columns in every language: a contact takes two lines (when and who, then
what: contact, case, kind), and a name or an employer too long for the line ends with '…'.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone

from capcli.domain.measures import MEASURES
from capcli.i18n import _, ngettext
from capcli.render import fit, ui

ICS_PRODID = "-//Cap emploi//capcli//FR"
FIELDS = ("section", "shown_on", "due_on", "days_late", "kind", "person", "employer", "adviser", "case_id",
          "contact_id", "number", "of")
SECTIONS = ("overdue", "today", "next")  # the order of services.due's sections on the screen
WIDTH = fit.WIDTH  # a text screen fits a terminal of 80 columns


def json_out(report) -> None:
    """``--json``: the contacts (``DueContact.as_dict()``), then the measures (``DueMeasure.as_dict()``)."""
    ui.json_out([c.as_dict() for c in report.contacts] + [m.as_dict() for m in report.measures])


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
    return ([(title, STYLES["title"])] + _contact_lines(report) + _measure_lines(report) + _rqth_lines(report)
            + _idle_lines(report))


def _contact_lines(report) -> list[tuple[str, str | None]]:
    if not report.contacts and not report.days:
        return [("", None), (_("No follow-up contact due today."), None)]
    if not report.contacts:
        return [("", None), (ngettext("No follow-up contact due today or in the next {days} day.",
                                      "No follow-up contact due today or in the next {days} days.",
                                      report.days).format(days=report.days), None)]
    rows, details = [], []
    for contact in report.contacts:
        rows.append([ui.fmt_due(contact.due_on, contact.shown_on), _when(contact, report.today), contact.person,
                     contact.employer or "-"])
        what = [_("contact {id} ({number}/{of})").format(id=contact.contact_id, number=contact.number, of=contact.of),
                _("case {id}").format(id=contact.case_id), contact.kind]
        details.append(" · ".join(what + ([contact.adviser] if report.adviser is None else [])))
    aligned = fit.narrowed(rows, (3, 2))
    indent = "    "  # what the contact is, under its date
    titles = {"overdue": _("Overdue"), "today": _("Today"), "next": ngettext("Next {days} day", "Next {days} days", report.days).format(days=report.days)}
    lines: list[tuple[str, str | None]] = []
    for name in SECTIONS:
        shown = [i for i, contact in enumerate(report.contacts) if contact.section == name]
        if shown:
            lines += [("", None), (f"{titles[name]} ({len(shown)})", STYLES["title"])]
            for i in shown:
                lines += [("  " + aligned[i], STYLES[name]),
                          (fit.clip(indent + ui.safe(details[i]), WIDTH), STYLES[name])]
    if any(c.shown_on != c.due_on for c in report.contacts):
        lines.append((_("  * due on a weekend or a public holiday: shown on the next working day"), STYLES["dim"]))
    return lines


def measure_what(measure) -> str:
    """What is to do about a measure (``DueMeasure.what``), in words: its date is the line's."""
    texts = {
        "ends": _("ends"),
        "ended": _("ended: record it or renew it"),
        "visit": _("on this day") if measure.days_late == 0 else _("held? record it"),
        "plan-by": _("to plan by then"),
        "plan-from": _("to plan, possible from then"),
    }
    return texts[measure.what]


def _measure_lines(report) -> list[tuple[str, str | None]]:
    if not report.measures:
        return []
    rows, details, styles = [], [], []
    for measure in report.measures:
        late = measure.days_late
        when = ngettext("{n} day late", "{n} days late", late).format(n=late) if late else _in_days(
            (measure.on - report.today).days)
        rows.append([ui.fmt_day(measure.on), when, measure.person, measure.employer or "-"])
        what = [_("measure {id} {name}").format(id=measure.measure_id, name=MEASURES[measure.measure].name),
                measure_what(measure), _("case {id} {kind}").format(id=measure.case_id, kind=measure.kind)]
        details.append(" · ".join(what + ([measure.adviser] if report.adviser is None else [])))
        styles.append(STYLES["overdue"] if late else STYLES["today"] if measure.on == report.today else None)
    title = _("Measures: ends and visits ({n})").format(n=len(report.measures))
    lines: list[tuple[str, str | None]] = [("", None), (title, STYLES["title"])]
    for text, detail, style in zip(fit.narrowed(rows, (3, 2)), details, styles):
        lines += [("  " + text, style), (fit.clip("    " + ui.safe(detail), WIDTH), style)]
    return lines


def _renewal_text(line, today: date) -> str:
    """The RQTH renewal of an RQTH line: to file, filed (and whether the RQTH runs on), refused by silence."""
    if line.renewal == "to-file":
        return _("renewal to file with the MDPH (person rqth-renewal {id} --filed DATE)").format(id=line.person_id)
    filed = ui.fmt_date(line.filed_on)
    if line.renewal == "silence":
        return _("renewal filed {date}: no decision for 4 months, refused by silence").format(date=filed)
    if line.filed_on > line.rqth_until:
        return _("renewal filed {date}, after the end date: awaiting the decision").format(date=filed)
    if line.runs_on and line.rqth_until < today:
        return _("renewal filed {date}, awaiting the decision: the RQTH runs on").format(date=filed)
    return _("renewal filed {date}, awaiting the decision").format(date=filed)


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
        styles.append(STYLES["ended"] if left < 0 and not line.runs_on else None)
    months = report.settings.rqth_warning_months
    title = ngettext("RQTH ending within {months} month, or ended ({n})",
                     "RQTH ending within {months} months, or ended ({n})", months).format(months=months, n=len(report.rqth))
    lines: list[tuple[str, str | None]] = [("", None), (title, STYLES["title"])]
    for text, style, line in zip(fit.narrowed(rows, (0, 3, 4)), styles, report.rqth):
        lines += [("  " + text, style), (fit.clip("    " + _renewal_text(line, report.today), WIDTH), style)]
    return lines


def _idle_lines(report) -> list[tuple[str, str | None]]:
    if not report.idle:
        return []
    rows = []
    for case in report.idle:
        if case.last_on:
            quiet = (report.today - case.last_on).days
            # TRANSLATORS: the last event of an idle case, under "Open cases with no event for 60 days".
            since = ngettext("{date} ({n} day)", "{date} ({n} days)", quiet).format(
                date=ui.fmt_date(case.last_on), n=quiet)
        else:
            since = _("no event")
        row = [_("case {id}").format(id=case.case_id), case.kind, case.phase, case.person, since]
        rows.append(row + ([case.adviser] if report.adviser is None else []))
    days = report.settings.idle_days
    title = ngettext("Open cases with no event for {days} day ({n})", "Open cases with no event for {days} days ({n})",
                     days).format(days=days, n=len(report.idle))
    return [("", None), (title, STYLES["title"])] + [("  " + text, None) for text in fit.narrowed(rows, (3, 5), (2, 1), (4,))]


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


def write_csv(report, stream=None) -> None:
    """The contacts as CSV (the keys of ``--json``, dates ISO) to ``stream`` (default: stdout)."""
    import csv

    stream = sys.stdout if stream is None else stream

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
    """The contacts and measures of ``report`` as an icalendar.Calendar: one all-day event each."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", ICS_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("capcli follow-up contacts"))
    stamp = datetime.now(timezone.utc).replace(microsecond=0)

    def add(uid: str, day: date, summary: str, details: list[str], category: str, employer: str | None) -> None:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        if employer:
            details.insert(1, _("employer: {name}").format(name=employer))
        event.add("description", "\n".join(details))
        event.add("categories", [category])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)

    for contact in report.contacts:
        details = [_("case {id}, contact {contact}").format(id=contact.case_id, contact=contact.contact_id)]
        if contact.shown_on != contact.due_on:
            details.append(_("due {date} (a weekend or public holiday)").format(date=ui.fmt_date(contact.due_on)))
        details.append(_("record it: capcli contact done {id}").format(id=contact.contact_id))
        add(contact_uid(contact.contact_id), contact.shown_on, _("Follow-up {number}/{of}: {person} ({kind})").format(
            number=contact.number, of=contact.of, person=contact.person, kind=contact.kind), details, contact.kind,
            contact.employer)
    for measure in report.measures:
        add(measure_uid(measure.measure_id), measure.on, _("{name} {what}: {person} ({kind})").format(
            name=MEASURES[measure.measure].name, what=measure_what(measure), person=measure.person, kind=measure.kind),
            [_("case {id}, measure {measure}").format(id=measure.case_id, measure=measure.measure_id)], measure.measure,
            measure.employer)
    return cal


def measure_uid(measure_id: int) -> str:
    """A measure's event UID: one per measure, so that a new import moves it (renewed, planned)."""
    return f"measure-{measure_id}@capcli"


def write_ics(report, path: str) -> int:
    """Write the calendar (contacts, then measures) to ``path`` ('-': stdout), readable by its owner
    only, and say so; return the event count."""
    data = calendar(report).to_ical()
    count = len(report.contacts) + len(report.measures)
    if path == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return count
    from capcli.files import open_for_writing

    with open_for_writing(path, binary=True) as file:
        file.write(data)
    contacts = len(report.contacts)
    written = ngettext("{n} contact written to {path}", "{n} contacts written to {path}", contacts).format(
        n=contacts, path=path)
    if report.measures:
        written += " " + ngettext("(and {n} measure date)", "(and {n} measure dates)", len(report.measures)).format(
            n=len(report.measures))
    ui.out(written)
    return count
