"""capcli settings [KEY [VALUE]]: the agency's windows and thresholds."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import codes_help, command_app, complete_setting, env, guard, store
from capcli.domain.settings import BOUNDS, parse_value
from capcli.i18n import _
from capcli.render import store as screen
from capcli.render.options import AsJson
from capcli.services import settings as service

app = command_app()


@app.command("settings")
@guard
def settings(
    key: Optional[str] = typer.Argument(
        None, metavar="[NAME]", autocompletion=complete_setting,
        help=_("A setting: {settings}.").format(settings=codes_help(BOUNDS))),
    value: Optional[str] = typer.Argument(None, metavar="[N]", help=_("Its new value, a whole number.")),
    as_json: AsJson = False,
) -> None:
    """Show the settings, or change one (stored in the store, so the whole agency shares them)."""
    number = parse_value(key, value) if value is not None else None  # refused before a store is created
    with store(create=number is not None) as s:
        current = service.read(s, key) if number is None else service.change(s, env(), key, number)
    screen.settings(current, as_json=as_json)
