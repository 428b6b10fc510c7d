"""What every command shares: error handling, the store, dates, and asking when allowed."""

from __future__ import annotations

import functools
import inspect
from datetime import date
from typing import Callable, TypeVar

import typer

from capcli import env as env_module
from capcli.render import ui
from capcli.session import store  # noqa: F401  (the commands' store)
from capcli.errors import UsageError
from capcli.i18n import _

T = TypeVar("T")

from capcli.render.options import JSON_HELP  # noqa: E402,F401  (one declaration: capcli/render/options.py)
ON_HELP = _("Date it happened (YYYY-MM-DD or DD/MM/YYYY); default today.")


def command_app(**settings) -> typer.Typer:
    """The Typer app of one command module (``capcli.app`` loads it by the command's name)."""
    return typer.Typer(rich_markup_mode=None, pretty_exceptions_show_locals=False, add_completion=False,
                       **settings)


def guard(fn: Callable) -> Callable:
    """Turn errors into one line on stderr and their exit status: no traceback (``ui.fail``)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):  # Typer's own ways out: its exit status
            raise
        except (KeyboardInterrupt, Exception) as exc:
            status = ui.fail(exc)
            if status is None:  # CAPCLI_DEBUG: the traceback
                raise
            raise typer.Exit(status) from None

    if fn.__doc__:
        # Typer shows the docstring as the command's help: translate it (extracted by
        # capcli.tools.i18n from every function wrapped with guard).
        wrapper.__doc__ = _(inspect.cleandoc(fn.__doc__))
    return wrapper


def env() -> env_module.Env:
    return env_module.current()


def on_date(value: str | None, option: str = "--on") -> date:
    """The date given with ``option`` (ISO or day-first), or today."""
    if not value:
        return env().today
    from capcli.domain.dates import parse_date

    return parse_date(value, option)


def require(value: T | None, option: str, ask: Callable[[], T]) -> T:
    """``value`` if given; else ask on a terminal; else a usage error naming the option."""
    if value is not None:
        return value
    if env().interactive:
        return ask()
    raise UsageError(_("missing {option} (there is no terminal to ask on)").format(option=option))


def parse_id(value: str | int | None, what: str) -> int | None:
    if value is None:
        return None
    from capcli.domain.validate import positive_id

    return positive_id(value, what)


def ask_text(message: str) -> Callable[[], str]:
    """A question for ``require``: free text that may not be empty."""

    def ask() -> str:
        from capcli import prompts

        return prompts.text(message, validate=lambda answer: None if answer.strip() else _("required"))

    return ask


def ask_or_refuse(given: dict, fields: list[tuple[str, str, object]], options: str) -> dict:
    """``given`` when it names something to correct; else, on a terminal, ask which field (of
    ``fields``: key, label, current value) and its new value, pre-filled; else a usage error."""
    if given:
        return given
    if not env().interactive:
        raise UsageError(_("nothing to correct: give one of {options}").format(options=options))
    from capcli import prompts
    from capcli.render.changes import value_text

    key = prompts.select(_("What to correct"), [(f"{label}: {value_text(current)}", key) for key, label, current in fields])
    current = dict((k, c) for k, _label, c in fields)[key]
    default = "" if current in (None, "") else value_text(current) if isinstance(current, str) else str(current)
    answer = prompts.text(_("New value (empty clears it)"), default=default)
    return {key: answer}


# --- TAB completion of codes (from capcli.domain.codes: the one list of each) ---------------


def completion(values: Callable[[], "list[str] | tuple[str, ...]"]) -> Callable[[str], list[str]]:
    """A Typer ``autocompletion`` offering ``values()`` that start with what was typed."""

    def complete(incomplete: str) -> list[str]:
        return [v for v in values() if v.startswith(incomplete)]

    return complete


def _kinds():
    from capcli.domain.codes import KINDS

    return list(KINDS)


def _phases():
    from capcli.domain.codes import KINDS

    return sorted({p for k in KINDS.values() for p in k.phases})


def _outcomes():
    from capcli.domain.codes import KINDS

    return sorted({o for k in KINDS.values() for o in k.outcomes})


def _reports():
    from capcli.domain.records import REPORTS

    return list(REPORTS)


def _settings():
    from capcli.domain.settings import BOUNDS

    return list(BOUNDS)


complete_kind = completion(_kinds)
complete_phase = completion(_phases)
complete_outcome = completion(_outcomes)
complete_report = completion(_reports)
complete_setting = completion(_settings)


def codes_help(codes) -> str:
    """A help text's list of codes, from the domain's own list (never copied by hand)."""
    return ", ".join(codes)
