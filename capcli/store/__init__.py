"""The store: the only layer that knows SQL and which engine it talks to (engine.py: SQLite, pg.py: PostgreSQL)."""

TEAM_SCHEMES = ("postgresql://", "postgres://")


def is_team(store) -> bool:
    """The open store is a team store (``pg.PgStore``), not a local file (``engine.Store``)."""
    return store.engine == "postgresql"


def is_team_address(text) -> bool:
    """``--db`` / ``CAPCLI_DB`` names a team store (PostgreSQL) rather than a SQLite file."""
    return str(text).startswith(TEAM_SCHEMES)
