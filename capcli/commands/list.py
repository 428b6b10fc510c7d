"""capcli list: many cases (your own by default, like `due` and `report`)."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import codes_help, command_app, complete_kind, env, guard, parse_id, store
from capcli.domain import codes
from capcli.errors import UsageError
from capcli.i18n import _
from capcli.render import cases as render
from capcli.render.options import AsJson
from capcli.services.cases import list_cases

app = command_app()


@app.command("list")
@guard
def list_(
    adviser: Optional[str] = typer.Option(
        None, "--adviser", metavar="NAME", help=_("Whose cases (default CAPCLI_ADVISER, else your user name).")),
    every: bool = typer.Option(False, "--all", help=_("Every adviser's cases (the agency's).")),
    kind: Optional[str] = typer.Option(None, "--kind", metavar="CODE", autocompletion=complete_kind,
                                       help=_("Only cases of this kind: {codes}.").format(
                                           codes=codes_help(codes.KINDS))),
    status: Optional[bool] = typer.Option(None, "--open/--closed", help=_("Only open, or only closed, cases.")),
    person: Optional[str] = typer.Option(None, "--person", metavar="ID", help=_("Only this person's cases.")),
    as_json: AsJson = False,
) -> None:
    """List cases: yours, a colleague's (--adviser) or the agency's (--all)."""
    if every and adviser:
        raise UsageError(_("--all and --adviser exclude each other: choose one"))
    if kind:
        kind = codes.kind(kind).code
    person_id = parse_id(person, _("person id"))
    wanted = None if status is None else ("open" if status else "closed")
    e = env()
    with store() as s:  # opened first: on a team store, "you" is the database login
        who = None if every else (adviser.strip() if adviser and adviser.strip() else e.adviser)
        # printed as read: a million cases are never held in memory
        render.case_list(list_cases(s, adviser=who, kind=kind, status=wanted, person_id=person_id),
                         with_adviser=who != e.adviser, as_json=as_json, terminal=e.stdout_isatty)
