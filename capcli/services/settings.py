"""The agency's settings (`capcli settings`): read them, change one (journaled)."""

from __future__ import annotations

from capcli.domain.settings import Settings, parse_value
from capcli.env import Env
from capcli.store import audit, queries, team
from capcli.store.engine import Store


def read(store: Store, key: str | None = None) -> dict[str, int]:
    """Every setting ({name: value}), or only ``key`` (an unknown one is refused with the list)."""
    current = Settings.from_pairs(queries.settings_pairs(store))._asdict()
    if key is None:
        return current
    parse_value(key, str(current.get(key, 0)))  # an unknown key: the message that lists the settings
    return {key: current[key]}


def change(store: Store, env: Env, key: str, value: int) -> dict[str, int]:
    """Set ``key`` to ``value`` (already checked by ``parse_value``) for the whole agency, journaled;
    return the setting as now stored."""
    parse_value(key, str(value))
    team.require_manager(store, "settings")
    with store.transaction():
        queries.set_setting(store, key, str(value))
        audit.record(store, author=env.adviser, action="setting-changed", subject="setting",
                     detail=f"{key}={value}")
    return read(store, key)
