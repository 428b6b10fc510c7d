"""Writing files that carry people's data: created readable by their owner only (0600)."""

from __future__ import annotations

import os
from pathlib import Path

from capcli.errors import StoreError
from capcli.i18n import _


def write_private(path: Path | str, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` with mode 0600, also when the file already exists."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise StoreError(_("{path} is a directory: give a file name").format(path=path))
    try:
        fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        try:
            os.fchmod(fd, 0o600)  # an existing file keeps no wider mode
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                fd = None
                stream.write(text)
        finally:
            if fd is not None:
                os.close(fd)
    except OSError as exc:
        raise StoreError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    return path
