"""capcli case edit: corrections of a case (see also `reassign` and `cancel`)."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import ask_or_refuse, codes_help, command_app, env, guard, parse_id, store
from capcli.domain import codes
from capcli.i18n import _
from capcli.render.changes import print_changes
from capcli.render.options import AsJson
from capcli.render.views import case_field_labels
from capcli.services.cases import get_case
from capcli.services.corrections import edit_case


app = command_app(help=_("Corrections of a case (see also 'reassign' and 'cancel')."), no_args_is_help=True)


@app.callback()
def group() -> None:
    """A group of its own (one command for now): `capcli case edit CASE …`."""


@app.command("edit")
@guard
def case_edit(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    adviser: Optional[str] = typer.Option(None, "--adviser", metavar="NAME",
                                          help=_("The adviser in charge (open cases only).")),
    employer: Optional[str] = typer.Option(None, "--employer", metavar="ID",
                                           help=_("Employer id or SIRET; \"\" for none.")),
    requested_by: Optional[str] = typer.Option(None, "--requested-by", metavar="CODE",
                                               help=_("Who asked: {codes}.").format(codes=codes_help(codes.REQUESTERS))),
    partner: Optional[str] = typer.Option(None, "--partner", metavar="TEXT",
                                          help=_("The partner who asked; \"\" for none.")),
    consent: bool = typer.Option(False, "--consent", help=_("The person's consent is now recorded.")),
    as_json: AsJson = False,
) -> None:
    """Correct a case: its adviser, employer, requester, partner or consent (journaled)."""
    case_id = parse_id(case, _("case id"))
    given = {key: value for key, value in (("adviser", adviser), ("employer", employer),
                                           ("requested_by", requested_by), ("partner", partner)) if value is not None}
    if consent:
        given["consent"] = True
    if not given:
        with store() as s:
            found = get_case(s, case_id)  # an unknown case is refused before any question
        labels = case_field_labels()
        given = ask_or_refuse(given, [("adviser", labels["adviser"], found.adviser),
                                      ("employer", labels["employer_id"], found.employer_id),
                                      ("requested_by", labels["requested_by"], found.requested_by),
                                      ("partner", labels["partner"], found.partner)],
                              "--adviser, --employer, --requested-by, --partner, --consent")
    with store() as s:
        changes = edit_case(s, env(), case_id, **given)
    print_changes(case_id, changes, case_field_labels(), as_json, _("case {id} corrected:"),
                  _("case {id}: nothing to correct (the values given are already recorded)"))
