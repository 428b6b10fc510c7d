"""capcli reassign --from NAME --to NAME: an adviser's open cases to another."""

from __future__ import annotations

from typing import List, Optional

import typer

from capcli.commands._common import codes_help, ask_text, command_app, complete_kind, env, guard, parse_id, require, store
from capcli.domain import codes
from capcli.i18n import _
from capcli.render import cases as render
from capcli.render.options import AsJson
from capcli.services.corrections import reassign as move

app = command_app()


@app.command("reassign")
@guard
def reassign(
    source: Optional[str] = typer.Option(None, "--from", metavar="NAME", help=_("The adviser whose cases move.")),
    target: Optional[str] = typer.Option(None, "--to", metavar="NAME", help=_("The adviser who takes them.")),
    kind: Optional[str] = typer.Option(None, "--kind", metavar="CODE", autocompletion=complete_kind,
                                       help=_("Only the open cases of this kind: {codes}.").format(
                                           codes=codes_help(codes.KINDS))),
    cases: Optional[List[str]] = typer.Option(None, "--case", metavar="CASE",
                                              help=_("Only this case (repeat for several).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_("List what would move; write nothing.")),
    as_json: AsJson = False,
) -> None:
    """Move an adviser's open cases to another adviser (closed history keeps its adviser)."""
    if kind:
        kind = codes.kind(kind).code  # refused before any question
    case_ids = [parse_id(c, _("case id")) for c in cases or []]
    source = require(source, "--from", ask_text(_("Adviser whose cases move (--from)")))
    target = require(target, "--to", ask_text(_("Adviser who takes them (--to)")))
    with store() as s:
        moved = move(s, env(), source=source.strip(), target=target.strip(), kind=kind, case_ids=case_ids,
                     dry_run=dry_run)
    render.reassigned(moved, dry_run, as_json)
