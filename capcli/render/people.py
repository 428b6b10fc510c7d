"""Persons and employers: their one JSON shape and their text screens (`person show|list`,
`employer list`), fitted to 80 columns."""

from __future__ import annotations

from capcli.i18n import _
from capcli.render import fit, ui
from capcli.render.measures import renewal_json, renewal_text

PERSON_KEYS = ("id", "external_id", "last_name", "first_name", "birth_date", "email", "phone", "address", "boeth",
               "rqth_until", "rqth_definitive", "created_on", "anonymised_on")
EMPLOYER_KEYS = ("id", "siret", "name", "sector", "created_on")


def person_name(person: dict) -> str:
    return f"{person['last_name']} {person['first_name']}".strip()


def person_json(person: dict) -> dict:
    """A person, the same in `person show --json` and `person list --json`."""
    return {key: person.get(key) for key in PERSON_KEYS}


def employer_json(employer: dict | None) -> dict | None:
    """An employer, the same in `employer list --json` and a case's `employer` (`show --json`)."""
    if employer is None:
        return None
    return {key: employer.get(key) for key in EMPLOYER_KEYS}


def case_status(case) -> str:
    return case.outcome or (_("cancelled") if case.cancelled_on else _("open"))


def person_shown_json(shown: dict) -> dict:
    """`person show --json`: the person and their cases."""
    data = person_json(shown["person"])
    data["rqth_renewal"] = renewal_json(shown.get("rqth_renewal"))
    data["cases"] = [
        {"id": c.id, "kind": c.kind, "phase": c.phase, "status": c.status, "outcome": c.outcome,
         "opened_on": c.opened_on, "closed_on": c.closed_on}
        for c in shown["cases"]
    ]
    return data


def rqth_text(person: dict, state: str) -> str:
    if state == "definitive":
        return _("definitive")
    if not state:
        return ""
    return _("until {date}").format(date=ui.fmt_date(person["rqth_until"])) + (
        " (" + _("ended") + ")" if state == "ended" else "")


def fields(rows: list[tuple[str, object]]) -> None:
    """'label  value' lines as ``ui.fields`` prints them, a long value shortened to fit 80 columns."""
    rows = [(label, value) for label, value in rows if value not in (None, "")]
    width = max((len(label) for label, _value in rows), default=0)
    room = fit.WIDTH - width - 4
    ui.fields([(label, fit.clip(str(value), room)) for label, value in rows])


def person_screen(shown: dict) -> None:
    """`person show`: the person's fields, then their cases."""
    person, cases = shown["person"], shown["cases"]
    ui.out(fit.clip(person_name(person), fit.WIDTH - len(f" ({person['id']})")) + f" ({person['id']})")
    fields([
        (_("External id"), person["external_id"]),
        (_("Birth date"), ui.fmt_date(person["birth_date"])),
        (_("E-mail"), person["email"]),
        (_("Phone"), person["phone"]),
        (_("Address"), person["address"]),
        (_("BOETH"), person["boeth"]),
        (_("RQTH"), rqth_text(person, shown["rqth"])),
        (_("RQTH renewal"), renewal_text(shown.get("rqth_renewal"))),
    ])
    ui.out()
    fit.columns(
        [_("id"), _("kind"), _("phase"), _("status"), _("opened"), _("closed")],  # "id": short in French too
        [[c.id, c.kind, c.phase, case_status(c), ui.fmt_date(c.opened_on), ui.fmt_date(c.closed_on)]
         for c in cases],
        shrink={1: 12, 3: 12, 2: 10},
        empty=_("No case yet: 'capcli open KIND --person {id}'.").format(id=person["id"]),
    )


def person_list(persons: list[dict], search: str | None) -> None:
    """`person list`: one line a person, the name shortened before anything else."""
    fit.columns(
        [_("id"), _("name"), _("birth date"), _("BOETH"), _("external id")],
        [[p["id"], person_name(p), ui.fmt_date(p["birth_date"]), p["boeth"], p["external_id"]] for p in persons],
        shrink={1: 16, 4: 10},
        empty=(_("no one matches '{search}'").format(search=search) if search
               else _("No person yet: 'capcli person add'.")),
    )


def employer_list(employers: list[dict]) -> None:
    """`employer list`: one line an employer, the name shortened to fit."""
    fit.columns(
        [_("id"), _("name"), _("SIRET"), _("sector")],
        [[e["id"], e["name"], e["siret"], e["sector"]] for e in employers],
        shrink={1: 16},
        empty=_("No employer yet: 'capcli employer add --siret … --name …'."),
    )


def written_to(person_id: int, path, as_json: bool = False) -> None:
    """`person export -o FILE`: on stderr, what was written and where (with --json, on stdout)."""
    if as_json:
        ui.json_out({"id": person_id, "path": str(path)})
        return
    ui.err(_("wrote everything held on person {id} to {path} (health data: keep it private)").format(
        id=person_id, path=path))


def export_text(data: dict) -> str:
    """`person export`: everything held on the person, as JSON text."""
    return ui.json_text(data) + "\n"


def added(new_id: int, as_json: bool) -> None:
    """What `person add` and `employer add` print: the new id."""
    if as_json:
        ui.json_out({"id": new_id})
    else:
        ui.out(str(new_id))
