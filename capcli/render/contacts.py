"""Follow-up contacts: what `contact done|add|move` and `renew` print (their JSON:
``views.contact_json``, the same as `show --json`'s contacts)."""

from __future__ import annotations

from datetime import date

from capcli.i18n import _
from capcli.render import ui, views


def done(change, on: date, as_json: bool) -> None:
    """`contact done`: the contact recorded, then what follows (a maintien opened, the signal of rule 8,
    a suivi's next step: only commands that would work)."""
    opened = change.reopened
    if as_json:
        ui.json_out({**views.change_json(change), "reopen_signal": change.reopen_signal,
                     "opened": None if opened is None else {"id": opened.case_id, "kind": opened.kind}})
        return
    state = _("at risk") if change.contact.at_risk else _("stable")
    ui.out(_("contact {id} done ({place}) on {date}: {state}").format(
        id=change.contact.id, place=views.contact_place(change), date=ui.fmt_date(on), state=state))
    case = change.case
    if opened is not None:
        ui.out(_("opened case {id} ({kind}): {reason}").format(id=opened.case_id, kind=opened.kind,
                                                              reason=_(opened.reason)))
        ui.out(_("case {id} ({kind}) stays open: close it when the maintien has taken over").format(
            id=case.id, kind=case.kind))
    elif change.reopen_signal:
        ui.out(_("the job is at risk again during a {kind}: a maintien should be re-opened (rule 8): "
                 "capcli open maintien --person {person} --follows {case}").format(
            kind=case.kind, person=case.person_id, case=case.id))
    elif change.next_step == "close":
        ui.out(_("next: 'capcli close {case} --outcome consolide' (the suivi was renewed already)").format(
            case=case.id))
    elif change.next_step == "renew":
        ui.out(_("next: 'capcli renew {case}' (once, a contact 3 months later) or 'capcli close {case} "
                 "--outcome consolide'").format(case=case.id))


def added(change, as_json: bool) -> None:
    """`contact add`: the new contact's id, then where it stands."""
    if as_json:
        ui.json_out(views.change_json(change))
        return
    ui.out(str(change.contact.id))
    ui.out(_("  contact {id} due {date} ({place})").format(
        id=change.contact.id, date=ui.fmt_due(change.contact.due_on), place=views.contact_place(change)))


def moved(change, before: date, as_json: bool) -> None:
    """`contact move`: from which date to which (or that it was due then already)."""
    due_on = change.contact.due_on
    if as_json:
        ui.json_out({**views.change_json(change), "moved": before != due_on})
    elif before == due_on:
        ui.out(_("contact {id} ({place}) is already due {date}: nothing changed").format(
            id=change.contact.id, place=views.contact_place(change), date=ui.fmt_due(due_on)))
    else:
        ui.out(_("contact {id} ({place}) moved from {before} to {after}").format(
            id=change.contact.id, place=views.contact_place(change), before=ui.fmt_due(before),
            after=ui.fmt_due(due_on)))


def renewed(change, as_json: bool) -> None:
    """`renew`: the suivi's one more contact."""
    if as_json:
        ui.json_out(views.change_json(change))
        return
    ui.out(_("case {case} renewed: contact {id} due {date} ({number}/{of})").format(
        case=change.case.id, id=change.contact.id, date=ui.fmt_due(change.contact.due_on),
        number=change.contact.number, of=change.of))
