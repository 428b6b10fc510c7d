"""The store of the current invocation, opened the same way by every command.

Free of Typer, so that the fast path of `capcli due` shares it with the Typer commands.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from capcli import env as env_module
from capcli.render import ui
from capcli.i18n import _


@contextmanager
def store(*, create: bool = False, scratch: bool = False, at: Path | str | None = None,
          read_only: bool = False) -> Iterator:
    """Open the store named by --db / CAPCLI_DB (upgrading it if needed, and saying so).

    Where no store exists, only a command that writes and can start a store (``create=True``:
    person add, employer add, open, import, settings KEY VALUE) creates it; every other command
    refuses (a mistyped --db is not a new store), and nothing is created, not even a folder.
    ``scratch`` (`import --dry-run`): where no store exists, an empty one in a temporary folder,
    removed after, so that a file can be checked before the first store is made.
    ``at``: this store rather than --db's (`store copy --from`).
    ``read_only``: the command only reads (`due`; see ``engine.open_store``)."""
    from capcli.store.engine import LATEST_VERSION, open_store

    e = env_module.current()
    if scratch and isinstance(e.db_path, Path) and not e.db_path.exists():
        import tempfile

        ui.err(_("no store at {path} yet: the file is checked against an empty store").format(path=e.db_path))
        with tempfile.TemporaryDirectory(prefix="capcli-dry-run-") as folder:
            opened = open_store(Path(folder) / "empty.sqlite", busy_timeout_ms=e.busy_timeout_ms, create=True)
            try:
                yield opened
            finally:
                opened.close()
        return
    opened = open_store(e.db_path if at is None else at, busy_timeout_ms=e.busy_timeout_ms, create=create,
                        read_only=read_only)
    login = getattr(opened, "login", None)
    if login is not None:  # a team store: the database says who is writing
        e.signed_in(login)
    if opened.upgraded_from is not None:
        ui.err(
            _("upgraded the store from schema {old} to {new}; the old one is kept in {backup}").format(
                old=opened.upgraded_from, new=LATEST_VERSION, backup=opened.upgrade_backup
            )
        )
    try:
        yield opened
    finally:
        opened.close()
