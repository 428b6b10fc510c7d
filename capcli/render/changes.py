"""What a correction changed (`person edit`, `employer edit`, `case edit`), as text or JSON."""

from __future__ import annotations

from capcli.i18n import _
from capcli.render import ui


def value_text(value) -> str:
    if value is None or value == "":
        return _("(none)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():  # an ISO date
        return ui.fmt_date(text)
    return text


def print_changes(record_id: int, changes: dict, labels: dict, as_json: bool, done: str, same: str) -> None:
    """A correction's result: ``{"id", "changed": {field: {"old", "new"}}}`` with --json, else one line
    per field (``done`` and ``same`` are the headline's sentences, with ``{id}``)."""
    if as_json:
        ui.json_out({"id": record_id,
                     "changed": {key: {"old": old, "new": new} for key, (old, new) in changes.items()}})
        return
    if not changes:
        ui.out(same.format(id=record_id))
        return
    ui.out(done.format(id=record_id))
    for key, (old, new) in changes.items():
        ui.out(f"  {labels.get(key, key)}: {value_text(old)} -> {value_text(new)}")
