"""capcli contact done | add | move, and capcli renew: the follow-up contacts."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui, views
from capcli.commands._common import command_app, JSON_HELP, ask_text, env, guard, on_date, parse_id, require, store
from capcli.i18n import _

app = command_app(
    help=_("Follow-up contacts: record one as done, plan one more, move one."),
    no_args_is_help=True,
)


@app.command("done")
@guard
def done(
    contact: str = typer.Argument(..., metavar="CONTACT", help=_("Contact id (see 'capcli due' or 'capcli show').")),
    risk: bool = typer.Option(False, "--risk", help=_("The situation is at risk (default: stable).")),
    note: Optional[str] = typer.Option(None, "--note", help=_("What was said, for the journal.")),
    on: Optional[str] = typer.Option(
        None, "--on", help=_("Date of the contact (YYYY-MM-DD or DD/MM/YYYY); default today.")),
    reopen: bool = typer.Option(
        False, "--reopen", help=_("With --risk on a veille or suivi-conventionnel: open the maintien that follows it.")
    ),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Record a follow-up contact as done, stable or at risk."""
    from capcli.domain import rules
    from capcli.services import contacts

    contact_id = parse_id(contact, _("contact id"))
    day = on_date(on)
    with store() as s:
        change = contacts.done(s, env(), contact_id, on=day, at_risk=risk, note=note, reopen=reopen)
    opened = change.reopened
    if as_json:
        data = views.change_json(change)
        data.update({"reopen_signal": change.reopen_signal,
                     "opened": None if opened is None else {"id": opened.case_id, "kind": opened.kind}})
        ui.json_out(data)
        return
    state = _("at risk") if risk else _("stable")
    ui.out(_("contact {id} done ({place}) on {date}: {state}").format(
        id=change.contact.id, place=views.contact_place(change), date=ui.fmt_date(day), state=state))
    case = change.case
    if opened is not None:
        ui.out(_("opened case {id} ({kind}): {reason}").format(id=opened.case_id, kind=opened.kind,
                                                              reason=_(opened.reason)))
        ui.out(_("case {id} ({kind}) stays open: close it when the maintien has taken over").format(
            id=case.id, kind=case.kind))
    elif change.reopen_signal:
        ui.out(_("the job is at risk again during a {kind}: a maintien should be re-opened (rule 8): "
                 "capcli open maintien --person {person} --follows {case}").format(
            kind=case.kind, person=case.person_id, case=case.id))
    elif case.kind == "suivi-conventionnel" and change.contact.number >= rules.SUIVI_MAX_CONTACTS:
        ui.out(_("next: 'capcli close {case} --outcome consolide' (the suivi was renewed already)").format(
            case=case.id))
    elif case.kind == "suivi-conventionnel":
        ui.out(_("next: 'capcli renew {case}' (once, a contact 3 months later) or 'capcli close {case} "
                 "--outcome consolide'").format(case=case.id))


@app.command("add")
@guard
def add(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    on: Optional[str] = typer.Option(None, "--on", help=_("Due date (YYYY-MM-DD or DD/MM/YYYY).")),
    note: Optional[str] = typer.Option(None, "--note", help=_("A note for the journal.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Plan one more follow-up contact (a veille has 4 at most, within 18 months)."""
    from capcli.domain.dates import parse_date
    from capcli.services import contacts

    case_id = parse_id(case, _("case id"))
    due_on = parse_date(require(on, "--on", ask_text(_("Due date (DD/MM/YYYY)"))), "--on")
    with store() as s:
        change = contacts.add(s, env(), case_id, due_on=due_on, note=note)
    if as_json:
        ui.json_out(views.change_json(change))
        return
    ui.out(str(change.contact.id))
    ui.out(_("  contact {id} due {date} ({place})").format(
        id=change.contact.id, date=ui.fmt_due(due_on), place=views.contact_place(change)))


@app.command("move")
@guard
def move(
    contact: str = typer.Argument(..., metavar="CONTACT", help=_("Contact id.")),
    on: Optional[str] = typer.Option(None, "--on", help=_("New due date (YYYY-MM-DD or DD/MM/YYYY).")),
    note: Optional[str] = typer.Option(None, "--note", help=_("Why, for the journal.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Give a follow-up contact still to do another due date."""
    from capcli.domain.dates import parse_date
    from capcli.services import contacts

    contact_id = parse_id(contact, _("contact id"))
    due_on = parse_date(require(on, "--on", ask_text(_("New due date (DD/MM/YYYY)"))), "--on")
    with store() as s:
        change, before = contacts.move(s, env(), contact_id, due_on=due_on, note=note)
    if as_json:
        ui.json_out({**views.change_json(change), "moved": before != due_on})
        return
    if before == due_on:
        ui.out(_("contact {id} ({place}) is already due {date}: nothing changed").format(
            id=contact_id, place=views.contact_place(change), date=ui.fmt_due(due_on)))
        return
    ui.out(_("contact {id} ({place}) moved from {before} to {after}").format(
        id=contact_id, place=views.contact_place(change), before=ui.fmt_due(before), after=ui.fmt_due(due_on)))
