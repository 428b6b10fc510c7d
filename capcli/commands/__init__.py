"""One module per command group. Each is thin: parse, call a service, print.

Command modules import only typer and light modules at load time, so that ``--help``
and shell completion never import SQLModel/SQLAlchemy (a test asserts it).
"""
