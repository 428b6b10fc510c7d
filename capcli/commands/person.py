"""capcli person add | show | list | edit | export | rqth-renewal"""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import ask_or_refuse, ask_text, codes_help, command_app, env, guard, parse_id, require, store
from capcli.domain import codes
from capcli.errors import InvalidValue
from capcli.files import open_for_writing, user_path
from capcli.i18n import _
from capcli.render import people, ui
from capcli.render.changes import print_changes
from capcli.render.options import AsJson
from capcli.services import corrections, persons, privacy
from capcli.services import rqth as rqth_service

app = command_app(help=_("Persons accompanied (bénéficiaires)."), no_args_is_help=True)

NONE = ""  # the "no title" choice (questionary needs a non-None value)
BOETH_HELP = _("BOETH title: {codes}.").format(codes=codes_help(codes.BOETH))


def ask_birth_date(last_name: str, first_name: str) -> str | None:
    """The birth date, checked as it is typed (the checks of --birth-date); empty skips it."""
    from capcli import prompts

    def check(answer: str) -> str | None:
        try:
            persons.person_values(last_name=last_name, first_name=first_name, birth_date=answer or None)
        except InvalidValue as exc:
            return exc.message
        return None

    return prompts.text(_("Birth date (DD/MM/YYYY, empty if not known)"), validate=check).strip() or None


def ask_boeth() -> str | None:
    from capcli import prompts

    return prompts.select(_("BOETH title"), [(_("(none yet)"), NONE)] + [(code, code) for code in codes.BOETH]) or None


@app.command("add")
@guard
def add(
    last_name: Optional[str] = typer.Option(None, "--last-name", metavar="NAME", help=_("Last name.")),
    first_name: Optional[str] = typer.Option(None, "--first-name", metavar="NAME", help=_("First name.")),
    birth_date: Optional[str] = typer.Option(
        None, "--birth-date", metavar="DATE", help=_("Birth date (YYYY-MM-DD or DD/MM/YYYY).")),
    email: Optional[str] = typer.Option(None, "--email", metavar="TEXT", help=_("E-mail address.")),
    phone: Optional[str] = typer.Option(None, "--phone", metavar="TEXT", help=_("Phone number.")),
    address: Optional[str] = typer.Option(None, "--address", metavar="TEXT", help=_("Postal address.")),
    external_id: Optional[str] = typer.Option(
        None, "--external-id", metavar="ID", help=_("Id in the agency's other systems.")),
    boeth: Optional[str] = typer.Option(None, "--boeth", metavar="CODE", help=BOETH_HELP),
    rqth_until: Optional[str] = typer.Option(None, "--rqth-until", metavar="DATE", help=_("End date of the RQTH.")),
    rqth_definitive: bool = typer.Option(False, "--rqth-definitive", help=_("The RQTH has no end date.")),
    duplicate_ok: bool = typer.Option(
        False, "--duplicate-ok", help=_("Record them although a person has the same names and birth date.")
    ),
    as_json: AsJson = False,
) -> None:
    """Add a person and print the new id (on a terminal, what is missing is asked)."""
    asking = env().interactive and (last_name is None or first_name is None)
    # the values given are checked before anything is asked or refused
    persons.person_values(last_name="-" if last_name is None else last_name,
                          first_name="-" if first_name is None else first_name, birth_date=birth_date, email=email,
                          phone=phone, address=address, external_id=external_id, boeth=boeth, rqth_until=rqth_until,
                          rqth_definitive=rqth_definitive)
    last_name = require(last_name, "--last-name", ask_text(_("Last name")))
    first_name = require(first_name, "--first-name", ask_text(_("First name")))
    if asking and birth_date is None:
        birth_date = ask_birth_date(last_name, first_name)
    if asking and boeth is None and not (rqth_until or rqth_definitive):
        boeth = ask_boeth()
    with store(create=True) as s:
        person_id = persons.add_person(
            s, env(), last_name=last_name, first_name=first_name, birth_date=birth_date, email=email,
            phone=phone, address=address, external_id=external_id, boeth=boeth, rqth_until=rqth_until,
            rqth_definitive=rqth_definitive, duplicate_ok=duplicate_ok,
        )
    people.added(person_id, as_json)


@app.command("show")
@guard
def show(
    person_id: str = typer.Argument(..., metavar="ID", help=_("Person id.")),
    as_json: AsJson = False,
) -> None:
    """Show a person and their cases."""
    pid = parse_id(person_id, _("person id"))
    with store() as s:
        shown = persons.show_person(s, env(), pid)
    if as_json:
        ui.json_out(people.person_shown_json(shown))
    else:
        people.person_screen(shown)


@app.command("list")
@guard
def list_(
    search: Optional[str] = typer.Option(None, "--search", metavar="TEXT", help=_("Part of the name.")),
    as_json: AsJson = False,
) -> None:
    """List persons."""
    with store() as s:
        found = persons.list_persons(s, search)
    if as_json:
        ui.json_out([people.person_json(p) for p in found])
    else:
        people.person_list(found, search)


def person_labels() -> dict:
    return {"last_name": _("Last name"), "first_name": _("First name"), "birth_date": _("Birth date"),
            "email": _("E-mail"), "phone": _("Phone"), "address": _("Address"), "boeth": _("BOETH"),
            "rqth_until": _("RQTH until"), "rqth_definitive": _("RQTH definitive"), "external_id": _("External id")}


@app.command("edit")
@guard
def edit(
    person_id: str = typer.Argument(..., metavar="ID", help=_("Person id.")),
    last_name: Optional[str] = typer.Option(None, "--last-name", metavar="NAME", help=_("Last name.")),
    first_name: Optional[str] = typer.Option(None, "--first-name", metavar="NAME", help=_("First name.")),
    birth_date: Optional[str] = typer.Option(
        None, "--birth-date", metavar="DATE", help=_("Birth date; \"\" clears it.")),
    email: Optional[str] = typer.Option(None, "--email", metavar="TEXT", help=_("E-mail address; \"\" clears it.")),
    phone: Optional[str] = typer.Option(None, "--phone", metavar="TEXT", help=_("Phone number; \"\" clears it.")),
    address: Optional[str] = typer.Option(
        None, "--address", metavar="TEXT", help=_("Postal address; \"\" clears it.")),
    external_id: Optional[str] = typer.Option(
        None, "--external-id", metavar="ID", help=_("Id in the agency's other systems.")),
    boeth: Optional[str] = typer.Option(
        None, "--boeth", metavar="CODE", help=BOETH_HELP + " " + _("\"\" clears it.")),
    rqth_until: Optional[str] = typer.Option(
        None, "--rqth-until", metavar="DATE", help=_("End date of the RQTH (replaces 'definitive'); \"\" clears it.")
    ),
    rqth_definitive: bool = typer.Option(False, "--rqth-definitive", help=_("The RQTH has no end date.")),
    duplicate_ok: bool = typer.Option(
        False, "--duplicate-ok", help=_("Keep them although a person has the same names and birth date.")
    ),
    as_json: AsJson = False,
) -> None:
    """Correct a person's record; \"\" clears an optional field (journaled with the fields' names)."""
    pid = parse_id(person_id, _("person id"))
    given = {key: value for key, value in (
        ("last_name", last_name), ("first_name", first_name), ("birth_date", birth_date), ("email", email),
        ("phone", phone), ("address", address), ("external_id", external_id), ("boeth", boeth),
        ("rqth_until", rqth_until)) if value is not None}
    if rqth_definitive:
        given["rqth_definitive"] = True
    if not given:
        with store() as s:
            person = persons.get_person(s, pid)  # an unknown person is refused before any question
        labels = person_labels()
        given = ask_or_refuse(given, [(key, labels[key], person[key]) for key in labels if key != "rqth_definitive"],
                              "--last-name, --first-name, --birth-date, --email, --phone, --address, --external-id, "
                              "--boeth, --rqth-until, --rqth-definitive")
    with store() as s:
        changes = corrections.edit_person(s, env(), pid, given, duplicate_ok=duplicate_ok)
    print_changes(pid, changes, person_labels(), as_json, _("person {id} corrected:"),
                  _("person {id}: nothing to correct (the values given are already recorded)"))


@app.command("export")
@guard
def export(
    person_id: str = typer.Argument(..., metavar="ID", help=_("Person id.")),
    output: Optional[str] = typer.Option(
        None, "-o", "--output", metavar="FILE", help=_("File to write (mode 0600); default: standard output.")
    ),
    as_json: AsJson = False,
) -> None:
    """Write everything held on one person as JSON, health data included (right of access); with -o and
    --json, print the person's id and the file's path as JSON."""
    pid = parse_id(person_id, _("person id"))
    output = user_path(output) if output is not None else None
    with store() as s:
        if output is None:
            ui.raw(people.export_text(privacy.export_person(s, env(), pid, "stdout")).rstrip("\n"))
            return
        # the file is prepared first: a file that cannot be written is refused before the hand-out is
        # journaled; it replaces the target only once written whole
        with open_for_writing(output) as stream:
            stream.write(people.export_text(privacy.export_person(s, env(), pid, "file")))
    people.written_to(pid, output, as_json)


@app.command("rqth-renewal")
@guard
def rqth_renewal(
    person_id: str = typer.Argument(..., metavar="ID", help=_("Person id.")),
    filed: Optional[str] = typer.Option(None, "--filed", metavar="DATE", help=_("The day the renewal was filed with the MDPH.")),
    decided: Optional[str] = typer.Option(None, "--decided", metavar="DATE", help=_("The day of the CDAPH's decision.")),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE", help=_("Granted: the new end date.")),
    definitive: bool = typer.Option(False, "--definitive", help=_("Granted with no end date.")),
    refused: bool = typer.Option(False, "--refused", help=_("Refused.")),
    as_json: AsJson = False,
) -> None:
    """Record an RQTH renewal filed with the MDPH (at least 6 months before the end date), then the
    CDAPH's decision; a renewal granted moves the person's RQTH end date."""
    from capcli.domain.dates import parse_date
    from capcli.errors import UsageError
    from capcli.render import measures as render

    pid = parse_id(person_id, _("person id"))
    filed_on = parse_date(filed, "--filed") if filed else None
    decided_on = parse_date(decided, "--decided") if decided else None
    until_on = parse_date(until, "--until") if until else None
    if decided_on is None and (until_on or definitive or refused):
        raise UsageError(_("--until, --definitive and --refused go with --decided DATE"))
    if filed_on is None and decided_on is None:
        raise UsageError(_("give --filed DATE, or --decided DATE with --until DATE, --definitive or --refused"))
    with store() as s:
        result = rqth_service.record(s, env(), pid, filed=filed_on, decided=decided_on, until=until_on,
                                     definitive=definitive, refused=refused)
    render.renewal_recorded(result, as_json)
