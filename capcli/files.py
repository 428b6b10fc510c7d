"""Writing files that carry people's data: created readable by their owner only (0600), and
written whole or not at all.

Every file capcli writes (``export -o``, ``due --ics``, ``person export -o``, ``backup``, a new
store) goes through ``AtomicWrite``: the data goes to a temporary file beside the target
(``.NAME.capcli-tmp-XXXXXXXX``, mode 0600 from its creation), which is flushed to the disk and
then renamed over the target. A write that fails, is interrupted (Ctrl-C, SIGTERM, SIGHUP: turned
into an exception while writing) or killed leaves the previous file as it was, and at most that
temporary file. A symbolic link at the target is refused: capcli never writes through one.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from capcli.errors import CapcliError, StoreError
from capcli.i18n import _

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (`due`'s start-up)
if TYPE_CHECKING:
    from typing import IO

TEMP_MARK = ".capcli-tmp-"


def user_path(value: "str | Path") -> Path:
    """A file name given on the command line, as a Path; one with a NUL character is refused
    (no system accepts it, and Python raises where capcli would not expect it)."""
    text = str(value)
    if "\x00" in text:
        from capcli.errors import InvalidValue

        raise InvalidValue(_("invalid file name {value!r}: it contains a NUL character").format(value=text))
    return Path(text).expanduser()


def reason(exc: OSError, path: Path) -> str:
    """Why the system refused to create ``path``, in the user's language for the usual causes."""
    code = exc.errno
    if code in (errno.ENOENT, errno.ENOTDIR) and not path.parent.is_dir():
        if path.parent.exists():
            return _("{folder} is not a folder").format(folder=path.parent)
        return _("the folder {folder} does not exist").format(folder=path.parent)
    if code in (errno.EACCES, errno.EPERM):
        return _("permission denied")
    if code == errno.EROFS:
        return _("the file system is read-only")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return _("no space left on the disk")
    return exc.strerror or str(exc)


class TargetExists(StoreError):
    """``AtomicWrite(replace=False)``: the target exists (or appeared while writing)."""


class Interrupted(CapcliError):
    """SIGTERM or SIGHUP (a closed terminal) arrived while a file was being written."""

    def __init__(self, signum: int, path: Path):
        import signal

        super().__init__(_("stopped by {signal}: {path} was not written").format(
            signal=signal.Signals(signum).name, path=path))
        self.exit_status = 128 + signum  # what the shell reports for a process the signal ended


class _WholeOrNothing:
    """A ``with`` block that commits when it ends normally, and discards on any exception."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            self.commit()
        else:
            self.discard()
        return False


class AtomicWrite(_WholeOrNothing):
    """``path`` written whole or not at all: write ``temp`` (None when the target is a device or
    a pipe, written in place), then ``commit()``; ``discard()`` (or leaving a ``with`` block on an
    exception) removes the temporary file and leaves the target as it was.

    ``replace=False``: never replace an existing file (a backup): ``TargetExists``.
    ``cannot``: the message for a file that cannot be created, with {path} (or {target}) and {reason}.
    """

    def __init__(self, path: Path | str, *, replace: bool = True, cannot: str | None = None):
        import tempfile

        self.path = path = user_path(path)
        self.replace = replace
        self.temp: Path | None = None
        self._signals: dict = {}
        cannot = cannot or _("cannot write {path}: {reason}")
        if os.path.islink(path):
            raise StoreError(_("{path} is a symbolic link: capcli does not write through one; give the "
                               "file's own name").format(path=path))
        if path.is_dir():
            raise StoreError(_("{path} is a directory: give a file name").format(path=path))
        if os.path.exists(path) and not path.is_file():  # /dev/null, a named pipe: written in place
            if not replace:
                raise TargetExists(_("{target} already exists: give another file name").format(target=path))
            return
        if _is_database(path):
            raise StoreError(
                _("{path} is an SQLite database (a capcli store?): capcli never writes over one; "
                  "choose another file name").format(path=path)
            )
        self._catch_signals()
        try:
            fd, name = tempfile.mkstemp(prefix=f".{path.name[:100]}{TEMP_MARK}", dir=path.parent)
        except OSError as exc:
            self._release_signals()
            raise StoreError(cannot.format(path=path, target=path, reason=reason(exc, path))) from None
        os.close(fd)
        self.temp = Path(name)

    def commit(self) -> Path:
        """Flush the temporary file to the disk and rename it over the target."""
        if self.temp is None:
            self._release_signals()
            return self.path
        try:
            _fsync(self.temp, os.O_RDONLY)
            if self.replace:
                os.replace(self.temp, self.path)
            else:
                _link_new(self.temp, self.path)
            self.temp = None
            try:
                _fsync(self.path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))  # the rename itself
            except OSError:
                pass  # some file systems cannot sync a folder: the data itself is on the disk
        except BaseException:
            self.discard()
            raise
        self._release_signals()
        return self.path

    def discard(self) -> None:
        if self.temp is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):  # and what SQLite may have left beside it
                try:
                    os.unlink(f"{self.temp}{suffix}")
                except OSError:
                    pass
            self.temp = None
        self._release_signals()

    def _catch_signals(self) -> None:
        import signal

        def stop(signum, frame):
            for number in self._signals:  # a second signal does not cut the clean-up short
                signal.signal(number, signal.SIG_IGN)
            raise Interrupted(signum, self.path)

        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                self._signals[number] = signal.signal(number, stop)
            except (ValueError, OSError):  # not the main thread: the caller's handlers stay
                pass

    def _release_signals(self) -> None:
        import signal

        while self._signals:
            number, handler = self._signals.popitem()
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)


class _Output(_WholeOrNothing):
    """The stream ``open_for_writing`` returns: leaving its ``with`` block normally commits the
    file; an exception, or ``discard()``, drops it."""

    def __init__(self, atomic: AtomicWrite, stream: IO):
        self._atomic = atomic
        self._stream = stream
        self.write = stream.write

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def commit(self) -> Path:
        try:
            self._stream.close()  # flushes: a full disk is raised here
        except BaseException:
            self._atomic.discard()
            raise
        return self._atomic.commit()

    def discard(self) -> None:
        try:
            self._stream.close()
        except OSError:
            pass
        self._atomic.discard()


def open_for_writing(
    path: Path | str, *, private: bool = True, binary: bool = False, encoding: str = "utf-8",
    newline: str | None = None,
) -> _Output:
    """A stream to write ``path`` whole or not at all (``AtomicWrite``); use it as a ``with``
    block. A private file gets mode 0600, also when it replaces a wider one."""
    atomic = AtomicWrite(path)
    target = atomic.temp or atomic.path
    try:
        flags = os.O_WRONLY | (os.O_TRUNC if atomic.temp is None else 0)
        fd = os.open(target, flags)
        if atomic.temp is not None and not private:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
    except OSError as exc:
        atomic.discard()
        raise StoreError(_("cannot write {path}: {reason}").format(path=atomic.path, reason=reason(exc, atomic.path))
                         ) from None
    stream = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline=newline)
    return _Output(atomic, stream)


def _fsync(path: Path, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_new(temp: Path, path: Path) -> None:
    """Give ``temp`` the name ``path`` only if no file has it (a hard link is atomic and never
    replaces); on a file system without hard links (FAT), a check then a rename."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise TargetExists(_("{target} already exists: give another file name").format(target=path)) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS):
            raise
        if os.path.lexists(path):
            raise TargetExists(_("{target} already exists: give another file name").format(target=path)) from None
        os.replace(temp, path)
        return
    os.unlink(temp)


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
