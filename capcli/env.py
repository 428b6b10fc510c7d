"""The environment a command runs in (httpie-style): tests build their own and inject it.

It answers: what day is today (CAPCLI_TODAY), who is the adviser (CAPCLI_ADVISER, else
the OS user), where is the store (--db, CAPCLI_DB, else the user's data directory), how
long to wait for another process's lock (CAPCLI_BUSY_TIMEOUT_MS), and may we ask
questions (stdin is a terminal).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path


class Env:  # a plain class, not a dataclass: `due` starts without importing dataclasses
    def __init__(self, environ: Mapping[str, str] | None = None, stdin_isatty: bool = False,
                 stdout_isatty: bool = False, db_option: str | Path | None = None) -> None:
        self.environ = dict(os.environ) if environ is None else environ
        self.stdin_isatty, self.stdout_isatty = stdin_isatty, stdout_isatty
        self.db_option = db_option  # --db, when given

    @classmethod
    def from_process(cls) -> "Env":
        return cls(
            environ=dict(os.environ),
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
        )

    @cached_property
    def today(self) -> date:
        from capcli.domain.dates import today

        return today(self.environ.get("CAPCLI_TODAY"))

    @cached_property
    def adviser(self) -> str:
        name = self.environ.get("CAPCLI_ADVISER", "").strip()
        if name:
            from capcli.domain.validate import text

            return text(name, "CAPCLI_ADVISER")  # the author of every write: no control character, UTF-8
        import getpass

        try:
            return getpass.getuser()
        except Exception:  # no user name in a bare container: still a usable author
            return "unknown"

    def signed_in(self, login: str) -> None:
        """On a team store, who you are is the database login (``session_user``): the author of
        every write and the adviser the everyday commands default to, whatever CAPCLI_ADVISER says."""
        self.__dict__["adviser"] = login

    @property
    def db_path(self) -> Path | str:
        """The store: a file, or the address of a team store (``postgresql://…``, kept as text)."""
        given = self.db_option or self.environ.get("CAPCLI_DB")
        from capcli.store import is_team_address

        if given and is_team_address(given):
            return str(given)
        if self.db_option:
            from capcli.files import user_path

            return user_path(self.db_option)
        if self.environ.get("CAPCLI_DB"):
            return Path(self.environ["CAPCLI_DB"])
        from capcli.store.engine import default_path

        return default_path()

    @property
    def busy_timeout_ms(self) -> int | None:
        """CAPCLI_BUSY_TIMEOUT_MS: how long to wait for another capcli's write lock (None: default)."""
        text = self.environ.get("CAPCLI_BUSY_TIMEOUT_MS", "").strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            from capcli.errors import InvalidValue
            from capcli.i18n import _

            raise InvalidValue(
                _("CAPCLI_BUSY_TIMEOUT_MS takes a whole number of milliseconds, not '{value}'").format(value=text)
            )
        return int(text)

    @property
    def colour(self) -> bool:
        """ANSI colours are wanted: stdout is a terminal, NO_COLOR is not set to a non-empty value
        (no-color.org: an empty NO_COLOR does not count) and the terminal is not 'dumb'."""
        return self.stdout_isatty and not self.environ.get("NO_COLOR") and self.environ.get("TERM") != "dumb"

    @property
    def interactive(self) -> bool:
        """Prompts are allowed: stdin is a terminal."""
        return self.stdin_isatty


def _isatty(stream) -> bool:
    try:
        return bool(stream and stream.isatty())
    except (AttributeError, ValueError):
        return False


_current: Env | None = None
_override: Env | None = None


def start(db_option: str | Path | None = None) -> Env:
    """Begin an invocation: a fresh environment (or the one a test injected)."""
    global _current
    from capcli import cache

    cache.install()  # the calendar rules read the holidays through the user's cache
    _current = _override if _override is not None else Env.from_process()
    _current.db_option = db_option
    return _current


def current() -> Env:
    if _current is None:
        return start()
    return _current


def inject(env: Env | None) -> None:
    """Tests: make the next invocations use ``env`` (None to stop)."""
    global _override
    _override = env
