"""`capcli check`: SQLite's own checks, then the domain invariants over every case and need."""

from __future__ import annotations

from collections import defaultdict

from capcli.domain import invariants
from capcli.i18n import _
from capcli.store import queries
from capcli.store.engine import Store


def problems(store: Store) -> list[str]:
    """One line per problem found in the store; empty when it is sound."""
    damaged = store.integrity_problems()
    if damaged:
        return damaged  # the rows of a damaged file cannot be trusted enough to check the rules
    found = store.foreign_key_problems()
    contacts = defaultdict(list)
    kinds = invariants.CONTACT_RULE_KINDS
    for row in store.execute(
        "SELECT t.* FROM contact t JOIN accompaniment c ON c.id = t.case_id "
        f"WHERE c.kind IN ({', '.join('?' for _ in kinds)}) ORDER BY t.case_id, t.number, t.id",
        kinds,
    ):
        try:
            contacts[row["case_id"]].append(queries.contact_from_row(row))
        except ValueError:
            found.append(_("contact {id} has a date that is not a date").format(id=row["id"]))
    for row in store.execute("SELECT * FROM accompaniment ORDER BY id"):
        try:
            case = queries.case_from_row(row)
        except ValueError:
            found.append(_("case {id} has a date that is not a date").format(id=row["id"]))
            continue
        found.extend(invariants.case_problems(case, contacts.get(case.id, [])))
    for row in store.execute("SELECT id, case_id, category, status FROM need ORDER BY id"):
        found.extend(invariants.need_problems(row["id"], row["case_id"], row["category"], row["status"]))
    return found


def problems_of_cases(store: Store, case_ids: list[int]) -> dict[int, list[str]]:
    """The domain invariants of some cases with all their contacts (an import checks the cases it
    touched before it commits): {case id: its problems}, only the cases with one."""
    found: dict[int, list[str]] = {}
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        contacts = defaultdict(list)
        for row in store.execute(f"SELECT * FROM contact WHERE case_id IN ({marks}) ORDER BY case_id, number, id",
                                 chunk):
            contacts[row["case_id"]].append(queries.contact_from_row(row))
        for row in store.execute(f"SELECT * FROM accompaniment WHERE id IN ({marks})", chunk):
            case = queries.case_from_row(row)
            problems = invariants.case_problems(case, contacts.get(case.id, []))
            if problems:
                found[case.id] = problems
    return found
