"""A diagnostic revision: the wizard's summary and what `diagnose` prints (never health values
in JSON: the fields' names only)."""

from __future__ import annotations

from datetime import date

from capcli.i18n import _
from capcli.render import ui, views


def summary(previous: dict, values: dict) -> None:
    """The wizard's summary before it asks to confirm: every field, '*' on those changed."""
    ui.out()
    ui.out(_("Diagnostic to record (* changed):"))
    for key, label in views.diagnostic_labels():
        value = values[key]
        shown = "; ".join(value) if key == "restrictions" else (value or "")
        mark = "*" if value != previous[key] else " "
        ui.out(f"  {mark} {label}: {shown or '-'}")


def recorded(recorded, on: date, as_json: bool) -> None:
    """`diagnose`: the revision written (its number and the fields changed), or that none was."""
    if as_json:
        ui.json_out({"case_id": recorded.case_id, "revision": recorded.revision, "changed": list(recorded.changed),
                     "on": on if recorded.changed else None})
    elif recorded.changed:
        ui.out(_("case {id}: diagnostic revision {n} recorded ({fields})").format(
            id=recorded.case_id, n=recorded.revision, fields=", ".join(recorded.changed)))
    else:
        ui.out(_("case {id}: diagnostic unchanged (revision {n}): nothing written").format(
            id=recorded.case_id, n=recorded.revision))
