"""What every command shares: error handling, the store, dates, and asking when allowed."""

from __future__ import annotations

import functools
import inspect
from datetime import date
from typing import Callable, TypeVar

import typer

from capcli import env as env_module
from capcli import ui
from capcli.session import store  # noqa: F401  (the commands' store)
from capcli.errors import UsageError
from capcli.i18n import _

T = TypeVar("T")

JSON_HELP = _("Print JSON (stable keys, see the README).")


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
