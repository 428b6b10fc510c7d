"""capcli open KIND --person ID: open a case (the person picker asks on a terminal)."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import JSON_HELP, ON_HELP, command_app, env, guard, on_date, parse_id, require, store
from capcli.i18n import _


app = command_app()


def _ask_kind() -> str:
    from capcli import prompts
    from capcli.domain.codes import KINDS

    return prompts.select(_("Kind of accompaniment"), [(code, code) for code in KINDS])


PERSON_CHOICES = 300  # more than that is not a list anyone scrolls: ask for part of the name first


def _ask_person() -> int:
    """The person of a new case: chosen in the list (not anonymised), after a search when the
    store holds more people than a list can show."""
    from capcli import prompts
    from capcli.errors import RuleError
    from capcli.store import queries

    with store() as s:
        persons = queries.list_persons(s, limit=PERSON_CHOICES + 1, active_only=True)
        if not persons:
            raise RuleError(_("no person in the store yet: add one with 'capcli person add'"))
        while not persons or len(persons) > PERSON_CHOICES:
            search = prompts.text(_("Person: part of the name"),
                                  validate=lambda answer: None if answer.strip() else _("required")).strip()
            persons = queries.list_persons(s, search=search, limit=PERSON_CHOICES + 1, active_only=True)
            if not persons:
                ui.err(_("no one matches '{search}'").format(search=search))
    return prompts.select(
        _("Person"), [(f"{queries.person_name(p)} ({p['id']})", p["id"]) for p in persons]
    )


def _ask_adviser() -> str:
    from capcli import prompts

    return prompts.text(_("Adviser"), default=env().adviser,
                        validate=lambda answer: None if answer.strip() else _("required"))


@app.command("open")
@guard
def open_(
    kind: Optional[str] = typer.Argument(
        None, metavar="KIND",
        help=_("acces-emploi, maintien, maintien-en-emploi, evolution-pro, suivi-conventionnel, veille, "
               "emploi-accompagne."),
    ),
    person: Optional[str] = typer.Option(None, "--person", help=_("Person id.")),
    employer: Optional[str] = typer.Option(None, "--employer", help=_("Employer id or SIRET.")),
    adviser: Optional[str] = typer.Option(
        None, "--adviser", help=_("Adviser in charge (default CAPCLI_ADVISER, else your user name).")
    ),
    requested_by: Optional[str] = typer.Option(
        None, "--requested-by",
        help=_("personne, employeur or partenaire (default: as the case it follows, else personne)."),
    ),
    partner: Optional[str] = typer.Option(
        None, "--partner", help=_("The partner who asked (médecin du travail, France Travail, MDPH…).")
    ),
    consent: bool = typer.Option(False, "--consent", help=_("The person's consent is recorded.")),
    follows: Optional[str] = typer.Option(None, "--follows", help=_("The case this one continues.")),
    on: Optional[str] = typer.Option(None, "--on", help=ON_HELP),
    note: Optional[str] = typer.Option(None, "--note", help=_("A note for the journal.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Open a case and print its id."""
    from capcli.services.cases import open_case

    e = env()
    # The adviser has a default (you): it is asked, pre-filled, only within the questions for a
    # missing kind or person, never on its own (a script run from a terminal must not stop).
    wizard = e.interactive and (kind is None or person is None)
    from capcli.domain import codes

    if kind is not None:
        kind = codes.kind(kind).code  # refused before any question, as the other values given
    if requested_by is not None:
        codes.choice(requested_by, codes.REQUESTERS, _("requester"))
    follows_id = parse_id(follows, _("case id"))
    day = on_date(on)
    kind = require(kind, "KIND", _ask_kind)
    person_id = require(parse_id(person, _("person id")), "--person", _ask_person)
    if adviser is None:
        adviser = _ask_adviser() if wizard else e.adviser
    with store() as s:
        opened = open_case(
            s, e, kind=kind, person_id=person_id, adviser=adviser.strip(), on=day,
            employer_id=employer, requested_by=requested_by, partner=partner, consent=consent,
            follows_id=follows_id, note=note,
        )
    if as_json:
        ui.json_out({"id": opened.case_id, "contacts": [{"id": cid, "due_on": due} for cid, due in opened.contacts]})
        return
    ui.out(str(opened.case_id))
    for contact_id, due_on in opened.contacts:
        ui.out(_("  contact {id} due {date}").format(id=contact_id, date=ui.fmt_due(due_on)))
