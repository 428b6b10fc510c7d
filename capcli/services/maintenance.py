"""The store's upkeep: a consistent copy (`capcli backup`) and its checks (`capcli check`)."""

from __future__ import annotations

from pathlib import Path

from capcli.store import engine, health
from capcli.store.engine import Store


def backup(store: Store, target: Path | None = None) -> Path:
    """Copy the store to ``target`` (default: beside the store, with a timestamp); the copy's path."""
    return engine.backup_to(store, target if target is not None else engine.backup_path(store.path))


def check(store: Store) -> list[str]:
    """One line per problem found: SQLite's integrity, the foreign keys, the rules of every case."""
    return health.problems(store)
