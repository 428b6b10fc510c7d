"""capcli open | advance | close | show | list: the accompaniment lifecycle."""

from __future__ import annotations

from typing import Optional

import typer

from capcli import ui
from capcli.commands._common import JSON_HELP, env, guard, on_date, parse_id, require, store
from capcli.i18n import _

ON_HELP = _("Date it happened (YYYY-MM-DD or DD/MM/YYYY); default today.")


def _ask_kind() -> str:
    from capcli import prompts
    from capcli.domain.codes import KINDS

    return prompts.select(_("Kind of accompaniment"), [(code, code) for code in KINDS])


PERSON_CHOICES = 300  # more than that is not a list anyone scrolls: ask for part of the name first


def _ask_person() -> int:
    """The person of a new case: chosen in the list (not anonymised), after a search when the
    store holds more people than a list can show."""
    from capcli import prompts
    from capcli.errors import RuleError
    from capcli.store import queries

    with store() as s:
        persons = queries.list_persons(s, limit=PERSON_CHOICES + 1, active_only=True)
        if not persons:
            raise RuleError(_("no person in the store yet: add one with 'capcli person add'"))
        while not persons or len(persons) > PERSON_CHOICES:
            search = prompts.text(_("Person: part of the name"),
                                  validate=lambda answer: None if answer.strip() else _("required")).strip()
            persons = queries.list_persons(s, search=search, limit=PERSON_CHOICES + 1, active_only=True)
            if not persons:
                ui.err(_("no one matches '{search}'").format(search=search))
    return prompts.select(
        _("Person"), [(f"{queries.person_name(p)} ({p['id']})", p["id"]) for p in persons]
    )


def _ask_adviser() -> str:
    from capcli import prompts

    return prompts.text(_("Adviser"), default=env().adviser,
                        validate=lambda answer: None if answer.strip() else _("required"))


def open_(
    kind: Optional[str] = typer.Argument(
        None, metavar="KIND",
        help=_("acces-emploi, maintien, maintien-en-emploi, evolution-pro, suivi-conventionnel, veille, "
               "emploi-accompagne."),
    ),
    person: Optional[str] = typer.Option(None, "--person", help=_("Person id.")),
    employer: Optional[str] = typer.Option(None, "--employer", help=_("Employer id or SIRET.")),
    adviser: Optional[str] = typer.Option(
        None, "--adviser", help=_("Adviser in charge (default CAPCLI_ADVISER, else your user name).")
    ),
    requested_by: Optional[str] = typer.Option(
        None, "--requested-by",
        help=_("personne, employeur or partenaire (default: as the case it follows, else personne)."),
    ),
    partner: Optional[str] = typer.Option(
        None, "--partner", help=_("The partner who asked (médecin du travail, France Travail, MDPH…).")
    ),
    consent: bool = typer.Option(False, "--consent", help=_("The person's consent is recorded.")),
    follows: Optional[str] = typer.Option(None, "--follows", help=_("The case this one continues.")),
    on: Optional[str] = typer.Option(None, "--on", help=ON_HELP),
    note: Optional[str] = typer.Option(None, "--note", help=_("A note for the journal.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Open a case and print its id."""
    from capcli.services.cases import open_case

    e = env()
    # The adviser has a default (you): it is asked, pre-filled, only within the questions for a
    # missing kind or person, never on its own (a script run from a terminal must not stop).
    wizard = e.interactive and (kind is None or person is None)
    from capcli.domain import codes

    if kind is not None:
        kind = codes.kind(kind).code  # refused before any question, as the other values given
    if requested_by is not None:
        codes.choice(requested_by, codes.REQUESTERS, _("requester"))
    follows_id = parse_id(follows, _("case id"))
    day = on_date(on)
    kind = require(kind, "KIND", _ask_kind)
    person_id = require(parse_id(person, _("person id")), "--person", _ask_person)
    if adviser is None:
        adviser = _ask_adviser() if wizard else e.adviser
    with store() as s:
        opened = open_case(
            s, e, kind=kind, person_id=person_id, adviser=adviser.strip(), on=day,
            employer_id=employer, requested_by=requested_by, partner=partner, consent=consent,
            follows_id=follows_id, note=note,
        )
    if as_json:
        ui.json_out({"id": opened.case_id, "contacts": [{"id": cid, "due_on": due} for cid, due in opened.contacts]})
        return
    ui.out(str(opened.case_id))
    for contact_id, due_on in opened.contacts:
        ui.out(_("  contact {id} due {date}").format(id=contact_id, date=ui.fmt_due(due_on)))


def advance(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    to: Optional[str] = typer.Option(None, "--to", help=_("A later phase to move to (default: the next one).")),
    note: Optional[str] = typer.Option(None, "--note", help=_("A note for the journal.")),
    on: Optional[str] = typer.Option(None, "--on", help=ON_HELP),
) -> None:
    """Move a case forward to its next phase (never backward)."""
    from capcli.services.cases import advance_case

    case_id = parse_id(case, _("case id"))
    day = on_date(on)
    with store() as s:
        before, after = advance_case(s, env(), case_id, to=to, on=day, note=note)
    ui.out(_("case {id}: {before} -> {after}").format(id=case_id, before=before, after=after))


def close(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    outcome: Optional[str] = typer.Option(None, "--outcome", help=_("How the case ends (see the README).")),
    a_risque: bool = typer.Option(
        False, "--a-risque", help=_("maintien-en-emploi only: the job stays at risk, open a veille.")
    ),
    force: bool = typer.Option(False, "--force", help=_("Close although its follow-up contacts are not done.")),
    contract: Optional[str] = typer.Option(
        None, "--contract", help=_("acces-emploi closed in a job: cdi, cdd or interim (checked against the outcome).")
    ),
    months: Optional[str] = typer.Option(None, "--months", metavar="N",
                                         help=_("Length of the CDD or interim, in months.")),
    note: Optional[str] = typer.Option(None, "--note", help=_("A note for the journal.")),
    on: Optional[str] = typer.Option(None, "--on", help=ON_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Close a case with its outcome; print what the rules opened and scheduled."""
    from capcli.domain.validate import whole_number
    from capcli.services.cases import close_case

    case_id = parse_id(case, _("case id"))
    months_count = whole_number(months, "--months", maximum=600)
    day = on_date(on)  # the values given are checked before a missing --outcome is asked or refused
    if contract is not None:
        from capcli.domain import codes

        codes.choice(contract, codes.CONTRACTS, _("contract"))

    def ask_outcome() -> str:
        from capcli import prompts
        from capcli.domain.codes import KINDS
        from capcli.domain.rules import check_closable
        from capcli.store import queries

        with store() as s:
            found = queries.get_case(s, case_id)
        check_closable(found)  # before asking: a closed case has no outcome to choose
        return prompts.select(_("Outcome"), [(code, code) for code in KINDS[found.kind].outcomes])

    outcome = require(outcome, "--outcome", ask_outcome)
    with store() as s:
        closed = close_case(s, env(), case_id, outcome=outcome, on=day, at_risk=a_risque, force=force, note=note,
                            contract=contract, months=months_count)
    if as_json:
        ui.json_out({
            "id": case_id,
            "outcome": closed.outcome,
            "opened": [
                {"id": o.case_id, "kind": o.kind, "contacts": [{"id": cid, "due_on": due} for cid, due in o.contacts],
                 "also_open": o.also_open}
                for o in closed.opened
            ],
        })
        return
    ui.out(_("case {id} closed: {outcome} ({date})").format(id=case_id, outcome=closed.outcome, date=ui.fmt_date(day)))
    for opened in closed.opened:
        ui.out(_("opened case {id} ({kind}): {reason}").format(id=opened.case_id, kind=opened.kind,
                                                              reason=_(opened.reason)))
        for contact_id, due_on in opened.contacts:
            ui.out(_("  contact {id} due {date}").format(id=contact_id, date=ui.fmt_due(due_on)))
        for other in opened.also_open:
            ui.out(_("  case {other} ({kind}) of this person is still open: close it when it is over").format(
                other=other, kind=opened.kind))


def show(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Show a case: phase, contacts, needs, diagnostic and its whole journal."""
    from capcli import views
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


def list_(
    adviser: Optional[str] = typer.Option(None, "--adviser", help=_("Only this adviser's cases.")),
    kind: Optional[str] = typer.Option(None, "--kind", help=_("Only cases of this kind.")),
    status: Optional[bool] = typer.Option(None, "--open/--closed", help=_("Only open, or only closed, cases.")),
    person: Optional[str] = typer.Option(None, "--person", help=_("Only this person's cases.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """List cases."""
    from capcli.domain import codes
    from capcli.store import queries

    if kind:
        kind = codes.kind(kind).code
    person_id = parse_id(person, _("person id"))
    wanted = None if status is None else ("open" if status else "closed")
    with store() as s:
        cases = queries.list_cases(s, adviser=adviser, kind=kind, status=wanted, person_id=person_id)
    if as_json:
        ui.json_out([
            {
                "id": c["id"], "kind": c["kind"], "phase": c["phase"],
                "status": "open" if c["closed_on"] is None else "cancelled" if c["cancelled_on"] else "closed",
                "outcome": c["outcome"],
                "person": {"id": c["person_id"], "name": f"{c['last_name']} {c['first_name']}"},
                "employer": c["employer_name"], "adviser": c["adviser"], "opened_on": c["opened_on"],
                "closed_on": c["closed_on"], "follows": c["follows_id"], "external_id": c["external_id"],
            }
            for c in cases
        ])
        return
    ui.columns(
        [_("id"), _("kind"), _("phase"), _("status"), _("person"), _("employer"), _("adviser"), _("opened"),
         _("closed")],
        [[c["id"], c["kind"], c["phase"], c["outcome"] or (_("cancelled") if c["cancelled_on"] else _("open")),
          f"{c['last_name']} {c['first_name']}",
          c["employer_name"] or "", c["adviser"], ui.fmt_date(c["opened_on"]), ui.fmt_date(c["closed_on"])]
         for c in cases],
        empty=_("No case matches."),
    )


def register(app: typer.Typer) -> None:
    app.command("open")(guard(open_))
    app.command("advance")(guard(advance))
    app.command("close")(guard(close))
    app.command("show")(guard(show))
    app.command("list")(guard(list_))
