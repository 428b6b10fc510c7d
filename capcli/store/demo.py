"""The mark of a demo store (`capcli demo` replaces only its own stores)."""

from __future__ import annotations

from pathlib import Path

from capcli.store import is_team_address
from capcli.store.engine import Store

MARKER = "demo"


def is_demo(store: Store) -> bool:
    return store.execute("SELECT value FROM capcli_meta WHERE key = ?", (MARKER,)).fetchone() is not None


def mark_demo(store: Store) -> None:
    """Mark ``store`` as a demo store (inside the caller's transaction)."""
    store.execute("INSERT INTO capcli_meta (key, value) VALUES (?, ?)", (MARKER, "1"))


def remove(path: Path | str) -> None:
    """Remove a demo store (the caller checked it is one): its file and the files beside it, or on a
    team store every object of its schema."""
    if is_team_address(path):
        from capcli.store.pg import drop_store

        drop_store(str(path))
        return
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
