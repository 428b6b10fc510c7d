"""Interactive questions (questionary), asked only when stdin is a terminal.

Imported lazily: questionary and prompt_toolkit cost ~0.2 s. Ctrl-C raises ``Cancelled``
so that nothing is written.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import questionary

from capcli.errors import Cancelled
from capcli.i18n import _


def _ask(question) -> Any:
    try:
        answer = question.unsafe_ask()
    except KeyboardInterrupt:
        raise Cancelled(_("cancelled: nothing was written")) from None
    if answer is None:
        raise Cancelled(_("cancelled: nothing was written"))
    return answer


def select(message: str, choices: Sequence[tuple[str, Any]], default: Any = None) -> Any:
    """Pick one of ``choices`` given as (label, value) pairs."""
    items = [questionary.Choice(title=label, value=value) for label, value in choices]
    chosen = next((item for item in items if item.value == default), None)
    return _ask(questionary.select(message, choices=items, default=chosen))


def text(message: str, default: str = "", validate: Callable[[str], str | None] | None = None) -> str:
    """Free text; ``validate`` returns an error message, or None when the answer is fine."""

    def check(answer: str):
        if validate is None:
            return True
        problem = validate(answer)
        return True if problem is None else problem

    return _ask(questionary.text(message, default=default, validate=check))


def confirm(message: str, default: bool = True) -> bool:
    return bool(_ask(questionary.confirm(message, default=default)))
