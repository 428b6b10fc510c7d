"""Writing files that carry people's data: created readable by their owner only (0600)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from capcli.errors import StoreError
from capcli.i18n import _


def user_path(value: "str | Path") -> Path:
    """A file name given on the command line, as a Path; one with a NUL character is refused
    (no system accepts it, and Python raises where capcli would not expect it)."""
    text = str(value)
    if "\x00" in text:
        from capcli.errors import InvalidValue

        raise InvalidValue(_("invalid file name {value!r}: it contains a NUL character").format(value=text))
    return Path(text).expanduser()


def open_for_writing(
    path: Path | str, *, private: bool = True, binary: bool = False, encoding: str = "utf-8",
    newline: str | None = None,
) -> IO:
    """Open ``path`` for writing (truncated); a private file gets mode 0600, also when it exists."""
    path = user_path(path)
    if path.is_dir():
        raise StoreError(_("{path} is a directory: give a file name").format(path=path))
    if _is_database(path):
        raise StoreError(
            _("{path} is an SQLite database (a capcli store?): capcli never writes over one; "
              "choose another file name").format(path=path)
        )
    try:
        fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600 if private else 0o666)
        try:
            if private:
                os.fchmod(fd, 0o600)  # an existing file keeps no wider mode
        except OSError:
            os.close(fd)
            raise
    except OSError as exc:
        raise StoreError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding=encoding, newline=newline)


SQLITE_HEADER = b"SQLite format 3\x00"


def _is_database(path: Path) -> bool:
    """``path`` is an SQLite database, or the -wal, -shm or -journal file beside one: an export
    or a calendar written there would destroy a store."""
    candidates = [path]
    for suffix in ("-wal", "-shm", "-journal"):
        if path.name.endswith(suffix):
            candidates.append(path.with_name(path.name[: -len(suffix)]))
    for candidate in candidates:
        try:
            with open(candidate, "rb") as file:
                if file.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
                    return True
        except OSError:
            continue
    return False
