"""Compensation needs: their JSON in listings and the `need list` screen, fitted to 80 columns."""

from __future__ import annotations

from capcli.i18n import _
from capcli.render import fit, ui, views


def listed_json(need: dict) -> dict:
    """A need as `need list --json` and `need set --json` give it: `show --json`'s keys, its case,
    kind and person."""
    return {**views.need_json(need), "case_id": need["case_id"], "kind": need["kind"],
            "person": f"{need['last_name']} {need['first_name']}".strip()}


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


def added(need: dict, as_json: bool) -> None:
    """`need add`: the new id (and, in JSON, the funder recorded)."""
    if as_json:
        ui.json_out({"id": need["id"], "funder": need["funder"]})
    else:
        ui.out(str(need["id"]))


def status_set(need_id: int, before: str, after: str) -> None:
    ui.out(_("need {id}: {before} -> {after}").format(id=need_id, before=before, after=after))
