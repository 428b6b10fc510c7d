"""capcli demo: a small sample caseload to try capcli on."""

from __future__ import annotations

import typer

from capcli import ui
from capcli.commands._common import env, guard
from capcli.i18n import _


def demo() -> None:
    """Build a demo store (a dozen people across every kind) and show its cases and follow-ups.

    The demo store lives beside the real one (or at --db) and is rebuilt each time; it never
    replaces a store that is not a demo store.
    """
    from capcli.services import demo as demo_service
    from capcli.store import queries

    e = env()
    path = demo_service.demo_path(e)
    store = demo_service.build(e, path)
    try:
        rows = queries.list_cases(store)
        pending = store.execute(
            "SELECT k.id, k.case_id, k.number, k.due_on, c.kind, p.last_name, p.first_name, "
            "(SELECT COUNT(*) FROM contact x WHERE x.case_id = k.case_id) AS total "
            "FROM contact k JOIN accompaniment c ON c.id = k.case_id JOIN person p ON p.id = c.person_id "
            "WHERE k.done_on IS NULL AND c.closed_on IS NULL ORDER BY k.due_on, k.id"
        ).fetchall()
    finally:
        store.close()
    ui.out(_("Demo store: {path}").format(path=path))
    ui.out()
    ui.columns(
        [_("id"), _("kind"), _("phase"), _("status"), _("person"), _("employer"), _("opened"), _("follows")],
        [[c["id"], c["kind"], c["phase"], c["outcome"] or _("open"), f"{c['last_name']} {c['first_name']}",
          c["employer_name"] or "", ui.fmt_date(c["opened_on"]), c["follows_id"] or ""] for c in rows],
    )
    ui.out()
    ui.out(_("Follow-up contacts to do"))
    from datetime import date

    ui.columns(
        [_("due"), _("contact"), _("case"), _("kind"), _("person"), _("no.")],
        [[ui.fmt_day(date.fromisoformat(r["due_on"])), r["id"], r["case_id"], r["kind"],
          f"{r['last_name']} {r['first_name']}", f"{r['number']}/{r['total']}"] for r in pending],
    )
    ui.out()
    ui.out(_("Try: capcli --db {path} show {id}").format(path=path, id=rows[0]["id"] if rows else 1))


def register(app: typer.Typer) -> None:
    app.command("demo")(guard(demo))
