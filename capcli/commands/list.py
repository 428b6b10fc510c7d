"""capcli list: many cases."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import command_app, JSON_HELP, guard, parse_id, store
from capcli.i18n import _


app = command_app()


@app.command("list")
@guard
def list_(
    adviser: Optional[str] = typer.Option(None, "--adviser", help=_("Only this adviser's cases.")),
    kind: Optional[str] = typer.Option(None, "--kind", help=_("Only cases of this kind.")),
    status: Optional[bool] = typer.Option(None, "--open/--closed", help=_("Only open, or only closed, cases.")),
    person: Optional[str] = typer.Option(None, "--person", help=_("Only this person's cases.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """List cases."""
    from capcli.domain import codes
    from capcli.store import queries

    if kind:
        kind = codes.kind(kind).code
    person_id = parse_id(person, _("person id"))
    wanted = None if status is None else ("open" if status else "closed")
    with store() as s:
        cases = queries.list_cases(s, adviser=adviser, kind=kind, status=wanted, person_id=person_id)
    if as_json:
        ui.json_out([
            {
                "id": c["id"], "kind": c["kind"], "phase": c["phase"],
                "status": "open" if c["closed_on"] is None else "cancelled" if c["cancelled_on"] else "closed",
                "outcome": c["outcome"],
                "person": {"id": c["person_id"], "name": f"{c['last_name']} {c['first_name']}"},
                "employer": c["employer_name"], "adviser": c["adviser"], "opened_on": c["opened_on"],
                "closed_on": c["closed_on"], "follows": c["follows_id"], "external_id": c["external_id"],
            }
            for c in cases
        ])
        return
    ui.columns(
        [_("id"), _("kind"), _("phase"), _("status"), _("person"), _("employer"), _("adviser"), _("opened"),
         _("closed")],
        [[c["id"], c["kind"], c["phase"], c["outcome"] or (_("cancelled") if c["cancelled_on"] else _("open")),
          f"{c['last_name']} {c['first_name']}",
          c["employer_name"] or "", c["adviser"], ui.fmt_date(c["opened_on"]), ui.fmt_date(c["closed_on"])]
         for c in cases],
        empty=_("No case matches."),
    )
