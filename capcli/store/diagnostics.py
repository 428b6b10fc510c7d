"""Reads of diagnostic revisions, in portable SQL."""

from __future__ import annotations

from capcli.store.engine import Store


def revision_count(store: Store, case_id: int) -> int:
    return store.execute("SELECT COUNT(*) FROM diagnostic WHERE case_id = ?", (case_id,)).fetchone()[0]


def revisions(store: Store, case_id: int) -> list[dict]:
    """Every revision of a case's diagnostic, oldest first."""
    rows = store.execute("SELECT * FROM diagnostic WHERE case_id = ? ORDER BY on_date, id", (case_id,))
    return [dict(row) for row in rows]
