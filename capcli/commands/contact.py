"""capcli contact done | add | move: the follow-up contacts (`renew`: capcli/commands/renew.py)."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import ask_text, command_app, env, guard, on_date, parse_id, require, store
from capcli.domain.dates import parse_date
from capcli.domain import validate
from capcli.i18n import N_, _
from capcli.render import contacts as render
from capcli.render.options import AsJson
from capcli.services import contacts

app = command_app(
    help=_("Follow-up contacts: record one as done, plan one more, move one."),
    no_args_is_help=True,
)


@app.command("done")
@guard
def done(
    contact: str = typer.Argument(..., metavar="ID", help=_("Contact id (see 'capcli due' or 'capcli show').")),
    risk: bool = typer.Option(False, "--risk", help=_("The situation is at risk (default: stable).")),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help=_("What was said, for the journal.")),
    on: Optional[str] = typer.Option(
        None, "--on", metavar="DATE", help=_("Date of the contact (YYYY-MM-DD or DD/MM/YYYY); default today.")),
    reopen: bool = typer.Option(
        False, "--reopen", help=_("With --risk on a veille or suivi-conventionnel: open the maintien that follows it.")
    ),
    as_json: AsJson = False,
) -> None:
    """Record a follow-up contact as done, stable or at risk."""
    contact_id = parse_id(contact, _("contact id"))
    day = on_date(on)
    with store() as s:
        change = contacts.done(s, env(), contact_id, on=day, at_risk=risk, note=note, reopen=reopen)
    render.done(change, day, as_json)


@app.command("add")
@guard
def add(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help=_("Due date (YYYY-MM-DD or DD/MM/YYYY).")),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help=_("A note for the journal.")),
    as_json: AsJson = False,
) -> None:
    """Plan one more follow-up contact (a veille has 4 at most, within 18 months)."""
    case_id = parse_id(case, _("case id"))
    validate.text(note, N_("note"), multiline=True)  # checked before --on is asked
    due_on = parse_date(require(on, "--on", ask_text(_("Due date (DD/MM/YYYY)"))), "--on")
    with store() as s:
        change = contacts.add(s, env(), case_id, due_on=due_on, note=note)
    render.added(change, as_json)


@app.command("move")
@guard
def move(
    contact: str = typer.Argument(..., metavar="ID", help=_("Contact id.")),
    on: Optional[str] = typer.Option(
        None, "--on", metavar="DATE", help=_("New due date (YYYY-MM-DD or DD/MM/YYYY).")),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help=_("Why, for the journal.")),
    as_json: AsJson = False,
) -> None:
    """Give a follow-up contact still to do another due date."""
    contact_id = parse_id(contact, _("contact id"))
    validate.text(note, N_("note"), multiline=True)  # checked before --on is asked
    due_on = parse_date(require(on, "--on", ask_text(_("New due date (DD/MM/YYYY)"))), "--on")
    with store() as s:
        change, before = contacts.move(s, env(), contact_id, due_on=due_on, note=note)
    render.moved(change, before, as_json)
