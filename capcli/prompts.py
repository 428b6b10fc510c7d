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
    except (KeyboardInterrupt, EOFError):  # Ctrl-C, Ctrl-D
        raise Cancelled(_("cancelled: nothing was written")) from None
    if answer is None:
        raise Cancelled(_("cancelled: nothing was written"))
    return answer


def _where() -> dict:
    """Questions go to the terminal, not into a redirected stdout: `capcli person add --json >
    out.json` keeps out.json pure JSON while the questions show on stderr."""
    import sys

    try:
        if not sys.stdout.isatty() and sys.stderr.isatty():
            from prompt_toolkit.output import create_output

            return {"output": create_output(stdout=sys.stderr)}
    except (AttributeError, ValueError):
        pass
    return {}


def _ctrl_d_cancels(question) -> None:
    """Ctrl-D cancels a list or yes/no question as it does a text one (prompt_toolkit binds it
    only in text fields)."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    eof = KeyBindings()

    @eof.add("c-d")
    def _eof(event):
        event.app.exit(exception=EOFError())

    question.application.key_bindings = merge_key_bindings([question.application.key_bindings, eof])


def select(message: str, choices: Sequence[tuple[str, Any]], default: Any = None) -> Any:
    """Pick one of ``choices`` given as (label, value) pairs."""
    items = [questionary.Choice(title=label, value=value) for label, value in choices]
    chosen = next((item for item in items if item.value == default), None)
    question = questionary.select(message, choices=items, default=chosen, instruction=_("(arrow keys, Enter)"),
                                  **_where())
    _ctrl_d_cancels(question)
    return _ask(question)


def text(message: str, default: str = "", validate: Callable[[str], str | None] | None = None) -> str:
    """Free text; ``validate`` returns an error message, or None when the answer is fine."""

    def check(answer: str):
        if validate is None:
            return True
        problem = validate(answer)
        return True if problem is None else problem

    return _ask(questionary.text(message, default=default, validate=check, **_where()))


def confirm(message: str, default: bool = True) -> bool:
    """Yes or no; in French 'o' (oui) answers yes as well as 'y'."""
    question = questionary.confirm(message, default=default, instruction=_("(Y/n)") if default else _("(y/N)"),
                                   **_where())
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    oui = KeyBindings()

    @oui.add("o")
    @oui.add("O")
    def _yes(event):
        event.app.exit(result=True)

    question.application.key_bindings = merge_key_bindings([question.application.key_bindings, oui])
    _ctrl_d_cancels(question)
    return bool(_ask(question))
