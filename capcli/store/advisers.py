"""The advisers a team store knows (its ``adviser`` table, capcli/store/pg.py), and the caseloads
every store holds (the advisers of its cases)."""

from __future__ import annotations

from capcli.store import is_team
from capcli.store.engine import Store


def keeps_registry(store: Store) -> bool:
    """A team store keeps the list of its advisers; a local file takes any name."""
    return is_team(store)


def registered(store: Store) -> set[str]:
    if not keeps_registry(store):
        return set()
    return {row[0] for row in store.execute("SELECT name FROM adviser")}


def register(store: Store, name: str, *, on: str, by: str) -> None:
    store.execute("INSERT INTO adviser (name, added_on, added_by) VALUES (?, ?, ?)", (name, on, by))


def caseloads(store: Store) -> list[dict]:
    """Every adviser registered or with a case: open and all (cancelled aside) cases."""
    rows = store.execute(
        "SELECT adviser, SUM(CASE WHEN closed_on IS NULL THEN 1 ELSE 0 END), COUNT(*) FROM accompaniment "
        "WHERE cancelled_on IS NULL GROUP BY adviser"
    )
    found = {name: {"name": name, "open": int(o or 0), "cases": int(n or 0), "added_on": None, "added_by": None}
             for name, o, n in rows}
    if keeps_registry(store):
        for name, on, by in store.execute("SELECT name, added_on, added_by FROM adviser"):
            entry = found.setdefault(name, {"name": name, "open": 0, "cases": 0})
            entry.update(added_on=on, added_by=by)
    return sorted(found.values(), key=lambda a: a["name"])


def staged_advisers(store: Store) -> list[tuple[int, str]]:
    """(first line, adviser) of each adviser named by the cases an import has staged."""
    from capcli.store.transfer import CASES

    return [(int(line), name) for name, line in store.execute(
        f"SELECT s.adviser, MIN(s.line) FROM {CASES} s WHERE s.adviser IS NOT NULL AND s.adviser <> '' GROUP BY s.adviser "
        "ORDER BY MIN(s.line)")]
