"""capcli demo: a small sample caseload to try capcli on."""

from __future__ import annotations

from pathlib import Path


from capcli.render import ui
from capcli.commands._common import command_app, env, guard
from capcli.i18n import _

app = command_app()


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


@app.command("demo")
@guard
def demo() -> None:
    """Build a demo store (a dozen people across every kind) and show its cases and follow-ups.

    The demo store lives beside the real one (or at --db) and is rebuilt each time; it never
    replaces a store that is not a demo store.
    """
    from capcli.commands import due
    from capcli.services import demo as demo_service
    from capcli.services.due import due_report
    from capcli.store import queries

    e = env()
    path = demo_service.demo_path(e)
    store = demo_service.build(e, path)
    try:
        rows = queries.list_cases(store)
        report = due_report(store, today=e.today, adviser=e.adviser)
    finally:
        store.close()
    import shlex
    import shutil
    import sys

    capcli = invocation(sys.argv[0], shutil.which("capcli"), sys.executable)
    db = shlex.quote(str(path))
    ui.out(_("Demo store: {path}").format(path=path))
    ui.out()
    ui.columns(
        [_("id"), _("kind"), _("phase"), _("status"), _("person"), _("employer"), _("opened"), _("follows")],
        [[c["id"], c["kind"], c["phase"], c["outcome"] or _("open"), f"{c['last_name']} {c['first_name']}",
          c["employer_name"] or "", ui.fmt_date(c["opened_on"]), c["follows_id"] or ""] for c in rows],
    )
    ui.out()
    ui.out(_("Follow-up contacts to do, as '{capcli} --db {path} due' shows them each morning:").format(
        capcli=capcli, path=db))
    ui.out()
    due.print_report(report, colour=e.colour)
    ui.out()
    ui.out(_("Try: {capcli} --db {path} show {id}").format(capcli=capcli, path=db, id=rows[0]["id"] if rows else 1))
