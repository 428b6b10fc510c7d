"""How records are presented: the stable ``--json`` shapes and the journal's wording.

JSON keys never change with the language; they are documented in the README.
"""

from __future__ import annotations

import json
import re

from capcli.i18n import _, ngettext
from capcli.render.measures import measure_json
from capcli.render.people import employer_json  # noqa: F401  (views.employer_json: one shape)


_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def action_label(action: str) -> str:
    labels = {
        "opened": _("opened"),
        "advanced": _("phase"),
        "closed": _("closed"),
        "contact-scheduled": _("contact scheduled"),
        "contact-added": _("contact added"),
        "contact-moved": _("contact moved"),
        "contact-done": _("contact done"),
        "renewed": _("renewed"),
        "diagnostic": _("diagnostic"),
        "need-added": _("need added"),
        "need-status": _("need status"),
        "need-document": _("need document"),
        "imported": _("imported"),
        "import-updated": _("updated by an import"),
        "edited": _("corrected"),
        "reassigned": _("reassigned"),
        "cancelled": _("cancelled"),
        "measure-added": _("measure added"),
        "measure-renewed": _("measure renewed"),
        "measure-ended": _("measure ended"),
    }
    return labels.get(action, action)


def detail_text(action: str, detail: str | None) -> str:
    """An event's detail as shown: stored as codes and English words (the journal is data, the
    same for every reader), shown in the reader's language."""
    if not detail:
        return ""
    words = {"follows": _("follows"), "forced": _("forced"), "at-risk": _("at risk"), "stable": _("stable"),
             "revision": _("revision")}
    if action == "import-updated":  # `phase: a → b; closed_on: - → 2026-11-02`: dates as screens write them
        return _ISO_DAY.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", detail)
    if action == "edited":  # the names of the fields corrected
        labels = case_field_labels()
        return ", ".join(labels.get(f, f) for f in detail.split(" "))
    if action == "reassigned":  # "alice -> bob": names, shown as written
        return detail
    if action == "diagnostic":
        fields = dict(diagnostic_labels())
        head, _colon, rest = detail.partition(": ")
        return " ".join(words.get(w, w) for w in head.split(" ")) + (
            ": " + ", ".join(fields.get(f, f) for f in rest.split(", ")) if rest else "")
    return " ".join(words.get(w, w) for w in detail.split(" "))


def case_field_labels() -> dict:
    """The fields `case edit` corrects, as the journal and the command name them."""
    return {"adviser": _("Adviser"), "employer_id": _("Employer"), "requested_by": _("Requested by"),
            "partner": _("Partner"), "consent": _("Consent")}


def note_text(action: str, note: str | None) -> str:
    """An event's note as shown: the notes the rules write are stored in English and translated
    here; what people wrote is shown as written."""
    if not note:
        return ""
    if action == "opened" and note.startswith("rule "):
        return _(note)
    return note


def diagnostic_labels() -> list[tuple[str, str]]:
    """The diagnostic's fields with their labels, in the order they are asked and shown."""
    from capcli.domain.diagnostic import LABELS

    return [(name, _(label)) for name, label in LABELS.items()]


def contact_json(contact, of: int) -> dict:
    """A contact, the same in every command (`show`, `contact done|add|move`, `renew`)."""
    return {
        "id": contact.id,
        "case_id": contact.case_id,
        "number": contact.number,
        "of": of,
        "due_on": contact.due_on,
        "done_on": contact.done_on,
        "at_risk": contact.at_risk,
        "note": contact.note,
    }


def need_json(need: dict) -> dict:
    return {
        "id": need["id"],
        "category": need["category"],
        "description": need["description"],
        "funder": need["funder"],
        "amount": None if need["amount_cents"] is None else need["amount_cents"] / 100,
        "aid": need.get("aid"),
        "status": need["status"],
        "created_on": need["created_on"],
        "updated_on": need["updated_on"],
    }


def diagnostic_json(diagnostic: dict | None, revisions: int | None = None) -> dict | None:
    """The latest diagnostic; ``revisions`` (how many were recorded) when known."""
    if diagnostic is None:
        return None
    data = {key: diagnostic[key] for key in (
        "situation", "disability_type", "health_opinion", "capacities", "aspirations", "impact", "author",
    )}
    data["on"] = diagnostic["on_date"]
    data["restrictions"] = json.loads(diagnostic["restrictions"]) if diagnostic["restrictions"] else []
    if revisions is not None:
        data["revisions"] = revisions
    return data


def hidden_diagnostic(revisions: int) -> str:
    """A team store's diagnostic that the login may not read: that it exists, and who reads it."""
    return ngettext("Diagnostic: {n} revision, not yours to read (its advisers, now or before, and a manager "
                    "read it)", "Diagnostic: {n} revisions, not yours to read (its advisers, now or before, and a "
                    "manager read it)", revisions).format(n=revisions)


def case_json(detail: dict) -> dict:
    """The shape of `show --json`."""
    case = detail["case"]
    person = detail["person"]
    employer = detail["employer"]
    contacts = detail["contacts"]
    return {
        "id": case.id,
        "kind": case.kind,
        "phase": case.phase,
        "status": case.status,
        "outcome": case.outcome,
        "at_risk": case.at_risk,
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "cancelled_on": case.cancelled_on,
        "cancel_reason": case.cancel_reason,
        "adviser": case.adviser,
        "requested_by": case.requested_by,
        "partner": case.partner,
        "consent": case.consent,
        "signalement_by": case.signalement_by,
        "signalement_on": case.signalement_on,
        "external_id": case.external_id,
        "follows": case.follows_id,
        "followed_by": [c.id for c in detail["followers"]],
        "person": {"id": person["id"], "name": detail["person_name"]},
        "employer": employer_json(employer),
        "contacts": [contact_json(c, len(contacts)) for c in contacts],
        "needs": [need_json(n) for n in detail["needs"]],
        "measures": [measure_json(m) for m in detail.get("measures", [])],
        "diagnostic": diagnostic_json(detail["diagnostic"], detail.get("diagnostic_revisions")),
        **({"diagnostic_hidden": detail["diagnostic_hidden"]} if detail.get("diagnostic_hidden") else {}),
        "events": [
            {
                "on": e["on_date"],
                "action": e["action"],
                "detail": e["detail"],
                "note": e["note"],
                "author": e["author"],
                "recorded_at": e["recorded_at"],
            }
            for e in detail["events"]
        ],
    }


def change_json(change) -> dict:
    """The contact a command recorded or planned (``services.contacts`` result)."""
    return contact_json(change.contact, change.of)


def contact_place(change) -> str:
    """`2/3, case 12 veille`: where a contact stands, for the commands' messages."""
    return _("{number}/{of}, case {case} {kind}").format(
        number=change.contact.number, of=change.of, case=change.case.id, kind=change.case.kind)
