"""Reads and writes for data protection: everything held on a person, their last activity,
and anonymisation. Portable SQL; dates as ISO text."""

from __future__ import annotations

import json
from datetime import date

from capcli.store import queries
from capcli.store.engine import Store

# An anonymised person keeps names that pass `person add`'s checks: the store's exports still import.
ANONYMOUS_LAST, ANONYMOUS_FIRST = "ANONYME", "-"
DIAGNOSTIC_TEXTS = ("situation", "restrictions", "disability_type", "health_opinion", "capacities",
                    "aspirations", "impact")


def activity(store: Store) -> dict[int, dict]:
    """For each person not yet anonymised: name, open cases, the day they were entered and every
    day something was recorded in their path."""
    people = {
        row["id"]: {"id": row["id"], "last_name": row["last_name"], "first_name": row["first_name"],
                    "open_cases": 0, "created_on": queries.as_date(row["created_on"]), "days": []}
        for row in store.execute("SELECT id, last_name, first_name, created_on FROM person WHERE anonymised_on IS NULL")
    }

    def collect(sql: str) -> None:
        for person_id, *days in store.execute(sql):
            if person_id in people:
                people[person_id]["days"].extend(queries.as_date(d) for d in days)

    for person_id, open_cases, opened, closed in store.execute(
        "SELECT person_id, SUM(CASE WHEN closed_on IS NULL THEN 1 ELSE 0 END), MAX(opened_on), MAX(closed_on) "
        "FROM accompaniment GROUP BY person_id"
    ):
        if person_id in people:
            people[person_id]["open_cases"] = open_cases or 0
            people[person_id]["days"] += [queries.as_date(opened), queries.as_date(closed)]
    collect("SELECT c.person_id, MAX(e.on_date) FROM event e JOIN accompaniment c ON c.id = e.case_id "
            "GROUP BY c.person_id")
    collect("SELECT c.person_id, MAX(t.done_on) FROM contact t JOIN accompaniment c ON c.id = t.case_id "
            "GROUP BY c.person_id")
    collect("SELECT c.person_id, MAX(d.on_date) FROM diagnostic d JOIN accompaniment c ON c.id = d.case_id "
            "GROUP BY c.person_id")
    collect("SELECT c.person_id, MAX(n.updated_on) FROM need n JOIN accompaniment c ON c.id = n.case_id "
            "GROUP BY c.person_id")
    return people


def anonymise_person(store: Store, person_id: int, on: date) -> None:
    """Drop identity, contact details and health data; keep kinds, dates, codes and outcomes."""
    store.execute(
        "UPDATE person SET last_name = ?, first_name = ?, birth_date = NULL, email = NULL, phone = NULL, "
        "address = NULL, external_id = NULL, rqth_until = NULL, rqth_definitive = ?, anonymised_on = ? "
        "WHERE id = ?",
        (ANONYMOUS_LAST, ANONYMOUS_FIRST, False, on.isoformat(), person_id),
    )
    cases = "SELECT id FROM accompaniment WHERE person_id = ?"
    store.execute("UPDATE accompaniment SET partner = NULL, external_id = NULL, cancel_reason = NULL "
                  "WHERE person_id = ?", (person_id,))
    store.execute(f"UPDATE event SET note = NULL WHERE case_id IN ({cases})", (person_id,))
    store.execute(f"UPDATE contact SET note = NULL WHERE case_id IN ({cases})", (person_id,))
    sets = ", ".join(f"{column} = NULL" for column in DIAGNOSTIC_TEXTS)
    store.execute(f"UPDATE diagnostic SET {sets} WHERE case_id IN ({cases})", (person_id,))
    store.execute(f"UPDATE need SET description = '' WHERE case_id IN ({cases})", (person_id,))
    store.execute(f"UPDATE measure SET host = NULL, note = NULL WHERE case_id IN ({cases})", (person_id,))


def _restrictions(value):
    if value is None:
        return None
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def everything_on(store: Store, person_id: int) -> dict:
    """All the store holds on one person (right of access), health data included."""
    from capcli.store import audit

    person = queries.get_person(store, person_id)
    cases = []
    for row in store.execute("SELECT * FROM accompaniment WHERE person_id = ? ORDER BY id", (person_id,)):
        case = dict(row)
        case["consent"], case["at_risk"] = bool(case["consent"]), bool(case["at_risk"])
        if case["employer_id"]:
            employer = store.execute("SELECT name, siret FROM employer WHERE id = ?", (case["employer_id"],)).fetchone()
            case["employer"] = dict(employer) if employer else None
        case["events"] = queries.events_of_case(store, case["id"])
        case["contacts"] = [
            {**dict(r), "at_risk": None if r["at_risk"] is None else bool(r["at_risk"])}
            for r in store.execute("SELECT * FROM contact WHERE case_id = ? ORDER BY number, id", (case["id"],))
        ]
        case["needs"] = queries.needs_of_case(store, case["id"])
        case["measures"] = [dict(r) for r in store.execute("SELECT * FROM measure WHERE case_id = ? ORDER BY id",
                                                           (case["id"],))]
        case["diagnostics"] = [
            {**dict(r), "restrictions": _restrictions(r["restrictions"])}
            for r in store.execute("SELECT * FROM diagnostic WHERE case_id = ? ORDER BY on_date, id", (case["id"],))
        ]
        cases.append(case)
    renewals = [dict(r) for r in store.execute("SELECT * FROM rqth_renewal WHERE person_id = ? ORDER BY id", (person_id,))]
    return {"person": person, "cases": cases, "rqth_renewals": renewals,
            "audit": audit.entries(store, "person", person_id)}
