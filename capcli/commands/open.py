"""capcli open KIND --person ID: open a case (the person picker asks on a terminal)."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import (ON_HELP, codes_help, command_app, complete_kind, env, guard, on_date,
                                     parse_id, require, store)
from capcli.domain import codes
from capcli.domain.rules import employer_asked, signalement
from capcli.errors import RuleError
from capcli.i18n import _
from capcli.render import cases as render
from capcli.render import ui
from capcli.render.options import AsJson
from capcli.services.cases import check_references, employers_to_pick, open_case, persons_to_pick

app = command_app()

PERSON_CHOICES = 300  # more than that is not a list anyone scrolls: ask for part of the name first


@app.command("open")
@guard
def open_(
    kind: Optional[str] = typer.Argument(None, metavar="KIND", autocompletion=complete_kind,
                                         help=codes_help(codes.KINDS) + "."),
    person: Optional[str] = typer.Option(None, "--person", metavar="ID", help=_("Person id.")),
    employer: Optional[str] = typer.Option(None, "--employer", metavar="ID", help=_("Employer id or SIRET.")),
    adviser: Optional[str] = typer.Option(
        None, "--adviser", metavar="NAME", help=_("Adviser in charge (default CAPCLI_ADVISER, else your user name).")
    ),
    requested_by: Optional[str] = typer.Option(
        None, "--requested-by", metavar="CODE",
        help=_("{codes} (default: as the case it follows, else personne).").format(
            codes=codes_help(codes.REQUESTERS)),
    ),
    partner: Optional[str] = typer.Option(
        None, "--partner", metavar="TEXT", help=_("The partner who asked (médecin du travail, France Travail, MDPH…).")
    ),
    consent: bool = typer.Option(False, "--consent", help=_("The person's consent is recorded.")),
    signalement_by: Optional[str] = typer.Option(
        None, "--signalement-by", metavar="CODE",
        help=_("Who signalled the situation: {codes}.").format(codes=codes_help(codes.SIGNALEMENT_SOURCES))),
    signalement_on: Optional[str] = typer.Option(
        None, "--signalement-on", metavar="DATE", help=_("The day it was signalled (not after the opening).")),
    follows: Optional[str] = typer.Option(None, "--follows", metavar="CASE", help=_("The case this one continues.")),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help=ON_HELP),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help=_("A note for the journal.")),
    as_json: AsJson = False,
) -> None:
    """Open a case and print its id."""
    e = env()
    # The adviser has a default (you): it is asked, pre-filled, only within the questions for a
    # missing kind or person, never on its own (a script run from a terminal must not stop).
    wizard = e.interactive and (kind is None or person is None)
    # Every value given is checked before any question: codes, ids, the date.
    if kind is not None:
        kind = codes.kind(kind).code
    if requested_by is not None:
        codes.choice(requested_by, codes.REQUESTERS, _("requester"))
    follows_id = parse_id(follows, _("case id"))
    person_id = parse_id(person, _("person id"))
    day = on_date(on)
    signalled = on_date(signalement_on, "--signalement-on") if signalement_on else None
    signalement_by, signalled = signalement(signalement_by, signalled, day, e.today)
    with store() as s:
        check_references(s, person_id=person_id, employer=employer, follows_id=follows_id)
    kind = require(kind, "KIND", ask_kind)
    person_id = require(person_id, "--person", ask_person)
    if adviser is None:
        adviser = ask_adviser() if wizard else e.adviser
    if wizard and employer is None and follows_id is None and employer_asked(kind):
        employer = ask_employer()
    with store() as s:
        opened = open_case(
            s, e, kind=kind, person_id=person_id, adviser=adviser.strip(), on=day,
            employer_id=employer, requested_by=requested_by, partner=partner, consent=consent,
            follows_id=follows_id, note=note, signalement_by=signalement_by, signalement_on=signalled,
        )
    render.opened(opened, as_json)


def ask_kind() -> str:
    from capcli import prompts

    return prompts.select(_("Kind of accompaniment"), [(code, code) for code in codes.KINDS])


def ask_person() -> int:
    """The person of a new case: chosen in the list (not anonymised), after a search when the
    store holds more people than a list can show."""
    from capcli import prompts

    with store() as s:
        persons = persons_to_pick(s, limit=PERSON_CHOICES + 1)
        if not persons:
            raise RuleError(_("no person in the store yet: add one with 'capcli person add'"))
        while not persons or len(persons) > PERSON_CHOICES:
            search = prompts.text(_("Person: part of the name"),
                                  validate=lambda answer: None if answer.strip() else _("required")).strip()
            persons = persons_to_pick(s, search=search, limit=PERSON_CHOICES + 1)
            if not persons:
                ui.err(_("no one matches '{search}'").format(search=search))
    return prompts.select(_("Person"), [(f"{p['name']} ({p['id']})", p["id"]) for p in persons])


def ask_adviser() -> str:
    from capcli import prompts

    return prompts.text(_("Adviser"), default=env().adviser,
                        validate=lambda answer: None if answer.strip() else _("required"))


def ask_employer() -> str | None:
    """The employer of a maintien: one of the store's, or none yet (`case edit --employer` later)."""
    from capcli import prompts

    with store() as s:
        employers = employers_to_pick(s)
    if not employers:
        return None
    choices = [(f"{e['name']} · SIRET {e['siret']}", str(e["id"])) for e in employers]
    return prompts.select(_("Employer"), [(_("none yet"), "")] + choices) or None
