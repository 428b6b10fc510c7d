"""The store's upkeep: a consistent copy (`capcli backup`), its checks (`capcli check`) and a copy to or
from a team store (`capcli store copy`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from capcli.store import engine, health
from capcli.store.engine import Store


def backup(store: Store, target: Path | None = None) -> Path:
    """Copy the store to ``target`` (default: beside the store, with a timestamp); the copy's path."""
    return engine.backup_to(store, target if target is not None else engine.backup_path(store.path))


def check(store: Store) -> list[str]:
    """One line per problem found: SQLite's integrity, the foreign keys, the rules of every case."""
    return health.problems(store)


def copy(store, target: Path | str, *, today: date, busy_timeout_ms: int | None = None) -> dict:
    """Copy the whole store into ``target``: an empty team store (``postgresql://…``) or a new file;
    ``{"from", "to", "tables": {table: rows}, "advisers"}`` (the advisers registered in a team store)."""
    from capcli.store import copy as store_copy

    return store_copy.copy_store(store, target, today=today, busy_timeout_ms=busy_timeout_ms)
