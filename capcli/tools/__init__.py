"""Maintainers' tools (not imported by capcli at run time)."""
