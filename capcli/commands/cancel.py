"""capcli cancel CASE --reason TEXT: a case opened by mistake leaves the caseload."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import ask_text, command_app, env, guard, parse_id, require, store
from capcli.i18n import _
from capcli.render import cases as render
from capcli.render.options import AsJson
from capcli.services.corrections import cancel_case, check_cancellable

app = command_app()


@app.command("cancel")
@guard
def cancel(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    reason: Optional[str] = typer.Option(None, "--reason", metavar="TEXT", help=_("Why it was opened by mistake.")),
    as_json: AsJson = False,
) -> None:
    """Cancel a case opened by mistake: it leaves the caseload, due and the report, and stays in the journal."""
    case_id = parse_id(case, _("case id"))

    def ask_reason() -> str:
        with store() as s:
            check_cancellable(s, case_id)  # before asking: a case with history is refused first
        return ask_text(_("Why was it opened by mistake?"))()

    reason = require(reason, "--reason", ask_reason)
    with store() as s:
        cancelled = cancel_case(s, env(), case_id, reason)
    render.cancelled(cancelled, as_json)
