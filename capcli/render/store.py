"""The screens of the store commands: backup, check, store copy, purge, settings and demo."""

from __future__ import annotations

from pathlib import Path

from capcli.i18n import _, ngettext
from capcli.render import ui


# --- backup and check ------------------------------------------------------------------


def backup(path: Path, *, as_json: bool = False) -> None:
    """The backup's path (the one line a script reads), or ``{"path"}``."""
    if as_json:
        ui.json_out({"path": str(path)})
    else:
        ui.out(str(path))


def check(problems: list[str], *, as_json: bool = False) -> None:
    """'store OK', or one line per problem and the summary on stderr; ``{"ok", "problems"}``."""
    if as_json:
        ui.json_out({"ok": not problems, "problems": problems})
    elif not problems:
        ui.out(_("store OK"))
    else:
        for line in problems:
            ui.out(line)
    if problems:
        ui.err(_("{n} problem(s) found in the store: restore a backup or correct them").format(n=len(problems)))


def copied(result: dict, *, as_json: bool = False) -> None:
    """What `store copy` copied: the rows of each table (and the advisers a team store now knows);
    ``{"from", "to", "tables", "advisers"}``."""
    if as_json:
        ui.json_out(result)
        return
    ui.out(_("Copied {source} to {target}:").format(source=result["from"], target=result["to"]))
    ui.columns([_("table"), _("rows")], [[table, n] for table, n in result["tables"].items()])
    if result["advisers"] is not None:
        ui.out(ngettext("{n} adviser named in the cases is now known to the team store.",
                        "{n} advisers named in the cases are now known to the team store.",
                        result["advisers"]).format(n=result["advisers"]))


# --- settings ----------------------------------------------------------------------------


def settings(current: dict[str, int], *, as_json: bool = False) -> None:
    """``name = value`` lines, or ``{name: value}``."""
    if as_json:
        ui.json_out(current)
        return
    for name, number in current.items():
        ui.out(f"{name} = {number}")


# --- purge -------------------------------------------------------------------------------


def purge_candidates(due: list[dict], years: int) -> None:
    """The people past the retention period, as a table (or the sentence saying there is none)."""
    if not due:
        ui.out(ngettext("No one is past the retention period ({years} year).",
                        "No one is past the retention period ({years} years).", years).format(years=years))
        return
    ui.out(ngettext("Past the retention period ({years} year: no open case, no contact with the person since):",
                    "Past the retention period ({years} years: no open case, no contact with the person since):",
                    years).format(years=years))
    ui.columns(
        [_("id"), _("name"), _("last contact")],
        [[p["id"], f"{p['last_name']} {p['first_name']}".strip(), ui.fmt_date(p["last_recorded"])] for p in due],
    )


def purge_looks(looks: dict) -> None:
    """The access log's entries past its retention period, which `purge` deletes once confirmed."""
    if looks["older"]:
        ui.out(ngettext("{n} access log entry is older than {months} months (its retention period).",
                        "{n} access log entries are older than {months} months (their retention period).",
                        looks["older"]).format(n=looks["older"], months=looks["months"]))


def purge_question(n: int) -> str:
    return ngettext("Anonymise this person? Identity, contact details and health data are deleted for good.",
                    "Anonymise these {n} people? Identity, contact details and health data are deleted for good.",
                    n).format(n=n)


def purge_not_done(n: int, *, dry_run: bool) -> None:
    if dry_run:
        ui.out(_("dry run: nothing was written"))
        return
    ui.err(ngettext("nothing anonymised: add --yes to anonymise this person",
                    "nothing anonymised: add --yes to anonymise these {n} people", n).format(n=n))


def purge_erase_unfinished(path) -> None:
    ui.err(_("another program is reading the store: older copies of the erased data stay in {path} and its "
             "-wal until it closes the store (the last one to close it empties the -wal)").format(path=path))


def purge_result(due: list[dict], done: list[int], years: int, looks: dict, *, as_json: bool = False) -> None:
    """``{"retention_years", "due", "anonymised", "access_log": {"months", "older", "deleted"}}``, or the
    counts anonymised and deleted."""
    if as_json:
        ui.json_out({"retention_years": years, "due": due, "anonymised": done, "access_log": looks})
        return
    if done:
        ui.out(ngettext("Anonymised {n} person.", "Anonymised {n} people.", len(done)).format(n=len(done)))
    if looks["deleted"]:
        ui.out(ngettext("Deleted {n} access log entry older than {months} months.",
                        "Deleted {n} access log entries older than {months} months.",
                        looks["deleted"]).format(n=looks["deleted"], months=looks["months"]))


# --- demo --------------------------------------------------------------------------------


def invocation(argv0: str, on_path: str | None, executable: str) -> str:
    """How to run this capcli again, for the commands the demo suggests: ``capcli`` when the
    ``capcli`` found on the PATH (``on_path``) is the script running; else the script as it was
    typed (``.venv/bin/capcli``, as the README's first command leaves it); ``python -m capcli``
    when run so."""
    import os
    import shlex

    if Path(argv0).name == "__main__.py":
        return f"{shlex.quote(executable)} -m capcli"
    try:
        if on_path and os.path.samefile(on_path, argv0):
            return "capcli"
    except OSError:
        pass
    return shlex.quote(argv0)


def demo(result, *, colour: bool = False, as_json: bool = False) -> None:
    """The demo store's path, its cases and its morning report, with the commands to go on;
    ``{"path", "cases"}`` (cases: how many)."""
    if as_json:
        ui.json_out({"path": str(result.path), "cases": len(result.cases)})
        return
    import shlex
    import shutil
    import sys

    from capcli.render import due

    capcli = invocation(sys.argv[0], shutil.which("capcli"), sys.executable)
    db = shlex.quote(str(result.path))
    rows = result.cases
    ui.out(_("Demo store: {path}").format(path=result.path))
    ui.out()
    ui.columns(
        [_("id"), _("kind"), _("phase"), _("status"), _("person"), _("employer"), _("opened"), _("follows")],
        [[c["id"], c["kind"], c["phase"], c["outcome"] or _("open"), f"{c['last_name']} {c['first_name']}",
          c["employer_name"] or "", ui.fmt_date(c["opened_on"]), c["follows_id"] or ""] for c in rows],
    )
    for message in result.refused:
        ui.out()
        ui.out(_("Refused by the aid catalogue, as 'need add --aid' says it:"))
        import textwrap

        for line in textwrap.wrap(message, 78, break_on_hyphens=False):
            ui.out("  " + line)
    ui.out()
    ui.out(_("Follow-up contacts to do, as '{capcli} --db {path} due' shows them each morning:").format(
        capcli=capcli, path=db))
    ui.out()
    due.print_report(result.due, colour=colour)
    ui.out()
    ui.out(_("Try: {capcli} --db {path} show {id}").format(capcli=capcli, path=db, id=rows[0]["id"] if rows else 1))
