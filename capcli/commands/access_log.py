"""capcli access-log --person ID | --case ID: who looked at the health data of a person or a case."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import command_app, guard, parse_id, store
from capcli.errors import InvalidValue
from capcli.i18n import _
from capcli.render import access_log as render
from capcli.render.options import AsJson
from capcli.services import access_log

app = command_app()


@app.command("access-log")
@guard
def access_log_(
    person: Optional[str] = typer.Option(None, "--person", metavar="ID",
                                         help=_("The looks at this person's file and at their cases.")),
    case: Optional[str] = typer.Option(None, "--case", metavar="CASE", help=_("The looks at this case.")),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", help=_("Only the looks on or after DATE.")),
    as_json: AsJson = False,
) -> None:
    """Who looked at health data (diagnostic, restrictions, health opinion), when, and how."""
    if (person is None) == (case is None):
        raise InvalidValue(_("give --person ID or --case CASE (one of them)"))
    person_id, case_id = parse_id(person, _("person id")), parse_id(case, _("case id"))
    with store() as s:
        rows = access_log.entries(s, person_id=person_id, case_id=case_id, since=since)
    render.entries(rows, as_json)
