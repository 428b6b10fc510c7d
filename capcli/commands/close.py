"""capcli close CASE --outcome CODE: close a case and apply the convention's rules 4 to 7."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import (ON_HELP, codes_help, command_app, complete_outcome, env, guard, on_date,
                                     parse_id, require, store)
from capcli.domain import codes
from capcli.domain.rules import closes_in_a_job
from capcli.domain.validate import whole_number
from capcli.errors import Cancelled, CapcliError
from capcli.i18n import _
from capcli.render import cases as render
from capcli.render import ui
from capcli.render.options import AsJson
from capcli.services.cases import close_case, closable_case

app = command_app()

MAX_MONTHS = 600


def outcomes_help() -> str:
    """Each kind's outcomes, from codes.KINDS."""
    return "; ".join(f"{kind.code}: {codes_help(kind.outcomes)}" for kind in codes.KINDS.values())


@app.command("close")
@guard
def close(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    outcome: Optional[str] = typer.Option(None, "--outcome", metavar="CODE", autocompletion=complete_outcome,
                                          help=_("How the case ends, by kind: {outcomes}.").format(
                                              outcomes=outcomes_help())),
    a_risque: bool = typer.Option(
        False, "--a-risque", help=_("maintien-en-emploi only: the job stays at risk, open a veille.")
    ),
    force: bool = typer.Option(False, "--force", help=_("Close although its follow-up contacts are not done.")),
    contract: Optional[str] = typer.Option(
        None, "--contract", metavar="CODE",
        help=_("acces-emploi closed in a job: {codes} (checked against the outcome).").format(
            codes=codes_help(codes.CONTRACTS))
    ),
    months: Optional[str] = typer.Option(None, "--months", metavar="N",
                                         help=_("Length of the CDD or interim, in months.")),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help=_("A note for the journal.")),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help=ON_HELP),
    as_json: AsJson = False,
) -> None:
    """Close a case with its outcome; print what the rules opened and scheduled."""
    case_id = parse_id(case, _("case id"))
    months_count = whole_number(months, "--months", maximum=MAX_MONTHS)
    day = on_date(on)  # the values given are checked before a missing --outcome is asked or refused
    if contract is not None:
        contract = codes.choice(contract, codes.CONTRACTS, _("contract"))
    if outcome is None:
        outcome, contract, months_count = require(
            None, "--outcome", lambda: ask_outcome(case_id, day, contract, months_count))
    with store() as s:
        closed = close_case(s, env(), case_id, outcome=outcome, on=day, at_risk=a_risque, force=force, note=note,
                            contract=contract, months=months_count)
    render.closed(case_id, closed, day, as_json)


def ask_outcome(case_id: int, day, contract: str | None, months: int | None) -> tuple[str, str | None, int | None]:
    """On a terminal: the outcome among the kind's, the contract of a job (acces-emploi), then a
    confirmation showing what will be recorded."""
    from capcli import prompts

    with store() as s:
        found = closable_case(s, case_id)  # before asking: a closed case has no outcome to choose
    outcome = prompts.select(_("Outcome"), [(code, code) for code in codes.KINDS[found.kind].outcomes])
    if closes_in_a_job(found.kind, outcome):
        if contract is None:
            contract = prompts.select(_("Contract"), [(code, code) for code in codes.CONTRACTS])
        if contract != "cdi" and months is None:
            months = int(prompts.text(_("Length of the contract, in months"), validate=months_problem))
    job = "" if contract is None else f" ({contract}" + (f" {months}" if months is not None else "") + ")"
    if not prompts.confirm(_("Close case {id} ({kind}): {outcome}{job} on {date}?").format(
            id=case_id, kind=found.kind, outcome=outcome, job=job, date=ui.fmt_date(day))):
        raise Cancelled(_("cancelled: nothing was written"))
    return outcome, contract, months


def months_problem(answer: str) -> str | None:
    try:
        whole_number(answer.strip(), "--months", maximum=MAX_MONTHS)
    except CapcliError as exc:
        return exc.message
    return None if answer.strip() else _("required")
