"""capcli person add | show | list | edit | export"""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import command_app, JSON_HELP, ask_text, env, guard, parse_id, require, store
from capcli.i18n import _

app = command_app(help=_("Persons accompanied (bénéficiaires)."), no_args_is_help=True)


@app.command("add")
@guard
def add(
    last_name: Optional[str] = typer.Option(None, "--last-name", help=_("Last name.")),
    first_name: Optional[str] = typer.Option(None, "--first-name", help=_("First name.")),
    birth_date: Optional[str] = typer.Option(None, "--birth-date", help=_("Birth date (YYYY-MM-DD or DD/MM/YYYY).")),
    email: Optional[str] = typer.Option(None, "--email", help=_("E-mail address.")),
    phone: Optional[str] = typer.Option(None, "--phone", help=_("Phone number.")),
    address: Optional[str] = typer.Option(None, "--address", help=_("Postal address.")),
    external_id: Optional[str] = typer.Option(None, "--external-id", help=_("Id in the agency's other systems.")),
    boeth: Optional[str] = typer.Option(
        None, "--boeth", help=_("BOETH title: rqth, invalidite, at-mp, aah, cmi, autre, en-cours.")
    ),
    rqth_until: Optional[str] = typer.Option(None, "--rqth-until", help=_("End date of the RQTH.")),
    rqth_definitive: bool = typer.Option(False, "--rqth-definitive", help=_("The RQTH has no end date.")),
    duplicate_ok: bool = typer.Option(
        False, "--duplicate-ok", help=_("Record them although a person has the same names and birth date.")
    ),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Add a person and print the new id."""
    from capcli.services.persons import add_person, person_values

    if last_name is None or first_name is None:  # the values given are checked before a name is asked or refused
        person_values(last_name="-" if last_name is None else last_name,
                      first_name="-" if first_name is None else first_name, birth_date=birth_date, email=email,
                      phone=phone, address=address, external_id=external_id, boeth=boeth, rqth_until=rqth_until,
                      rqth_definitive=rqth_definitive)
    last_name = require(last_name, "--last-name", ask_text(_("Last name")))
    first_name = require(first_name, "--first-name", ask_text(_("First name")))
    with store(create=True) as s:
        person_id = add_person(
            s, env(), last_name=last_name, first_name=first_name, birth_date=birth_date, email=email,
            phone=phone, address=address, external_id=external_id, boeth=boeth, rqth_until=rqth_until,
            rqth_definitive=rqth_definitive, duplicate_ok=duplicate_ok,
        )
    if as_json:
        ui.json_out({"id": person_id})
    else:
        ui.out(str(person_id))


@app.command("show")
@guard
def show(
    person_id: str = typer.Argument(..., metavar="ID", help=_("Person id.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Show a person and their cases."""
    from capcli.services.persons import rqth_state
    from capcli.store import queries

    pid = parse_id(person_id, _("person id"))
    with store() as s:
        person = queries.get_person(s, pid)
        cases = queries.cases_of_person(s, pid)
    if as_json:
        person["cases"] = [
            {"id": c.id, "kind": c.kind, "phase": c.phase, "status": c.status, "outcome": c.outcome,
             "opened_on": c.opened_on, "closed_on": c.closed_on}
            for c in cases
        ]
        ui.json_out(person)
        return
    ui.out(f"{queries.person_name(person)} ({person['id']})")
    rows = [
        (_("External id"), person["external_id"]),
        (_("Birth date"), ui.fmt_date(person["birth_date"])),
        (_("E-mail"), person["email"]),
        (_("Phone"), person["phone"]),
        (_("Address"), person["address"]),
        (_("BOETH"), person["boeth"]),
    ]
    state = rqth_state(person, env().today)
    if state == "definitive":
        rows.append((_("RQTH"), _("definitive")))
    elif state:
        rows.append((_("RQTH"), _("until {date}").format(date=ui.fmt_date(person["rqth_until"]))
                     + (" (" + _("ended") + ")" if state == "ended" else "")))
    ui.fields(rows)
    ui.out()
    ui.columns(
        [_("case"), _("kind"), _("phase"), _("status"), _("opened"), _("closed")],
        [[c.id, c.kind, c.phase, c.outcome or (_("cancelled") if c.cancelled_on else _("open")),
          ui.fmt_date(c.opened_on), ui.fmt_date(c.closed_on)]
         for c in cases],
        empty=_("No case yet: 'capcli open KIND --person {id}'.").format(id=person["id"]),
    )


@app.command("list")
@guard
def list_(
    search: Optional[str] = typer.Option(None, "--search", help=_("Part of the name.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """List persons."""
    from capcli.store import queries

    with store() as s:
        persons = queries.list_persons(s, search)
    if as_json:
        ui.json_out(persons)
        return
    ui.columns(
        [_("id"), _("name"), _("birth date"), _("BOETH"), _("external id")],
        [[p["id"], queries.person_name(p), ui.fmt_date(p["birth_date"]), p["boeth"], p["external_id"]]
         for p in persons],
        empty=(_("no one matches '{search}'").format(search=search) if search
               else _("No person yet: 'capcli person add'.")),
    )


def person_labels() -> dict:
    return {"last_name": _("Last name"), "first_name": _("First name"), "birth_date": _("Birth date"),
            "email": _("E-mail"), "phone": _("Phone"), "address": _("Address"), "boeth": _("BOETH"),
            "rqth_until": _("RQTH until"), "rqth_definitive": _("RQTH definitive"), "external_id": _("External id")}


@app.command("edit")
@guard
def edit(
    person_id: str = typer.Argument(..., metavar="ID", help=_("Person id.")),
    last_name: Optional[str] = typer.Option(None, "--last-name", help=_("Last name.")),
    first_name: Optional[str] = typer.Option(None, "--first-name", help=_("First name.")),
    birth_date: Optional[str] = typer.Option(None, "--birth-date", help=_("Birth date; \"\" clears it.")),
    email: Optional[str] = typer.Option(None, "--email", help=_("E-mail address; \"\" clears it.")),
    phone: Optional[str] = typer.Option(None, "--phone", help=_("Phone number; \"\" clears it.")),
    address: Optional[str] = typer.Option(None, "--address", help=_("Postal address; \"\" clears it.")),
    external_id: Optional[str] = typer.Option(None, "--external-id", help=_("Id in the agency's other systems.")),
    boeth: Optional[str] = typer.Option(None, "--boeth", help=_("BOETH title (see 'person add'); \"\" clears it.")),
    rqth_until: Optional[str] = typer.Option(
        None, "--rqth-until", help=_("End date of the RQTH (replaces 'definitive'); \"\" clears it.")
    ),
    rqth_definitive: bool = typer.Option(False, "--rqth-definitive", help=_("The RQTH has no end date.")),
    duplicate_ok: bool = typer.Option(
        False, "--duplicate-ok", help=_("Keep them although a person has the same names and birth date.")
    ),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Correct a person's record; \"\" clears an optional field (journaled with the fields' names)."""
    from capcli.commands._common import ask_or_refuse
    from capcli.render.changes import print_changes
    from capcli.services.corrections import edit_person
    from capcli.store import queries

    pid = parse_id(person_id, _("person id"))
    given = {key: value for key, value in (
        ("last_name", last_name), ("first_name", first_name), ("birth_date", birth_date), ("email", email),
        ("phone", phone), ("address", address), ("external_id", external_id), ("boeth", boeth),
        ("rqth_until", rqth_until)) if value is not None}
    if rqth_definitive:
        given["rqth_definitive"] = True
    if not given:
        with store() as s:
            person = queries.get_person(s, pid)  # an unknown person is refused before any question
        labels = person_labels()
        given = ask_or_refuse(given, [(key, labels[key], person[key]) for key in labels if key != "rqth_definitive"],
                              "--last-name, --first-name, --birth-date, --email, --phone, --address, --external-id, "
                              "--boeth, --rqth-until, --rqth-definitive")
    with store() as s:
        changes = edit_person(s, env(), pid, given, duplicate_ok=duplicate_ok)
    print_changes(pid, changes, person_labels(), as_json, _("person {id} corrected:"),
                  _("person {id}: nothing to correct (the values given are already recorded)"))


@app.command("export")
@guard
def export(
    person_id: str = typer.Argument(..., metavar="ID", help=_("Person id.")),
    output: Optional[str] = typer.Option(
        None, "-o", "--output", help=_("File to write (mode 0600); default: standard output.")
    ),
) -> None:
    """Write everything held on one person as JSON, health data included (right of access)."""
    import json

    from capcli.files import open_for_writing, user_path
    from capcli.services.privacy import export_person

    pid = parse_id(person_id, _("person id"))
    output = user_path(output) if output is not None else None

    def as_json(data: dict) -> str:
        return json.dumps(data, ensure_ascii=False, indent=2, default=ui._jsonable) + "\n"

    with store() as s:
        if output is None:
            ui.raw(as_json(export_person(s, env(), pid, "stdout")).rstrip("\n"))
            return
        # the file is prepared first: a file that cannot be written is refused before the hand-out is
        # journaled; it replaces the target only once written whole
        with open_for_writing(output) as stream:
            stream.write(as_json(export_person(s, env(), pid, "file")))
    ui.err(_("wrote everything held on person {id} to {path} (health data: keep it private)").format(
        id=pid, path=output))
