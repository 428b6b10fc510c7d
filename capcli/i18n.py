"""The message layer: every user-facing sentence goes through ``_``.

English is the source language. The language is chosen once per process from
``CAPCLI_LANG``, else the usual ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; catalogues live in
``capcli/locale/<lang>/LC_MESSAGES/capcli.mo``. Codes (kinds, phases, outcomes, JSON keys,
CSV columns) are never translated.

Maintainers: after adding strings, run ``python -m capcli.tools.i18n update`` (see README,
"Language").
"""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (`due`'s start-up)
if TYPE_CHECKING:
    import gettext

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "capcli"

_translation: gettext.NullTranslations | _Source | None = None
_language = "en"


def language(environ=os.environ) -> str:
    """The two-letter language asked for by the environment ('en' when none)."""
    for var in ("CAPCLI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
            if code in ("c", "posix"):
                return "en"
            return code
    return "en"


class _Source:
    """English, the source language, with no catalogue: what ``gettext.NullTranslations`` answers,
    without importing gettext and locale on every start (`due`'s start-up)."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def pgettext(self, context: str, message: str) -> str:
        return message


def _load() -> gettext.NullTranslations | _Source:
    global _translation, _language
    if _translation is None:
        asked = language()
        found = [name for name in os.listdir(LOCALE_DIR) if name.startswith(asked)]
        if not found and asked == "en":
            _translation, _language = _Source(), "en"
            return _translation
        import gettext

        catalogue = LOCALE_DIR / asked / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if found == [asked] and catalogue.exists():
            # the one catalogue gettext.translation finds (a test checks it), read without its search
            # through locale's aliases and its copy (French start-up)
            with open(catalogue, "rb") as file:
                _translation, _language = gettext.GNUTranslations(file), asked
            return _translation
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[asked], fallback=True)
        # A language with no catalogue falls back to English, and so do its formats.
        _language = asked if isinstance(_translation, gettext.GNUTranslations) else "en"
    return _translation


def current() -> str:
    """The language in use: 'fr' when the French catalogue is loaded, else 'en'."""
    _load()
    return _language


def reset() -> None:
    """Forget the loaded catalogue (tests switch languages)."""
    global _translation
    _translation = None


def _(message: str) -> str:
    return _load().gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translate with ``_`` when shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _load().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in a context: one English word that French says two ways (``opened`` is a date
    column in a case list, a count of cases in the report)."""
    return _load().pgettext(context, message)


# Typer's and Click's own help chrome. Typer 0.28 vendors Click (``typer._click``) with its
# strings hard-coded in English; only ``typer.core`` asks the stdlib ``gettext.gettext``
# (global domain) for a few of them. ``translate_help_chrome`` routes those through our
# catalogue and patches the two hard-coded strings every help page shows.
CHROME = (
    N_("Usage: "), N_("Show this message and exit."), N_("Arguments"), N_("Options"), N_("Commands"),
    N_("default: {default}"), N_("required"), N_("env var: {var}"), N_("Missing command."),
    N_("No such command {name!r}."), N_("Aborted!"), N_("(dynamic)"),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)
_chrome_done = False


def translate_help_chrome() -> None:
    """Translate Typer/Click's help chrome with our catalogue (typer is pinned to 0.28.0)."""
    global _chrome_done
    if _chrome_done:
        return
    _chrome_done = True
    try:
        import typer.core as typer_core
        from typer._click import core as click_core
        from typer._click import formatting
    except ImportError:  # another typer layout: keep its English chrome
        return
    typer_core._ = _  # typer.core looks ``_`` up at call time

    write_usage = formatting.HelpFormatter.write_usage

    def translated_usage(self, prog, args="", prefix=None):
        return write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = translated_usage

    get_help_option = click_core.Command.get_help_option

    def translated_help_option(self, ctx):
        option = get_help_option(self, ctx)  # created once per command, then cached by Click
        if option is not None:
            option._capcli_english_help = getattr(option, "_capcli_english_help", option.help)
            option.help = _(option._capcli_english_help)
        return option

    click_core.Command.get_help_option = translated_help_option

    import typer.main as typer_main

    completion_arguments = typer_main.get_install_completion_arguments

    def translated_completion_arguments():
        # Called when the command tree is built, before the language may be known (tests build
        # it outside their environment): translate when the help is shown, not now.
        params = completion_arguments()
        for param in params:
            english, record = param.help, param.get_help_record

            def help_record(ctx, param=param, english=english, record=record):
                param.help = _(english) if english else english
                return record(ctx)

            param.get_help_record = help_record
        return params

    typer_main.get_install_completion_arguments = translated_completion_arguments
