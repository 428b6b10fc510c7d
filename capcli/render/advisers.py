"""What `capcli adviser add | list` print."""

from __future__ import annotations

from capcli.i18n import _
from capcli.render import ui


def added(name: str, as_json: bool) -> None:
    if as_json:
        ui.json_out({"name": name})
    else:
        ui.out(_("{name} is an adviser of this store").format(name=ui.safe(name)))


def listed(rows: list[dict], as_json: bool) -> None:
    if as_json:
        ui.json_out(rows)
        return
    ui.columns(
        [_("adviser"), _("open"), _("cases"), _("added")],
        [[ui.safe(r["name"]), r["open"], r["cases"], ui.fmt_date(r["added_on"]) if r.get("added_on") else ""]
         for r in rows],
        empty=_("No adviser yet."),
    )
