"""The message layer: every user-facing sentence goes through ``_``.

English is the source language. The language is chosen once per process from
``CAPCLI_LANG``, else the usual ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; catalogues live in
``capcli/locale/<lang>/LC_MESSAGES/capcli.mo``. Codes (kinds, phases, outcomes, JSON keys,
CSV columns) are never translated.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "capcli"

_translation: gettext.NullTranslations | None = None


def language(environ=os.environ) -> str:
    """The two-letter language asked for by the environment ('en' when none)."""
    for var in ("CAPCLI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if value:
            code = value.split(".")[0].split("_")[0].split("-")[0].lower()
            if code in ("c", "posix"):
                return "en"
            return code
    return "en"


def _load() -> gettext.NullTranslations:
    global _translation
    if _translation is None:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language()], fallback=True)
    return _translation


def reset() -> None:
    """Forget the loaded catalogue (tests switch languages)."""
    global _translation
    _translation = None


def _(message: str) -> str:
    return _load().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _load().ngettext(singular, plural, n)
