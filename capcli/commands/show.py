"""capcli show CASE: one case with its contacts, needs, diagnostic and history."""

from __future__ import annotations


import typer

from capcli.render import ui
from capcli.commands._common import command_app, JSON_HELP, guard, parse_id, store
from capcli.i18n import _


app = command_app()


@app.command("show")
@guard
def show(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Show a case: phase, contacts, needs, diagnostic and its whole journal."""
    from capcli.render import views
    from capcli.domain.codes import KINDS
    from capcli.services.cases import case_detail
    from capcli.store import queries

    case_id = parse_id(case, _("case id"))
    with store() as s:
        detail = case_detail(s, case_id)
    if as_json:
        ui.json_out(views.case_json(detail))
        return
    c = detail["case"]
    phases = KINDS[c.kind].phases
    trail = " > ".join(f"[{p}]" if p == c.phase else p for p in phases)
    if c.cancelled_on:
        status = _("cancelled on {date}: {reason}").format(date=ui.fmt_date(c.cancelled_on), reason=c.cancel_reason)
    else:
        status = _("open") if c.is_open else _("closed: {outcome} on {date}").format(
            outcome=c.outcome + (" (a-risque)" if c.at_risk else ""), date=ui.fmt_date(c.closed_on))
    ui.out(_("Case {id} · {kind} · {status}").format(id=c.id, kind=c.kind, status=status))
    person = detail["person"]
    lines = [
        (_("Person"), f"{queries.person_name(person)} ({person['id']})"),
        (_("Phase"), trail),
        (_("Adviser"), c.adviser),
        (_("Requested by"), c.requested_by + (f" ({c.partner})" if c.partner else "")
         + (" · " + _("consent recorded") if c.consent else "")),
        (_("Opened"), ui.fmt_date(c.opened_on)),
    ]
    if detail["employer"]:
        emp = detail["employer"]
        lines.append((_("Employer"), f"{emp['name']} · SIRET {emp['siret']} · {emp['sector']}"))
    if c.follows_id:
        lines.append((_("Follows"), _("case {id}").format(id=c.follows_id)))
    if detail["followers"]:
        lines.append((_("Followed by"), ", ".join(f"{f.id} ({f.kind})" for f in detail["followers"])))
    width = max(len(label) for label, _value in lines)
    for label, value in lines:
        ui.out(f"  {label:<{width}}  {value}")

    contacts = detail["contacts"]
    if contacts:
        ui.out()
        ui.out(_("Follow-up contacts"))
        rows = []
        for contact in contacts:
            due = ui.fmt_due(contact.due_on)
            if contact.is_done:
                state = _("done {date}").format(date=ui.fmt_date(contact.done_on)) + (
                    " · " + _("at risk") if contact.at_risk else "")
            else:
                state = _("to do")
            rows.append([contact.id, f"{contact.number}/{len(contacts)}", due, state, contact.note or ""])
        ui.columns([_("id"), _("no."), _("due"), _("state"), _("note")], rows)

    if detail["diagnostic"]:
        d = views.diagnostic_json(detail["diagnostic"], detail["diagnostic_revisions"])
        ui.out()
        ui.out(_("Diagnostic (revision {n}: {date}, {author})").format(
            n=d["revisions"], date=ui.fmt_date(d["on"]), author=d["author"]))
        for key, label in views.diagnostic_labels():
            value = "; ".join(d[key]) if key == "restrictions" else d[key]
            if value:
                ui.out(f"  {label}: {value}")

    if detail["needs"]:
        ui.out()
        ui.out(_("Compensation needs"))
        ui.columns(
            [_("id"), _("category"), _("description"), _("funder"), _("amount"), _("status"), _("since")],
            [[n["id"], n["category"], n["description"], n["funder"] or "", ui.fmt_amount(n["amount_cents"]),
              n["status"], ui.fmt_date(n["updated_on"])] for n in detail["needs"]],
        )

    ui.out()
    ui.out(_("History"))
    ui.columns(
        [_("date"), _("what"), _("detail"), _("by"), _("note")],
        [[ui.fmt_date(ev["on_date"]), views.action_label(ev["action"]), views.detail_text(ev["action"], ev["detail"]),
          ev["author"], views.note_text(ev["action"], ev["note"])] for ev in detail["events"]],
    )
