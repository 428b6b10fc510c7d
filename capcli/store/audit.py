"""The audit journal (schema 2): writes not tied to a case, with their author.

Changes to a case are events (``queries.add_event``); everything else that writes to the
store or hands its data out — person add, employer add, settings, person export, purge —
is an audit row written in the same transaction as the change. ``detail`` carries codes
and counts only, never a name or health data (the journal outlives anonymisation).
"""

from __future__ import annotations

from datetime import datetime

from capcli.store.engine import Store


def recorded_now() -> str:
    """When a journal row (event, audit, access log) is written: the clock, to the second, as ISO text."""
    return datetime.now().isoformat(sep=" ", timespec="seconds")


def record(
    store: Store,
    *,
    author: str,
    action: str,
    subject: str,
    subject_id: int | None = None,
    detail: str | None = None,
) -> int:
    row = store.execute(
        "INSERT INTO audit (recorded_at, author, action, subject, subject_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (recorded_now(), author, action, subject, subject_id, detail),
    ).fetchone()
    return row[0]


def entries(store: Store, subject: str, subject_id: int) -> list[dict]:
    rows = store.execute(
        "SELECT recorded_at, author, action, detail FROM audit WHERE subject = ? AND subject_id = ? ORDER BY id",
        (subject, subject_id),
    )
    return [dict(row) for row in rows]
