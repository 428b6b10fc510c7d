"""capcli reassign --from ADVISER --to ADVISER: an adviser's open cases to another."""

from __future__ import annotations

from typing import List, Optional

import typer

from capcli.render import ui
from capcli.commands._common import command_app, JSON_HELP, ask_text, env, guard, parse_id, require, store
from capcli.i18n import _, ngettext


app = command_app()


@app.command("reassign")
@guard
def reassign(
    source: Optional[str] = typer.Option(None, "--from", metavar="ADVISER", help=_("The adviser whose cases move.")),
    target: Optional[str] = typer.Option(None, "--to", metavar="ADVISER", help=_("The adviser who takes them.")),
    kind: Optional[str] = typer.Option(None, "--kind", help=_("Only the open cases of this kind.")),
    cases: Optional[List[str]] = typer.Option(None, "--case", metavar="CASE",
                                              help=_("Only this case (repeat for several).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_("List what would move; write nothing.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Move an adviser's open cases to another adviser (closed history keeps its adviser)."""
    from capcli.services.corrections import reassign as move

    if kind:
        from capcli.domain import codes

        kind = codes.kind(kind).code  # refused before any question
    case_ids = [parse_id(c, _("case id")) for c in cases or []]
    source = require(source, "--from", ask_text(_("Adviser whose cases move (--from)")))
    target = require(target, "--to", ask_text(_("Adviser who takes them (--to)")))
    with store() as s:
        moved = move(s, env(), source=source.strip(), target=target.strip(), kind=kind, case_ids=case_ids,
                     dry_run=dry_run)
    if as_json:
        ui.json_out({"from": moved.source, "to": moved.target, "dry_run": dry_run,
                     "cases": [c["id"] for c in moved.cases], "contacts": moved.contacts})
        return
    if not moved.cases:
        ui.out(_("{name} has no open case to move").format(name=moved.source))
        return
    ui.columns([_("case"), _("kind"), _("phase"), _("person"), _("contacts to do")],
               [[c["id"], c["kind"], c["phase"], f"{c['last_name']} {c['first_name']}", c["pending"]]
                for c in moved.cases])
    count_cases = ngettext("{n} case", "{n} cases", len(moved.cases)).format(n=len(moved.cases))
    count_contacts = ngettext("{n} contact to do", "{n} contacts to do", moved.contacts).format(n=moved.contacts)
    sentence = (_("would move {cases} and {contacts} from {source} to {target} (dry run: nothing written)")
                if dry_run else _("moved {cases} and {contacts} from {source} to {target}"))
    ui.out(sentence.format(cases=count_cases, contacts=count_contacts, source=moved.source, target=moved.target))
