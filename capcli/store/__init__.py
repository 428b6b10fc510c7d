"""The store: schema (SQLModel), connection (SQLite specifics live here) and queries."""
