"""capcli employer add | list | edit"""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import ask_or_refuse, ask_text, codes_help, command_app, env, guard, require, store
from capcli.domain import codes, validate
from capcli.errors import InvalidValue
from capcli.i18n import N_, _
from capcli.render import people, ui
from capcli.render.changes import print_changes
from capcli.render.options import AsJson
from capcli.services import corrections, persons

app = command_app(help=_("Employers (SIRET-checked)."), no_args_is_help=True)

SECTOR_HELP = _("Sector: {codes} (prive: Agefiph, public: FIPHFP).").format(codes=codes_help(codes.SECTORS))


def ask_siret() -> str:
    """The SIRET, checked as it is typed (the same check as --siret)."""
    from capcli import prompts

    def check(answer: str) -> str | None:
        try:
            validate.siret(answer)
        except InvalidValue as exc:
            return exc.message
        return None

    return prompts.text(_("SIRET"), validate=check)


def ask_sector() -> str:
    from capcli import prompts

    return prompts.select(_("Sector"), [(code, code) for code in codes.SECTORS], default="prive")


@app.command("add")
@guard
def add(
    siret: Optional[str] = typer.Option(None, "--siret", metavar="SIRET", help=_("SIRET: 14 digits, checksum-validated.")),
    name: Optional[str] = typer.Option(None, "--name", metavar="NAME", help=_("Employer's name.")),
    sector: Optional[str] = typer.Option(None, "--sector", metavar="CODE", help=SECTOR_HELP + " " + _("Default: prive.")),
    as_json: AsJson = False,
) -> None:
    """Add an employer and print the new id (on a terminal, what is missing is asked)."""
    asking = env().interactive and (siret is None or name is None)
    # the values given are checked before asking, or refusing, what is missing
    if siret is not None:
        validate.siret(siret)
    if name is not None:
        validate.required_text(name, N_("employer name"))
    if sector is not None:
        codes.choice(sector, codes.SECTORS, _("sector"))
    siret = require(siret, "--siret", ask_siret)
    name = require(name, "--name", ask_text(_("Employer's name")))
    if sector is None:
        sector = ask_sector() if asking else "prive"
    with store(create=True) as s:
        employer_id = persons.add_employer(s, env(), siret=siret, name=name, sector=sector)
    people.added(employer_id, as_json)


@app.command("list")
@guard
def list_(as_json: AsJson = False) -> None:
    """List employers."""
    with store() as s:
        employers = persons.list_employers(s)
    if as_json:
        ui.json_out([people.employer_json(e) for e in employers])
    else:
        people.employer_list(employers)


@app.command("edit")
@guard
def edit(
    employer: str = typer.Argument(..., metavar="ID|SIRET", help=_("Employer id or SIRET.")),
    name: Optional[str] = typer.Option(None, "--name", metavar="NAME", help=_("Employer's name.")),
    sector: Optional[str] = typer.Option(None, "--sector", metavar="CODE", help=SECTOR_HELP),
    as_json: AsJson = False,
) -> None:
    """Correct an employer's name or sector (journaled with the fields' names)."""
    given = {key: value for key, value in (("name", name), ("sector", sector)) if value is not None}
    labels = {"name": _("Name"), "sector": _("Sector")}
    if not given:
        with store() as s:
            found = persons.get_employer(s, employer)  # an unknown employer is refused before any question
        given = ask_or_refuse(given, [(key, label, found[key]) for key, label in labels.items()], "--name, --sector")
    with store() as s:
        employer_id, changes = corrections.edit_employer(s, env(), employer, **given)
    print_changes(employer_id, changes, labels, as_json, _("employer {id} corrected:"),
                  _("employer {id}: nothing to correct (the values given are already recorded)"))
