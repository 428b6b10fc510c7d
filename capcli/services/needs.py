"""Compensation needs: adding them to a case and moving their status forward, journaled."""

from __future__ import annotations

import json
from datetime import date

from capcli.domain import codes, needs, rules, validate
from capcli.domain.dates import shown
from capcli.domain.model import Case
from capcli.env import Env
from capcli.errors import RuleError
from capcli.i18n import N_, _
from capcli.store import queries
from capcli.store import needs as need_store
from capcli.store.engine import Store


def open_case(store: Store, case_id: int) -> Case:
    """The case a need is added to (refused when unknown or closed)."""
    case = queries.get_case(store, case_id)
    needs.check_case_open(case)
    rules.check_past_diagnostic(case)
    return case


def funder_suggestion(store: Store, case: Case) -> str | None:
    """The funder the case's employer suggests: none without an employer."""
    if case.employer_id is None:
        return None
    return needs.suggested_funder(queries.get_employer(store, case.employer_id)["sector"])


def add_need(
    store: Store,
    env: Env,
    case_id: int,
    *,
    category: str,
    description: str,
    funder: str | None,
    amount: str | None,
    on: date,
    use_suggested_funder: bool = True,
    aid: str | None = None,
    renewal: str | None = None,
    documents: tuple[str, ...] = (),
) -> dict:
    """Add a need; without a funder, the employer's sector suggests one (when asked to). With an
    ``aid`` of the catalogue: its rules checked (amount, ceiling, period, once per person), its
    category and funder filled in, the ``documents`` received recorded; the result lists those
    still missing."""
    catalogued = None
    if aid is not None:
        from capcli.domain import aids
        from capcli.services.aids import catalogue

        catalogued = aids.aid(catalogue(env), aid)
        documents = tuple(dict.fromkeys(aids.document(catalogued, d) for d in documents))
        if renewal is not None and catalogued.renewable_on:
            renewal = codes.choice(renewal, catalogued.renewable_on, _("renewal ground"))
        description = description or catalogued.name
    values = {
        "category": needs.category(category) if category is not None or catalogued is None else None,
        "description": validate.required_text(validate.text(description, N_("description"), multiline=True),
                                              N_("description")),
        "funder": needs.funder(funder),
        "amount_cents": needs.parse_amount(amount),
    }
    with store.transaction():
        case = open_case(store, case_id)
        rules.check_event_date(case, on, env.today)
        if catalogued is not None:
            from capcli.domain import aids

            sector = None if case.employer_id is None else queries.get_employer(store, case.employer_id)["sector"]
            values.update(aids.check_need(
                catalogued, amount_cents=values["amount_cents"], category=values["category"], funder=values["funder"],
                sector=sector, earlier=need_store.needs_of_person_with_aid(store, case.person_id, catalogued.code),
                on=on, renewal=renewal))
            values.update(aid=catalogued.code, documents=json.dumps(list(documents)) if documents else None)
        if values["funder"] is None and use_suggested_funder:
            values["funder"] = funder_suggestion(store, case)
        values.update(case_id=case_id, status="identifie", created_on=on, updated_on=on)
        need_id = queries.insert(store, "need", values)
        detail = [need_id, values["category"], values["funder"], catalogued and f"aid:{catalogued.code}",
                  renewal and f"renewal:{renewal}"]
        queries.add_event(store, case_id, on=on, author=env.adviser, action="need-added",
                          detail=" ".join(str(v) for v in detail if v))
        values["id"] = need_id
        values["missing_documents"] = missing(catalogued, documents)
        return values


def missing(aid, received) -> list[str]:
    from capcli.domain import aids

    return aids.missing_documents(aid, list(received))


def add_documents(store: Store, env: Env, need_id: int, names: list[str], *, on: date) -> dict:
    """Record documents received for a need of the catalogue; the need, with those still missing."""
    from capcli.domain import aids
    from capcli.services.aids import catalogue

    with store.transaction():
        need = need_store.get_need(store, need_id)
        if not need["aid"]:
            raise RuleError(_("need {id} has no aid of the catalogue: no document to record (need add --aid "
                              "CODE)").format(id=need_id))
        catalogued = catalogue(env).get(need["aid"])
        if catalogued is None:
            raise RuleError(_("need {id}'s aid {aid} is no longer in the catalogue").format(id=need_id, aid=need["aid"]))
        given = [aids.document(catalogued, name) for name in names]
        received = received_documents(need)
        rules.check_event_date(queries.get_case(store, need["case_id"]), on, env.today)
        new = [d for d in dict.fromkeys(given) if d not in received]
        if not new:
            raise RuleError(_("need {id}: {documents} already recorded").format(id=need_id, documents=", ".join(given)))
        received += new
        queries.update(store, "need", need_id, {"documents": json.dumps(received)})
        queries.add_event(store, need["case_id"], on=on, author=env.adviser, action="need-document",
                          detail=" ".join([str(need_id), *new]))
        return {"id": need_id, "aid": need["aid"], "documents": received,
                "missing_documents": missing(catalogued, received)}


def received_documents(need: dict) -> list[str]:
    return json.loads(need["documents"]) if need.get("documents") else []


def set_status(store: Store, env: Env, need_id: int, *, status: str, on: date, note: str | None = None) -> tuple[dict, str]:
    """Move a need's status forward; return the need as it was and its new status."""
    validate.text(note, N_("note"), multiline=True)
    with store.transaction():
        need = need_store.get_need(store, need_id)
        new = needs.check_status_change(need_id, need["status"], status)
        case = queries.get_case(store, need["case_id"])
        rules.check_event_date(case, on, env.today)
        since = date.fromisoformat(str(need["updated_on"])[:10])
        if on < since:
            raise RuleError(
                _("{on} is before need {id} became {status} ({since})").format(
                    on=shown(on), id=need_id, status=need["status"], since=shown(since))
            )
        queries.update(store, "need", need_id, {"status": new, "updated_on": on})
        queries.add_event(store, need["case_id"], on=on, author=env.adviser, action="need-status",
                          detail=f"{need_id} {need['status']} -> {new}", note=(note or "").strip() or None)
        return need, new


# --- reads ---------------------------------------------------------------------------


def list_needs(store: Store, *, case_id: int | None = None, status: str | None = None,
               env: Env | None = None) -> list[dict]:
    """Needs with their case's kind and person's name; an unknown ``case_id`` is refused. With
    ``env``, a need of the catalogue has its documents received and still missing (the catalogue
    is read only when a need has an aid)."""
    if case_id is not None:
        queries.get_case(store, case_id)
    found = need_store.list_needs(store, case_id=case_id, status=status)
    if env is not None and any(n["aid"] for n in found):
        from capcli.services.aids import catalogue

        known = catalogue(env)
        for need in found:
            need["documents"] = received_documents(need)
            need["missing_documents"] = missing(known.get(need["aid"]), need["documents"]) if need["aid"] else []
    return found


def listed_need(store: Store, need_id: int) -> dict:
    """One need as `need list` shows it (with its case's kind and person's name)."""
    need = need_store.get_need(store, need_id)
    return next(n for n in need_store.list_needs(store, case_id=need["case_id"]) if n["id"] == need_id)


def next_statuses(store: Store, need_id: int) -> tuple[str, list[str]]:
    """A need's status and those it may move to (refused when unknown, or when none: final)."""
    need = need_store.get_need(store, need_id)
    allowed = needs.next_statuses(need["status"])
    if not allowed:
        needs.check_status_change(need_id, need["status"], "identifie")  # says why: it is final
    return need["status"], allowed
