"""capcli renew CASE: a suivi-conventionnel's one renewal."""

from __future__ import annotations


import typer

from capcli.render import ui, views
from capcli.commands._common import command_app, JSON_HELP, env, guard, parse_id, store
from capcli.i18n import _


app = command_app()


@app.command("renew")
@guard
def renew(
    case: str = typer.Argument(..., metavar="CASE", help=_("The suivi-conventionnel to renew.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Renew a suivi-conventionnel once: one more contact 3 months after the one done."""
    from capcli.services import contacts

    case_id = parse_id(case, _("case id"))
    with store() as s:
        change = contacts.renew(s, env(), case_id)
    if as_json:
        ui.json_out(views.change_json(change))
        return
    ui.out(_("case {case} renewed: contact {id} due {date} ({number}/{of})").format(
        case=case_id, id=change.contact.id, date=ui.fmt_due(change.contact.due_on),
        number=change.contact.number, of=change.of))
