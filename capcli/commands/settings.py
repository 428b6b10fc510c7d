"""capcli settings [KEY [VALUE]]: the agency's windows and thresholds."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import command_app, JSON_HELP, guard, store
from capcli.i18n import _

app = command_app()


@app.command("settings")
@guard
def settings(
    key: Optional[str] = typer.Argument(None, help=_("A setting's name.")),
    value: Optional[str] = typer.Argument(None, help=_("Its new value.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Show the settings, or change one (stored in the store, so the whole agency shares them)."""
    from dataclasses import asdict

    from capcli.domain.settings import Settings, parse_value
    from capcli.store import queries

    number = parse_value(key, value) if value is not None else None  # refused before a store is created
    with store(create=value is not None) as s:
        if value is not None:
            from capcli.commands._common import env
            from capcli.store import audit

            with s.transaction():
                queries.set_setting(s, key, str(number))
                audit.record(s, author=env().adviser, action="setting-changed", subject="setting",
                             detail=f"{key}={number}")
        current = asdict(Settings.from_pairs(queries.settings_pairs(s)))
    if key is not None:
        parse_value(key, str(current.get(key, 0)))  # unknown key: clear message
        current = {key: current[key]}
    if as_json:
        ui.json_out(current)
        return
    for name, number in current.items():
        ui.out(f"{name} = {number}")
