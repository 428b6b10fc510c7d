"""capcli need add | set | list: compensation needs (besoins de compensation)."""

from __future__ import annotations

from typing import List, Optional

import typer

from capcli.commands._common import codes_help, command_app, env, guard, on_date, parse_id, require, store
from capcli.domain import codes
from capcli.domain import needs as need_rules
from capcli.domain import validate
from capcli.errors import InvalidValue, UsageError
from capcli.i18n import N_, _
from capcli.render import needs as render
from capcli.render import ui
from capcli.render.options import AsJson
from capcli.services import needs as service

app = command_app(help=_("Compensation needs (besoins de compensation) of a case."), no_args_is_help=True)

NONE = ""  # the "no funder yet" choice (questionary needs a non-None value)


def amount_problem(answer: str) -> str | None:
    try:
        need_rules.parse_amount(answer)
    except InvalidValue as exc:
        return exc.message
    return None


def ask_category() -> str:
    from capcli import prompts

    return prompts.select(_("Category"), [(code, code) for code in codes.NEED_CATEGORIES])


def ask_description() -> str:
    from capcli import prompts

    return prompts.text(_("Description"), validate=lambda answer: None if answer.strip() else _("required"))


def ask_funder(suggested: str | None) -> str:
    from capcli import prompts

    return prompts.select(_("Funder"), [(_("(not known yet)"), NONE)] + [(code, code) for code in codes.FUNDERS],
                          default=suggested or NONE)


def ask_amount() -> str:
    from capcli import prompts

    return prompts.text(_("Amount in euros (empty if not known)"), validate=amount_problem)


def ask_status(need_id: int) -> str:
    """The need first (refused when unknown or final), then only the statuses it may move to."""
    from capcli import prompts

    with store() as s:
        current, allowed = service.next_statuses(s, need_id)
    return prompts.select(_("New status (now {status})").format(status=current), [(code, code) for code in allowed])


@app.command("add")
@guard
def add(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    category: Optional[str] = typer.Option(
        None, "--category", metavar="CODE", help=_("Category: {codes}.").format(codes=codes_help(codes.NEED_CATEGORIES))),
    description: Optional[str] = typer.Option(None, "--description", metavar="TEXT", help=_("What is needed.")),
    funder: Optional[str] = typer.Option(
        None, "--funder", metavar="CODE",
        help=_("Funder: {codes} (default: from the employer's sector).").format(codes=codes_help(codes.FUNDERS))),
    amount: Optional[str] = typer.Option(
        None, "--amount", metavar="EUROS", help=_("Amount in euros: 1250, 1250.50, '1 250,50 €', 1.250,50.")),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help=_("Date it was identified; default today.")),
    aid: Optional[str] = typer.Option(
        None, "--aid", metavar="CODE",
        help=_("An aid of the catalogue ('capcli need aids'): its rules are checked, its category and funder "
               "filled in.")),
    renewal: Optional[str] = typer.Option(
        None, "--renewal", metavar="CODE",
        help=_("With --aid: the ground for a new one within its period (aggravation, obsolescence…).")),
    document: Optional[List[str]] = typer.Option(
        None, "--document", metavar="NAME", help=_("With --aid: a document already received (repeatable).")),
    as_json: AsJson = False,
) -> None:
    """Add a compensation need to a case and print its id."""
    case_id = parse_id(case, _("case id"))
    day = on_date(on)
    e = env()
    if aid is None and (renewal is not None or document):
        raise UsageError(_("--renewal and --document go with --aid CODE"))
    asking = e.interactive and aid is None and (category is None or description is None)
    # the options given are checked before asking, or refusing, what is missing
    if category is not None:
        need_rules.category(category)
    if funder is not None:
        need_rules.funder(funder)
    need_rules.parse_amount(amount)
    suggested = None
    if asking:  # and the case before asking anything
        with store() as s:  # its employer suggests the funder
            suggested = service.funder_suggestion(s, service.open_case(s, case_id))
    if aid is None:
        category = require(category, "--category", ask_category)
        description = require(description, "--description", ask_description)
    if asking and funder is None:
        funder = ask_funder(suggested)
    if asking and amount is None:
        amount = ask_amount()
    with store() as s:
        need = service.add_need(s, e, case_id, category=category, description=description, funder=funder,
                                amount=amount, on=day, use_suggested_funder=funder is None, aid=aid,
                                renewal=renewal, documents=tuple(document or ()))
    render.added(need, as_json)


@app.command("set")
@guard
def set_(
    need: str = typer.Argument(..., metavar="ID", help=_("Need id.")),
    status: Optional[str] = typer.Option(
        None, "--status", metavar="CODE",
        help=_("New status: {codes} (forward only: {lifecycle}).").format(
            codes=codes_help(codes.NEED_STATUSES[1:]), lifecycle=need_rules.LIFECYCLE)),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help=_("Date of the change; default today.")),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help=_("A note for the journal.")),
    as_json: AsJson = False,
) -> None:
    """Move a need's status forward: identifie → demande → accorde | refuse → mis-en-place."""
    need_id = parse_id(need, _("need id"))
    day = on_date(on)  # checked before a missing --status is asked or refused
    validate.text(note, N_("note"), multiline=True)
    if status is not None:
        need_rules.status(status)
    status = require(status, "--status", lambda: ask_status(need_id))
    with store() as s:
        before, after = service.set_status(s, env(), need_id, status=status, on=day, note=note)
        changed = service.listed_need(s, need_id) if as_json else None
    if as_json:
        ui.json_out(render.listed_json(changed))
    else:
        render.status_set(need_id, before["status"], after)


@app.command("list")
@guard
def list_(
    case: Optional[str] = typer.Argument(None, metavar="[CASE]", help=_("Only this case's needs.")),
    status: Optional[str] = typer.Option(
        None, "--status", metavar="CODE",
        help=_("Only needs with this status: {codes}.").format(codes=codes_help(codes.NEED_STATUSES))),
    as_json: AsJson = False,
) -> None:
    """List compensation needs, of one case or of all."""
    case_id = parse_id(case, _("case id"))
    if status:
        status = need_rules.status(status)
    with store() as s:
        found = service.list_needs(s, case_id=case_id, status=status, env=env())
    if as_json:
        ui.json_out([render.listed_json(n) for n in found])
    else:
        render.need_list(found)


@app.command("document")
@guard
def document_(
    need: str = typer.Argument(..., metavar="ID", help=_("Need id.")),
    names: List[str] = typer.Argument(..., metavar="NAME...", help=_("The documents received.")),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help=_("Date they were received; default today.")),
    as_json: AsJson = False,
) -> None:
    """Record documents received for a need of the aid catalogue, and say which are still missing."""
    need_id = parse_id(need, _("need id"))
    day = on_date(on)
    with store() as s:
        result = service.add_documents(s, env(), need_id, names, on=day)
    render.documents(result, as_json)


@app.command("aids")
@guard
def aids_(as_json: AsJson = False) -> None:
    """The aid catalogue: each aid's funder, amount, conditions and source (with the agency's aids.toml)."""
    from capcli.services.aids import catalogue

    render.aids(catalogue(env()), as_json)
