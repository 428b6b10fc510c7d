"""capcli measure add | renew | end | list: time-limited measures on a case (PMSMP, essai encadré,
CRPE, visits around a sick leave), within their legal limits."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import codes_help, command_app, completion, env, guard, parse_id, store
from capcli.domain import measures as rules
from capcli.domain.dates import parse_date
from capcli.i18n import _
from capcli.render import measures as render
from capcli.render import ui
from capcli.render.options import AsJson
from capcli.services import measures as service

app = command_app(help=_("Time-limited measures of a case: PMSMP, essai encadré, CRPE, visits around a sick leave."),
                  no_args_is_help=True)


def _day(value: str | None, option: str):
    return parse_date(value, option) if value else None


@app.command("add")
@guard
def add(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    kind: str = typer.Argument(..., metavar="MEASURE", autocompletion=completion(lambda: list(rules.MEASURES)),
                               help=_("The measure: {codes}.").format(codes=codes_help(rules.MEASURES))),
    from_: Optional[str] = typer.Option(
        None, "--from", metavar="DATE", help=_("First day of a period; a visit's day (leave it out while it is to "
                                               "plan).")),
    to: Optional[str] = typer.Option(None, "--to", metavar="DATE", help=_("Last day of a period (default: its longest).")),
    off_since: Optional[str] = typer.Option(
        None, "--off-since", metavar="DATE", help=_("A visit: the first day off work (sick leave).")),
    return_on: Optional[str] = typer.Option(
        None, "--return-on", metavar="DATE", help=_("A visite de reprise: the day back at work.")),
    host: Optional[str] = typer.Option(None, "--host", metavar="TEXT", help=_("The host structure.")),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help=_("A note for the journal.")),
    as_json: AsJson = False,
) -> None:
    """Add a measure to an open case and print its id (its limit is checked: PMSMP one month, essai encadré 14
    jours ouvrables, CRPE 18 months, visits after so many days off work)."""
    case_id = parse_id(case, _("case id"))
    m = rules.kind(kind)
    dates = {"start": _day(from_, "--from"), "to": _day(to, "--to"), "off_since": _day(off_since, "--off-since"),
             "return_on": _day(return_on, "--return-on")}
    e = env()
    with store() as s:
        recorded = service.add_measure(s, e, case_id, kind=m.code, host=host, note=note, **dates)
    render.added(recorded, as_json)


@app.command("renew")
@guard
def renew(
    measure: str = typer.Argument(..., metavar="MEASURE", help=_("Measure id.")),
    to: Optional[str] = typer.Option(None, "--to", metavar="DATE", help=_("The new last day (default: its longest).")),
    as_json: AsJson = False,
) -> None:
    """Renew a PMSMP, an essai encadré (once) or a CRPE: a later end, within its limit."""
    measure_id = parse_id(measure, _("measure id"))
    day = _day(to, "--to")
    e = env()
    with store() as s:
        recorded = service.renew_measure(s, e, measure_id, to=day)
    render.renewed(recorded, as_json)


@app.command("end")
@guard
def end(
    measure: str = typer.Argument(..., metavar="MEASURE", help=_("Measure id.")),
    on: Optional[str] = typer.Option(
        None, "--on", metavar="DATE", help=_("The day it ended, or the visit was held (default: today, or its planned "
                                             "end once past).")),
    as_json: AsJson = False,
) -> None:
    """Record the end of a measure, or that a visit was held."""
    measure_id = parse_id(measure, _("measure id"))
    day = _day(on, "--on")
    e = env()
    with store() as s:
        recorded = service.end_measure(s, e, measure_id, on=day)
    render.ended(recorded, as_json)


@app.command("list")
@guard
def list_(
    case: Optional[str] = typer.Argument(None, metavar="[CASE]", help=_("Only this case's measures.")),
    as_json: AsJson = False,
) -> None:
    """List measures, of one case or of all."""
    case_id = parse_id(case, _("case id"))
    with store() as s:
        found = service.list_measures(s, env().today, case_id)
    if as_json:
        ui.json_out([render.listed_json(m) for m in found])
    else:
        render.measure_list(found)
