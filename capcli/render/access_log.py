"""What `capcli access-log` prints: one line per look at health data."""

from __future__ import annotations

from capcli.i18n import _
from capcli.render import ui


def action_label(action: str) -> str:
    labels = {
        "case-shown": _("case shown"),
        "person-exported": _("person's file exported"),
        "health-exported": _("export with health data"),
        "diagnostic-opened": _("diagnostic wizard"),
    }
    return labels.get(action, action)


def entries(rows: list[dict], as_json: bool) -> None:
    """``[{"id", "recorded_at", "author", "action", "person_id", "case_id", "detail"}]``, or a table."""
    if as_json:
        ui.json_out(rows)
        return
    ui.columns(
        [_("when"), _("who"), _("what"), _("case"), _("detail")],
        [[f"{ui.fmt_date(r['recorded_at'])} {str(r['recorded_at'])[11:16]}", r["author"], action_label(r["action"]), r["case_id"] or "", r["detail"] or ""]
         for r in rows],
        empty=_("No one has looked at this health data (or the looks are past the retention period)."),
    )
