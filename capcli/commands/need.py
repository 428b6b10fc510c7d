"""capcli need add | set | list: compensation needs (besoins de compensation)."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import command_app, JSON_HELP, env, guard, on_date, parse_id, require, store
from capcli.i18n import _

app = command_app(help=_("Compensation needs (besoins de compensation) of a case."), no_args_is_help=True)

NONE = ""  # the "no funder yet" choice (questionary needs a non-None value)


def _amount_problem(answer: str) -> str | None:
    from capcli.domain.needs import parse_amount
    from capcli.errors import InvalidValue

    try:
        parse_amount(answer)
    except InvalidValue as exc:
        return exc.message
    return None


@app.command("add")
@guard
def add(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    category: Optional[str] = typer.Option(
        None, "--category", metavar="CODE",
        help=_("amenagement-poste, aide-technique, aide-humaine, amenagement-organisationnel, formation, "
               "mobilite, prestation-appui, autre."),
    ),
    description: Optional[str] = typer.Option(None, "--description", metavar="TEXT", help=_("What is needed.")),
    funder: Optional[str] = typer.Option(
        None, "--funder", metavar="CODE",
        help=_("agefiph, fiphfp, employeur, cpam, mdph, region, france-travail, autre (default: from the "
               "employer's sector).")),
    amount: Optional[str] = typer.Option(None, "--amount", metavar="EUROS", help=_("Amount in euros: 1250, 1250.50, '1 250,50 €', 1.250,50.")),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help=_("Date it was identified; default today.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Add a compensation need to a case and print its id."""
    from capcli.services import needs as service

    case_id = parse_id(case, _("case id"))
    day = on_date(on)
    e = env()
    asking = e.interactive and (category is None or description is None)
    suggested = None
    from capcli.domain import needs as need_rules

    # the options given are checked before asking, or refusing, what is missing
    if category is not None:
        need_rules.category(category)
    if funder is not None:
        need_rules.funder(funder)
    need_rules.parse_amount(amount)
    if asking:  # and the case before asking anything
        with store() as s:  # its employer suggests the funder
            suggested = service.funder_suggestion(s, service.open_case(s, case_id))

    def ask_category() -> str:
        from capcli import prompts
        from capcli.domain.codes import NEED_CATEGORIES

        return prompts.select(_("Category"), [(code, code) for code in NEED_CATEGORIES])

    def ask_description() -> str:
        from capcli import prompts

        return prompts.text(_("Description"), validate=lambda answer: None if answer.strip() else _("required"))

    category = require(category, "--category", ask_category)
    description = require(description, "--description", ask_description)
    if asking and funder is None:
        from capcli import prompts
        from capcli.domain.codes import FUNDERS

        funder = prompts.select(_("Funder"), [(_("(not known yet)"), NONE)] + [(code, code) for code in FUNDERS],
                                default=suggested or NONE)
    if asking and amount is None:
        from capcli import prompts

        amount = prompts.text(_("Amount in euros (empty if not known)"), validate=_amount_problem)
    with store() as s:
        need = service.add_need(s, e, case_id, category=category, description=description, funder=funder,
                                amount=amount, on=day, use_suggested_funder=funder is None)
    if as_json:
        ui.json_out({"id": need["id"], "funder": need["funder"]})
        return
    ui.out(str(need["id"]))


@app.command("set")
@guard
def set_(
    need: str = typer.Argument(..., metavar="NEED", help=_("Need id.")),
    status: Optional[str] = typer.Option(
        None, "--status", metavar="STATUS", help=_("demande, accorde, refuse or mis-en-place (forward only).")),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help=_("Date of the change; default today.")),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help=_("A note for the journal.")),
) -> None:
    """Move a need's status forward: identifie → demande → accorde | refuse → mis-en-place."""
    from capcli.services import needs as service

    need_id = parse_id(need, _("need id"))

    def ask_status() -> str:
        from capcli import prompts
        from capcli.domain.codes import NEED_STATUSES

        return prompts.select(_("New status"), [(code, code) for code in NEED_STATUSES])

    day = on_date(on)  # checked before a missing --status is asked or refused
    status = require(status, "--status", ask_status)
    with store() as s:
        before, after = service.set_status(s, env(), need_id, status=status, on=day, note=note)
    ui.out(_("need {id}: {before} -> {after}").format(id=need_id, before=before["status"], after=after))


@app.command("list")
@guard
def list_(
    case: Optional[str] = typer.Argument(None, metavar="[CASE]", help=_("Only this case's needs.")),
    status: Optional[str] = typer.Option(None, "--status", metavar="STATUS", help=_("Only needs with this status.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """List compensation needs, of one case or of all."""
    from capcli.render import views
    from capcli.domain import needs as rules
    from capcli.store import needs as need_store
    from capcli.store import queries

    case_id = parse_id(case, _("case id"))
    if status:
        status = rules.status(status)
    with store() as s:
        if case_id is not None:
            queries.get_case(s, case_id)
        found = need_store.list_needs(s, case_id=case_id, status=status)
    if as_json:
        ui.json_out([
            {**views.need_json(n), "case_id": n["case_id"], "kind": n["kind"],
             "person": f"{n['last_name']} {n['first_name']}"}
            for n in found
        ])
        return
    ui.columns(
        [_("id"), _("case"), _("person"), _("category"), _("description"), _("funder"), _("amount"), _("status"),
         _("since")],
        [[n["id"], n["case_id"], f"{n['last_name']} {n['first_name']}", n["category"], n["description"],
          n["funder"] or "", ui.fmt_amount(n["amount_cents"]), n["status"], ui.fmt_date(n["updated_on"])]
         for n in found],
        empty=_("No need recorded."),
    )
