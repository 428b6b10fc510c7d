"""capcli purge: the people past the retention period, anonymised on request."""

from __future__ import annotations

import typer

from capcli.commands._common import command_app, env, guard, store
from capcli.errors import UsageError
from capcli.i18n import _
from capcli.render import store as screen
from capcli.render.options import AsJson
from capcli.services import access_log, privacy

app = command_app()


@app.command("purge")
@guard
def purge(
    yes: bool = typer.Option(False, "--yes", help=_("Anonymise without asking.")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_("List who --yes would anonymise, write nothing.")),
    as_json: AsJson = False,
) -> None:
    """List the people past the retention period and, once confirmed, anonymise them."""
    if yes and dry_run:
        raise UsageError(_("--yes and --dry-run exclude each other: choose one"))
    e = env()
    with store() as s:
        due, years = privacy.purge_candidates(s, e), privacy.retention_years(s)
        looks = access_log.retention(s, e)
        if not as_json:
            screen.purge_candidates(due, years)
            screen.purge_looks(looks)
        go = bool(due) and yes
        if due and not yes and not dry_run and e.interactive and not as_json:
            from capcli import prompts  # questionary: only on a terminal

            go = prompts.confirm(screen.purge_question(len(due)), default=False)
        elif due and not yes and not (dry_run and as_json):
            screen.purge_not_done(len(due), dry_run=dry_run)
        done = privacy.anonymise(s, e, [p["id"] for p in due]) if go else []
        if done and s.erase_unfinished:
            screen.purge_erase_unfinished(s.path)
        if looks["older"] and (yes or go):
            looks["deleted"] = access_log.purge(s, e)
    screen.purge_result(due, done, years, looks, as_json=as_json)
