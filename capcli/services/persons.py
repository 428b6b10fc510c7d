"""Persons and employers."""

from __future__ import annotations

from datetime import date

from capcli.domain import codes, validate
from capcli.domain.dates import parse_date
from capcli.env import Env
from capcli.errors import InvalidValue, RuleError
from capcli.i18n import N_, _
from capcli.store import audit, queries
from capcli.store.engine import Store


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
) -> dict:
    """Validate a person's fields (shared by `person add` and `import`)."""
    values = {
        "last_name": validate.required_text(last_name, N_("last name")),
        "first_name": validate.required_text(first_name, N_("first name")),
        "birth_date": parse_date(birth_date, "--birth-date") if birth_date else None,
        "email": (email or "").strip() or None,
        "phone": (phone or "").strip() or None,
        "address": (address or "").strip() or None,
        "external_id": validate.external_id(external_id),
        "boeth": (boeth if boeth in codes.BOETH else codes.choice(boeth, codes.BOETH, _("BOETH title"))) if boeth else None,
        "rqth_until": parse_date(rqth_until, "--rqth-until") if rqth_until else None,
        "rqth_definitive": bool(rqth_definitive),
    }
    if values["email"] and "@" not in values["email"]:
        raise InvalidValue(_("invalid e-mail address '{value}'").format(value=email))
    if values["rqth_until"] and values["rqth_definitive"]:
        raise InvalidValue(_("an RQTH is either definitive or has an end date, not both"))
    if (values["rqth_until"] or values["rqth_definitive"]) and values["boeth"] not in (None, "rqth"):
        raise InvalidValue(_("--rqth-until and --rqth-definitive go with the BOETH title rqth"))
    if values["rqth_until"] or values["rqth_definitive"]:
        values["boeth"] = "rqth"
    return values


def add_person(store: Store, env: Env, **fields) -> int:
    values = person_values(**fields)
    with store.transaction():
        if values["external_id"]:
            row = store.execute("SELECT id FROM person WHERE external_id = ?", (values["external_id"],)).fetchone()
            if row:
                raise RuleError(
                    _("external id '{ext}' is already person {id}").format(ext=values["external_id"], id=row[0])
                )
        values["created_on"] = env.today
        person_id = queries.insert(store, "person", values)
        audit.record(store, author=env.adviser, action="person-added", subject="person", subject_id=person_id)
        return person_id


def employer_values(*, siret: str, name: str, sector: str = "prive") -> dict:
    return {
        "siret": validate.siret(siret),
        "name": validate.required_text(name, N_("employer name")),
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
