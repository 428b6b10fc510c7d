"""The mark of a demo store (`capcli demo` replaces only its own stores)."""

from __future__ import annotations

from capcli.store.engine import Store

MARKER = "demo"


def is_demo(store: Store) -> bool:
    return store.execute("SELECT value FROM capcli_meta WHERE key = ?", (MARKER,)).fetchone() is not None


def mark_demo(store: Store) -> None:
    """Mark ``store`` as a demo store (inside the caller's transaction)."""
    store.execute("INSERT INTO capcli_meta (key, value) VALUES (?, ?)", (MARKER, "1"))
