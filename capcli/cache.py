"""A small per-user cache of computed values (JSON files in the user's cache directory).

Only for values that are slow to compute and cheap to recompute: a missing, stale or
damaged file is ignored, and a cache that cannot be written is simply not kept.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def cache_dir() -> Path:
    """The user's cache directory for capcli (platformdirs' answer)."""
    if sys.platform.startswith("linux"):
        # platformdirs' rule on Linux, without importing it (~10 ms on every `capcli due`);
        # a test checks that both agree.
        base = os.environ.get("XDG_CACHE_HOME", "")
        return Path(base if base.strip() else os.path.expanduser("~/.cache")) / "capcli"
    from platformdirs import user_cache_path

    return user_cache_path("capcli", appauthor=False)


def load(name: str, stamp: str) -> dict | None:
    """The data saved under ``name`` with the same ``stamp`` (else None)."""
    try:
        with open(cache_dir() / name, encoding="utf-8") as file:
            saved = json.load(file)
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("stamp") != stamp or not isinstance(saved.get("data"), dict):
        return None
    return saved["data"]


def save(name: str, stamp: str, data: dict) -> None:
    """Write ``data`` under ``name`` atomically (readers never see half a file); errors are ignored."""
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = folder / f".{name}.{os.getpid()}"
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump({"stamp": stamp, "data": data}, file)
        os.replace(temporary, folder / name)
    except OSError:
        pass
