"""Compensation needs: adding them to a case and moving their status forward, journaled."""

from __future__ import annotations

from datetime import date

from capcli.domain import needs, rules, validate
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
) -> dict:
    """Add a need; without a funder, the employer's sector suggests one (when asked to)."""
    values = {
        "category": needs.category(category),
        "description": validate.required_text(validate.text(description, N_("description"), multiline=True),
                                              N_("description")),
        "funder": needs.funder(funder),
        "amount_cents": needs.parse_amount(amount),
    }
    with store.transaction():
        case = open_case(store, case_id)
        rules.check_event_date(case, on, env.today)
        if values["funder"] is None and use_suggested_funder:
            values["funder"] = funder_suggestion(store, case)
        values.update(case_id=case_id, status="identifie", created_on=on, updated_on=on)
        need_id = queries.insert(store, "need", values)
        queries.add_event(store, case_id, on=on, author=env.adviser, action="need-added",
                          detail=" ".join(str(v) for v in (need_id, values["category"], values["funder"]) if v))
        values["id"] = need_id
        return values


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


def list_needs(store: Store, *, case_id: int | None = None, status: str | None = None) -> list[dict]:
    """Needs with their case's kind and person's name; an unknown ``case_id`` is refused."""
    if case_id is not None:
        queries.get_case(store, case_id)
    return need_store.list_needs(store, case_id=case_id, status=status)


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
