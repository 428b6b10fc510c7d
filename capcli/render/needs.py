"""Compensation needs: their JSON in listings and the `need list` screen, fitted to 80 columns."""

from __future__ import annotations

from capcli.i18n import _
from capcli.render import fit, ui, views


def listed_json(need: dict) -> dict:
    """A need as `need list --json` and `need set --json` give it: `show --json`'s keys, its case,
    kind and person."""
    data = {**views.need_json(need), "case_id": need["case_id"], "kind": need["kind"],
            "person": f"{need['last_name']} {need['first_name']}".strip()}
    if "missing_documents" in need:  # `need list`: a need of the catalogue's documents
        data.update(documents=need["documents"], missing_documents=need["missing_documents"])
    return data


def need_list(needs: list[dict]) -> None:
    """`need list`: a line of figures per need, then its category and description, indented."""
    if not needs:
        ui.out(_("No need recorded."))
        return
    lines = fit.fitted(
        [_("id"), _("case"), _("person"), _("status"), _("since"), _("amount"), _("funder")],
        [[n["id"], n["case_id"], f"{n['last_name']} {n['first_name']}".strip(), n["status"],
          ui.fmt_date(n["updated_on"]), ui.fmt_amount(n["amount_cents"]), n["funder"] or ""] for n in needs],
        shrink={2: 10, 6: 8},
    )
    ui.out(lines[0])
    for line, need in zip(lines[1:], needs):
        ui.out(line)
        ui.out(fit.clip(f"    {need['category']}: {' '.join(str(need['description']).split())}", fit.WIDTH))
        if need.get("missing_documents") and need["status"] != "refuse":
            ui.out(fit.clip("    " + _("documents missing: {documents}").format(
                documents=", ".join(need["missing_documents"])), fit.WIDTH))


def added(need: dict, as_json: bool) -> None:
    """`need add`: the new id (and, in JSON, the funder recorded)."""
    if as_json:
        ui.json_out({"id": need["id"], "funder": need["funder"], "aid": need.get("aid"),
                     "amount": None if need["amount_cents"] is None else need["amount_cents"] / 100,
                     "missing_documents": need["missing_documents"]})
    else:
        ui.out(str(need["id"]))
    if need["missing_documents"]:
        ui.err(_("need {id}: documents still missing for {aid}: {documents} ('capcli need document {id} NAME' "
                 "when received)").format(id=need["id"], aid=need["aid"], documents=", ".join(need["missing_documents"])))


def status_set(need_id: int, before: str, after: str) -> None:
    ui.out(_("need {id}: {before} -> {after}").format(id=need_id, before=before, after=after))


def documents(result: dict, as_json: bool) -> None:
    """`need document`: what is received, what is still missing."""
    if as_json:
        ui.json_out(result)
    elif result["missing_documents"]:
        ui.out(_("need {id}: documents still missing: {documents}").format(
            id=result["id"], documents=", ".join(result["missing_documents"])))
    else:
        ui.out(_("need {id}: every document {aid} asks for is received").format(id=result["id"], aid=result["aid"]))


def aid_json(aid) -> dict:
    return {"code": aid.code, "name": aid.name, "funder": aid.funder, "sector": aid.sector,
            "category": aid.category, "disability_type": aid.disability_type,
            "flat": None if aid.flat_cents is None else aid.flat_cents / 100,
            "ceiling": None if aid.ceiling_cents is None else aid.ceiling_cents / 100,
            "period_months": aid.period_months, "once_per_person": aid.once_per_person,
            "once_per_period": aid.once_per_period, "renewable_on": list(aid.renewable_on),
            "prescriber": aid.prescriber, "documents": list(aid.documents), "source": aid.source,
            "checked_on": aid.checked_on}


def aids(catalogue: dict, as_json: bool) -> None:
    """`need aids`: a line per aid (code, funder, amount and its rules), its documents and source under it."""
    if as_json:
        ui.json_out([aid_json(a) for a in catalogue.values()])
        return
    for aid in catalogue.values():
        if aid.flat_cents is not None:
            amount = _("flat {amount}").format(amount=ui.fmt_amount(aid.flat_cents))
        elif aid.ceiling_cents is not None:
            amount = _("at most {amount}").format(amount=ui.fmt_amount(aid.ceiling_cents))
            if aid.period_months:
                amount += " " + _("per {months} months").format(months=aid.period_months)
        else:
            amount = _("no amount checked")
        rules = [amount]
        if aid.once_per_person:
            rules.append(_("once per person"))
        if aid.once_per_period:
            rules.append(_("once per {months} months").format(months=aid.period_months))
        if aid.prescriber:
            rules.append(_("prescribed by {who} only").format(who=aid.prescriber))
        ui.out(fit.clip(f"{aid.code} · {aid.funder or _('funder of the sector')} · {aid.category}", fit.WIDTH))
        ui.out(fit.clip(f"    {aid.name}", fit.WIDTH))
        ui.out(fit.clip("    " + " · ".join(rules), fit.WIDTH))
        if aid.documents:
            ui.out(fit.clip("    " + _("documents: {documents}").format(documents=", ".join(aid.documents)), fit.WIDTH))
        if aid.renewable_on:
            ui.out(fit.clip("    " + _("renewed on: {grounds}").format(grounds=", ".join(aid.renewable_on)), fit.WIDTH))
        ui.out(fit.clip("    " + _("source: {source} (read {on})").format(
            source=aid.source, on=ui.fmt_date(aid.checked_on)), fit.WIDTH))
