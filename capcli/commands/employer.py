"""capcli employer add | list | edit"""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import command_app, JSON_HELP, ask_text, env, guard, require, store
from capcli.i18n import N_, _

app = command_app(help=_("Employers (SIRET-checked)."), no_args_is_help=True)


def _ask_siret() -> str:
    """The SIRET, checked as it is typed (the same check as --siret)."""
    from capcli import prompts
    from capcli.domain import validate
    from capcli.errors import InvalidValue

    def check(answer: str) -> str | None:
        try:
            validate.siret(answer)
        except InvalidValue as exc:
            return exc.message
        return None

    return prompts.text(_("SIRET"), validate=check)


@app.command("add")
@guard
def add(
    siret: Optional[str] = typer.Option(None, "--siret", help=_("SIRET: 14 digits, checksum-validated.")),
    name: Optional[str] = typer.Option(None, "--name", help=_("Employer's name.")),
    sector: str = typer.Option("prive", "--sector", help=_("prive (Agefiph) or public (FIPHFP).")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Add an employer and print the new id."""
    from capcli.domain import codes, validate
    from capcli.services.persons import add_employer

    # the values given are checked before asking, or refusing, what is missing
    if siret is not None:
        validate.siret(siret)
    if name is not None:
        validate.required_text(name, N_("employer name"))
    codes.choice(sector, codes.SECTORS, _("sector"))
    siret = require(siret, "--siret", _ask_siret)
    name = require(name, "--name", ask_text(_("Employer's name")))
    with store(create=True) as s:
        employer_id = add_employer(s, env(), siret=siret, name=name, sector=sector)
    if as_json:
        ui.json_out({"id": employer_id})
    else:
        ui.out(str(employer_id))


@app.command("list")
@guard
def list_(as_json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """List employers."""
    from capcli.store import queries

    with store() as s:
        employers = queries.list_employers(s)
    if as_json:
        ui.json_out(employers)
        return
    ui.columns(
        [_("id"), _("name"), _("SIRET"), _("sector")],
        [[e["id"], e["name"], e["siret"], e["sector"]] for e in employers],
        empty=_("No employer yet: 'capcli employer add --siret … --name …'."),
    )


@app.command("edit")
@guard
def edit(
    employer: str = typer.Argument(..., metavar="ID|SIRET", help=_("Employer id or SIRET.")),
    name: Optional[str] = typer.Option(None, "--name", help=_("Employer's name.")),
    sector: Optional[str] = typer.Option(None, "--sector", help=_("prive (Agefiph) or public (FIPHFP).")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Correct an employer's name or sector (journaled with the fields' names)."""
    from capcli.commands._common import ask_or_refuse
    from capcli.render.changes import print_changes
    from capcli.services.corrections import edit_employer
    from capcli.store import queries

    given = {key: value for key, value in (("name", name), ("sector", sector)) if value is not None}
    labels = {"name": _("Name"), "sector": _("Sector")}
    if not given:
        with store() as s:
            found = queries.get_employer(s, employer)  # an unknown employer is refused before any question
        given = ask_or_refuse(given, [(key, label, found[key]) for key, label in labels.items()], "--name, --sector")
    with store() as s:
        employer_id, changes = edit_employer(s, env(), employer, **given)
    print_changes(employer_id, changes, labels, as_json, _("employer {id} corrected:"),
                  _("employer {id}: nothing to correct (the values given are already recorded)"))
