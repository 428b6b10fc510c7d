"""capcli purge: the people past the retention period, anonymised on request."""

from __future__ import annotations

import typer

from capcli.render import ui
from capcli.commands._common import command_app, JSON_HELP, env, guard, store
from capcli.i18n import _, ngettext


app = command_app()


@app.command("purge")
@guard
def purge(
    yes: bool = typer.Option(False, "--yes", help=_("Anonymise without asking.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """List the people past the retention period and, once confirmed, anonymise them."""
    from capcli.services import privacy

    e = env()
    with store() as s:
        due = privacy.purge_candidates(s, e)
        years = privacy.retention_years(s)
        if not as_json:
            if not due:
                ui.out(ngettext("No one is past the retention period ({years} year).",
                                "No one is past the retention period ({years} years).", years).format(years=years))
                return
            ui.out(ngettext("Past the retention period ({years} year: no open case, nothing recorded since):",
                            "Past the retention period ({years} years: no open case, nothing recorded since):",
                            years).format(years=years))
            ui.columns(
                [_("id"), _("name"), _("last recorded")],
                [[p["id"], f"{p['last_name']} {p['first_name']}".strip(), ui.fmt_date(p["last_recorded"])]
                 for p in due],
            )
        go = bool(due) and yes
        if due and not yes and e.interactive and not as_json:
            from capcli import prompts

            go = prompts.confirm(
                ngettext("Anonymise this person? Identity, contact details and health data are deleted for good.",
                         "Anonymise these {n} people? Identity, contact details and health data are deleted for good.",
                         len(due)).format(n=len(due)), default=False,
            )
        elif due and not yes:
            ui.err(ngettext("nothing anonymised: add --yes to anonymise this person",
                            "nothing anonymised: add --yes to anonymise these {n} people", len(due)).format(n=len(due)))
        done = privacy.anonymise(s, e, [p["id"] for p in due]) if go else []
        if done and s.erase_unfinished:
            ui.err(_("another program is reading the store: older copies of the erased data stay in {path} and its "
                     "-wal until it closes the store (the last one to close it empties the -wal)").format(path=s.path))
    if as_json:
        ui.json_out({"retention_years": years, "due": due, "anonymised": done})
    elif done:
        ui.out(ngettext("Anonymised {n} person.", "Anonymised {n} people.", len(done)).format(n=len(done)))
