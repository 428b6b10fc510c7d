"""A small per-user cache of computed values (JSON files in the user's cache directory).

Only for values that are slow to compute and cheap to recompute: a missing, stale or
damaged file is ignored, and a cache that cannot be written is simply not kept.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path

HOLIDAY_CACHE = "holidays-FR.json"


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


# --- the French public holidays (domain.dates asks for them through use_holidays) -------------


def _holidays_stamp() -> str:
    """What the cached holidays were computed with: the installed holidays package's French rules
    (found without importing the package; a new version of it invalidates the cache)."""
    for folder in sys.path:
        try:
            info = os.stat(os.path.join(folder or ".", "holidays", "countries", "france.py"))
        except OSError:
            continue
        return f"{info.st_mtime_ns}-{info.st_size}"
    return "unknown"


@lru_cache(maxsize=64)
def french_holidays(year: int) -> frozenset[date]:
    """French public holidays of ``year``: importing holidays costs ~80 ms, more than the whole
    morning `due` may take, so the years already computed are kept in the user's cache, keyed by
    the installed package."""
    from capcli.domain import dates

    stamp = _holidays_stamp()
    saved = load(HOLIDAY_CACHE, stamp) or {}
    if str(year) in saved:
        try:
            return frozenset(date.fromisoformat(day) for day in saved[str(year)])
        except (TypeError, ValueError):
            pass
    days = dates.french_holidays(year)
    saved[str(year)] = sorted(day.isoformat() for day in days)
    save(HOLIDAY_CACHE, stamp, saved)
    return days


def install() -> None:
    """Make the calendar rules read the holidays through the user's cache."""
    from capcli.domain import dates

    dates.use_holidays(french_holidays)
