"""capcli close CASE --outcome OUTCOME: close a case and apply the convention's rules 4 to 7."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import JSON_HELP, ON_HELP, command_app, env, guard, on_date, parse_id, require, store
from capcli.i18n import _


app = command_app()


@app.command("close")
@guard
def close(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    outcome: Optional[str] = typer.Option(None, "--outcome", help=_("How the case ends (see the README).")),
    a_risque: bool = typer.Option(
        False, "--a-risque", help=_("maintien-en-emploi only: the job stays at risk, open a veille.")
    ),
    force: bool = typer.Option(False, "--force", help=_("Close although its follow-up contacts are not done.")),
    contract: Optional[str] = typer.Option(
        None, "--contract", help=_("acces-emploi closed in a job: cdi, cdd or interim (checked against the outcome).")
    ),
    months: Optional[str] = typer.Option(None, "--months", metavar="N",
                                         help=_("Length of the CDD or interim, in months.")),
    note: Optional[str] = typer.Option(None, "--note", help=_("A note for the journal.")),
    on: Optional[str] = typer.Option(None, "--on", help=ON_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Close a case with its outcome; print what the rules opened and scheduled."""
    from capcli.domain.validate import whole_number
    from capcli.services.cases import close_case

    case_id = parse_id(case, _("case id"))
    months_count = whole_number(months, "--months", maximum=600)
    day = on_date(on)  # the values given are checked before a missing --outcome is asked or refused
    if contract is not None:
        from capcli.domain import codes

        codes.choice(contract, codes.CONTRACTS, _("contract"))

    def ask_outcome() -> str:
        from capcli import prompts
        from capcli.domain.codes import KINDS
        from capcli.domain.rules import check_closable
        from capcli.store import queries

        with store() as s:
            found = queries.get_case(s, case_id)
        check_closable(found)  # before asking: a closed case has no outcome to choose
        return prompts.select(_("Outcome"), [(code, code) for code in KINDS[found.kind].outcomes])

    outcome = require(outcome, "--outcome", ask_outcome)
    with store() as s:
        closed = close_case(s, env(), case_id, outcome=outcome, on=day, at_risk=a_risque, force=force, note=note,
                            contract=contract, months=months_count)
    if as_json:
        ui.json_out({
            "id": case_id,
            "outcome": closed.outcome,
            "opened": [
                {"id": o.case_id, "kind": o.kind, "contacts": [{"id": cid, "due_on": due} for cid, due in o.contacts],
                 "also_open": o.also_open}
                for o in closed.opened
            ],
        })
        return
    ui.out(_("case {id} closed: {outcome} ({date})").format(id=case_id, outcome=closed.outcome, date=ui.fmt_date(day)))
    for opened in closed.opened:
        ui.out(_("opened case {id} ({kind}): {reason}").format(id=opened.case_id, kind=opened.kind,
                                                              reason=_(opened.reason)))
        for contact_id, due_on in opened.contacts:
            ui.out(_("  contact {id} due {date}").format(id=contact_id, date=ui.fmt_due(due_on)))
        for other in opened.also_open:
            ui.out(_("  case {other} ({kind}) of this person is still open: close it when it is over").format(
                other=other, kind=opened.kind))
