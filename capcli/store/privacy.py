"""Reads and writes for data protection: everything held on a person, their last activity,
and anonymisation. Portable SQL; dates as ISO text."""

from __future__ import annotations

import json
from datetime import date

from capcli.domain.retention import CODES_ONLY_DETAILS, CONTACT_ACTIONS, month_start
from capcli.store import queries
from capcli.store.engine import Store

# An anonymised person keeps names that pass `person add`'s checks: the store's exports still import.
ANONYMOUS_LAST, ANONYMOUS_FIRST = "ANONYME", "-"
DIAGNOSTIC_TEXTS = ("situation", "restrictions", "disability_type", "health_opinion", "capacities",
                    "aspirations", "impact")


def activity(store: Store) -> dict[int, dict]:
    """For each person not yet anonymised: name, open cases, the day they were entered and the
    latest day of each kind of contact with them (retention.CONTACT_ACTIONS)."""
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
            f"WHERE e.action IN ({', '.join(repr(a) for a in CONTACT_ACTIONS)}) GROUP BY c.person_id")
    collect("SELECT c.person_id, MAX(t.done_on) FROM contact t JOIN accompaniment c ON c.id = t.case_id "
            "GROUP BY c.person_id")
    collect("SELECT c.person_id, MAX(d.on_date) FROM diagnostic d JOIN accompaniment c ON c.id = d.case_id "
            "GROUP BY c.person_id")
    collect("SELECT c.person_id, MAX(COALESCE(m.ended_on, m.starts_on)) FROM measure m "
            "JOIN accompaniment c ON c.id = m.case_id GROUP BY c.person_id")
    return people


def anonymise_person(store: Store, person_id: int, on: date) -> None:
    """Drop identity, contact details, free texts and health data; keep kinds, codes and outcomes,
    the birth year and the months of the path (domain.retention: the CNIL's three tests)."""
    born = queries.as_date(store.execute("SELECT birth_date FROM person WHERE id = ?", (person_id,)).fetchone()[0])
    store.execute(
        "UPDATE person SET last_name = ?, first_name = ?, birth_date = NULL, email = NULL, phone = NULL, "
        "address = NULL, external_id = NULL, rqth_until = NULL, rqth_definitive = ?, anonymised_on = ?, "
        "birth_year = ? WHERE id = ?",
        (ANONYMOUS_LAST, ANONYMOUS_FIRST, False, on.isoformat(), born and born.year, person_id),
    )
    cases = "SELECT id FROM accompaniment WHERE person_id = ?"
    store.execute("UPDATE accompaniment SET partner = NULL, external_id = NULL, cancel_reason = NULL, "
                  "employer_id = NULL WHERE person_id = ?", (person_id,))
    kept = ", ".join(repr(a) for a in CODES_ONLY_DETAILS)
    store.execute(f"UPDATE event SET note = NULL WHERE case_id IN ({cases})", (person_id,))
    store.execute(f"UPDATE event SET detail = NULL WHERE action NOT IN ({kept}) AND case_id IN ({cases})",
                  (person_id,))
    store.execute(f"UPDATE contact SET note = NULL WHERE case_id IN ({cases})", (person_id,))
    sets = ", ".join(f"{column} = NULL" for column in DIAGNOSTIC_TEXTS)
    store.execute(f"UPDATE diagnostic SET {sets} WHERE case_id IN ({cases})", (person_id,))
    store.execute(f"UPDATE measure SET host = NULL, note = NULL WHERE case_id IN ({cases})", (person_id,))
    store.execute(f"UPDATE need SET description = '', aid = NULL, documents = NULL WHERE case_id IN ({cases})",
                  (person_id,))
    _to_months(store, "person", ("created_on",), "id = ?", person_id)
    _to_months(store, "rqth_renewal", ("rqth_until", "filed_on", "decided_on", "granted_until"), "person_id = ?",
               person_id)
    _to_months(store, "accompaniment", ("opened_on", "closed_on", "cancelled_on", "signalement_on"),
               "person_id = ?", person_id)
    for table, columns in (("event", ("on_date", "recorded_at")), ("contact", ("due_on", "done_on")),
                           ("diagnostic", ("on_date",)), ("need", ("created_on", "updated_on")),
                           ("measure", ("starts_on", "ends_on", "ended_on", "off_since", "return_on", "created_on"))):
        _to_months(store, table, columns, f"case_id IN ({cases})", person_id)


def _to_months(store: Store, table: str, columns: tuple[str, ...], where: str, person_id: int) -> None:
    """Every day of ``columns`` (dates, or the date of a timestamp) brought back to its month, row by
    row in Python (portable: no date function of either engine)."""
    rows = store.execute(f"SELECT id, {', '.join(columns)} FROM {table} WHERE {where}", (person_id,)).fetchall()
    for row_id, *values in rows:
        months = []
        for column, value in zip(columns, values):
            day = queries.as_date(value)
            month = None if day is None else month_start(day).isoformat()
            months.append(month + " 00:00:00" if month and column == "recorded_at" else month)
        store.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                      (*months, row_id))


def _restrictions(value):
    if value is None:
        return None
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def everything_on(store: Store, person_id: int) -> dict:
    """All the store holds on one person (right of access), health data included."""
    from capcli.store import access_log, audit

    person = queries.get_person(store, person_id)
    person["birth_year"] = store.execute("SELECT birth_year FROM person WHERE id = ?", (person_id,)).fetchone()[0]
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
            "audit": audit.entries(store, "person", person_id), "access_log": access_log.of_person(store, person_id)}
