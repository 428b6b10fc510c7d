"""Persons and employers."""

from __future__ import annotations

from datetime import date

from capcli.domain import codes, identity, validate
from capcli.domain.dates import parse_date, shown
from capcli.domain.model import PERSON_FIELDS
from capcli.env import Env
from capcli.env import current as current_env
from capcli.errors import InvalidValue, RuleError
from capcli.i18n import N_, _
from capcli.store import audit, queries
from capcli.store.engine import Store


def person_row(last_name, first_name, birth_date, email, phone, address, boeth, rqth_until, rqth_definitive,
               day=parse_date, today: date | None = None) -> tuple:
    """A person's fields checked and normalised, in the order of PERSON_FIELDS (the checks of
    `person add`, `person edit` and of every `import` row). ``day(text, what)`` reads a date:
    `import` passes one that caches, and returns what it returns (date or ISO text). ``today``
    bounds the birth date (default: the invocation's today)."""
    last = (last_name or "").strip() or validate.required_text(last_name, N_("last name"))
    first = (first_name or "").strip() or validate.required_text(first_name, N_("first name"))
    if not f"{last}{first}{email}{phone}{address}".isprintable():  # printable: nothing to refuse (the fast path)
        for value, what in ((last, N_("last name")), (first, N_("first name")), (email, N_("e-mail")),
                            (phone, N_("phone"))):
            validate.text(value, what)
        validate.text(address, N_("address"), multiline=True)  # a postal address may take lines
    birth = day(birth_date, "--birth-date") if birth_date else None
    if birth is not None:
        identity.check_birth_date(birth, today or current_env().today)
    mail = (email or "").strip() or None
    if boeth:
        boeth = boeth if boeth in codes.BOETH else codes.choice(boeth, codes.BOETH, _("BOETH title"))
    else:
        boeth = None
    until = day(rqth_until, "--rqth-until") if rqth_until else None
    definitive = bool(rqth_definitive)
    if mail and "@" not in mail:
        raise InvalidValue(_("invalid e-mail address '{value}'").format(value=email))
    if until or definitive:
        if until and definitive:
            raise InvalidValue(_("an RQTH is either definitive or has an end date, not both"))
        if boeth not in (None, "rqth"):
            raise InvalidValue(_("--rqth-until and --rqth-definitive go with the BOETH title rqth"))
        boeth = "rqth"
    return (last, first, birth, mail, (phone or "").strip() or None, (address or "").strip() or None, boeth, until,
            definitive)


def person_values(
    *,
    last_name: str,
    first_name: str,
    birth_date: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    external_id: str | None = None,
    boeth: str | None = None,
    rqth_until: str | None = None,
    rqth_definitive: bool = False,
    today: date | None = None,
) -> dict:
    """Validate a person's fields (`person add`, `person edit`): person_row's values by name, and the
    external id."""
    row = person_row(last_name, first_name, birth_date, email, phone, address, boeth, rqth_until, rqth_definitive,
                     today=today)
    values = dict(zip(PERSON_FIELDS, row))
    values["external_id"] = validate.external_id(validate.text(external_id, N_("external id")))
    return values


def check_unique(store: Store, values: dict, other_than: int | None = None, duplicate_ok: bool = False) -> None:
    """A person's external id is theirs alone, and the same person (names and birth date, case and
    accents aside) is recorded once unless ``duplicate_ok`` (two people may share both)."""
    if values["external_id"]:
        holder = queries.person_with_external_id(store, values["external_id"], other_than)
        if holder is not None:
            raise RuleError(
                _("external id '{ext}' is already person {id}").format(ext=values["external_id"], id=holder)
            )
    key = identity.same_person_key(values["last_name"], values["first_name"], values["birth_date"])
    if key is not None and not duplicate_ok:
        same = queries.same_person(store, key, other_than)
        if same is not None:
            raise RuleError(
                _("{name} born {on} is already person {id}: see 'capcli person show {id}' (two people with "
                  "the same name and birth date: add --duplicate-ok)").format(
                    name=f"{values['last_name']} {values['first_name']}", on=shown(date.fromisoformat(key[2])),
                    id=same)
            )


def add_person(store: Store, env: Env, duplicate_ok: bool = False, **fields) -> int:
    values = person_values(**fields, today=env.today)
    with store.transaction():
        check_unique(store, values, duplicate_ok=duplicate_ok)
        values["created_on"] = env.today
        person_id = queries.insert(store, "person", values)
        audit.record(store, author=env.adviser, action="person-added", subject="person", subject_id=person_id)
        return person_id


def employer_values(*, siret: str, name: str, sector: str = "prive") -> dict:
    return {
        "siret": validate.siret(siret),
        "name": validate.required_text(validate.text(name, N_("employer name")), N_("employer name")),
        "sector": codes.choice(sector, codes.SECTORS, _("sector")),
    }


def add_employer(store: Store, env: Env, *, siret: str, name: str, sector: str = "prive") -> int:
    values = employer_values(siret=siret, name=name, sector=sector)
    with store.transaction():
        existing = queries.find_employer_by_siret(store, values["siret"])
        if existing:
            raise RuleError(
                _("SIRET {siret} is already employer {id} ({name})").format(
                    siret=values["siret"], id=existing["id"], name=existing["name"]
                )
            )
        values["created_on"] = env.today
        employer_id = queries.insert(store, "employer", values)
        audit.record(store, author=env.adviser, action="employer-added", subject="employer", subject_id=employer_id)
        return employer_id


def rqth_state(person: dict, today: date) -> str:
    """'definitive', 'valid', 'ended' or '' for display."""
    if person.get("rqth_definitive"):
        return "definitive"
    until = person.get("rqth_until")
    if not until:
        return ""
    return "ended" if date.fromisoformat(str(until)) < today else "valid"


# --- reads (the commands read through these, never the store) ------------------------


def get_person(store: Store, person_id: int) -> dict:
    """A person's record (refused when unknown)."""
    return queries.get_person(store, person_id)


def show_person(store: Store, env: Env, person_id: int) -> dict:
    """What `person show` prints: the person, their cases and the state of their RQTH."""
    from capcli.services.rqth import renewal_of

    person = queries.get_person(store, person_id)
    return {"person": person, "cases": queries.cases_of_person(store, person_id),
            "rqth": rqth_state(person, env.today), "rqth_renewal": renewal_of(store, person)}


def list_persons(store: Store, search: str | None = None) -> list[dict]:
    """Persons by name; ``search``: part of the name, case and accents aside."""
    return queries.list_persons(store, search)


def get_employer(store: Store, ref: str | int) -> dict:
    """An employer by id or SIRET (refused when unknown)."""
    return queries.get_employer(store, ref)


def list_employers(store: Store) -> list[dict]:
    return queries.list_employers(store)
