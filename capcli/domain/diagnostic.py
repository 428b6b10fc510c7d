"""The diagnostic of a case (SPEC §1): its fields, their validation and how a revision is built.

A diagnostic is revised over the case: each revision is a whole new record, built from the
previous one with the fields the adviser changed. Type of disability, restrictions and the
occupational-health opinion are health data: the journal records which fields changed, never
their values.
"""

from __future__ import annotations

import json
from datetime import date

from capcli.domain import codes, validate
from capcli.domain.dates import shown
from capcli.errors import InvalidValue, RuleError
from capcli.i18n import N_, _

TEXT_FIELDS = ("situation", "capacities", "aspirations", "impact")
CODED_FIELDS = {"disability_type": codes.DISABILITY_TYPES, "health_opinion": codes.HEALTH_OPINIONS}
# The fields with their labels (translated when used), in the order the wizard asks and the summary
# shows them.
LABELS = {
    "situation": N_("Situation"), "restrictions": N_("Restrictions"), "disability_type": N_("Disability type"),
    "health_opinion": N_("Health opinion"), "capacities": N_("Capacities"), "aspirations": N_("Aspirations"),
    "impact": N_("Impact on work"),
}
FIELDS = tuple(LABELS)
MAX_TEXT = 4000  # characters in one text field: a diagnostic is a summary, not a file


def _named(field: str) -> str:
    """A field in a message: its label, with its code (the key of a --from file)."""
    label = _(LABELS.get(field, field))
    label = label[:1].lower() + label[1:]  # mid-sentence
    return label if label.replace(" ", "_") == field else f"{label} ({field})"


def empty() -> dict:
    return {name: ([] if name == "restrictions" else None) for name in FIELDS}


def from_row(row: dict | None) -> dict:
    """The fields of a stored revision (restrictions decoded), or empty fields when there is none."""
    values = empty()
    if row is None:
        return values
    for name in FIELDS:
        values[name] = row[name]
    values["restrictions"] = json.loads(row["restrictions"]) if row["restrictions"] else []
    return values


def to_row(values: dict) -> dict:
    """The columns of the ``diagnostic`` table for ``values`` (restrictions as a JSON list)."""
    row = {name: values[name] for name in FIELDS}
    row["restrictions"] = json.dumps(values["restrictions"], ensure_ascii=False) if values["restrictions"] else None
    return row


def free_text(name: str, value) -> str | None:
    """A free-text field: trimmed, None when empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(_("invalid {field}: expected text").format(field=_named(name)))
    validate.text(value, _named(name), multiline=name != "restrictions")  # restrictions: one line each
    cleaned = value.strip()
    if len(cleaned) > MAX_TEXT:
        raise InvalidValue(
            _("{field}: too long ({n} characters, at most {max}): summarise it").format(
                field=_named(name), n=len(cleaned), max=MAX_TEXT)
        )
    return cleaned or None


def coded(name: str, value) -> str | None:
    """A coded field (disability_type, health_opinion): one of its codes, or None when empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(_("invalid {field}: expected one of {valid}").format(
            field=_named(name), valid=", ".join(CODED_FIELDS[name])))
    if not value.strip():
        return None
    return codes.choice(value, CODED_FIELDS[name], _named(name))


def restrictions(value) -> list[str]:
    """The restrictions: a list of texts, trimmed, empty ones and repeats dropped."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidValue(_("invalid restrictions: expected a list of texts"))
    kept: list[str] = []
    for item in value:
        cleaned = free_text("restrictions", item)
        if cleaned and cleaned not in kept:
            kept.append(cleaned)
    return kept


def split_restrictions(answer: str) -> list[str]:
    """Restrictions typed on one line, separated by ';'."""
    return restrictions(answer.split(";"))


def field(name: str, value):
    """Validate one field's value; InvalidValue says what is wrong."""
    if name == "restrictions":
        return restrictions(value)
    if name in CODED_FIELDS:
        return coded(name, value)
    if name in TEXT_FIELDS:
        return free_text(name, value)
    raise InvalidValue(
        _("unknown diagnostic field '{name}' (valid: {valid})").format(name=name, valid=", ".join(FIELDS))
    )


def changes(data: dict) -> dict:
    """Validate a set of changed fields (a --from file, flags)."""
    return {name: field(name, value) for name, value in data.items()}


def parse_json(content: str, source: str) -> dict:
    """The changed fields of a ``--from`` file: one JSON object with diagnostic field names."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise InvalidValue(
            _("{source} is not valid JSON (line {line}, column {column}: {reason})").format(
                source=source, line=exc.lineno, column=exc.colno, reason=exc.msg)
        ) from None
    if not isinstance(data, dict):
        raise InvalidValue(
            _("{source} must hold one JSON object of diagnostic fields ({valid})").format(
                source=source, valid=", ".join(FIELDS))
        )
    try:
        return changes(data)
    except InvalidValue as exc:
        raise InvalidValue(_("{source}: {problem}").format(source=source, problem=exc.message)) from None


def revise(previous: dict, changed: dict) -> dict:
    """The new revision: the previous fields with the changed ones on top."""
    values = dict(previous)
    values.update(changed)
    return values


def changed_fields(previous: dict, revised: dict) -> list[str]:
    return [name for name in FIELDS if previous[name] != revised[name]]


def check_revision(values: dict) -> None:
    """A diagnostic describes the person's situation."""
    if not values["situation"]:
        raise RuleError(_("a diagnostic describes the person's situation: add --situation TEXT"))


def check_revision_date(on: date, latest_on: date | None) -> None:
    """A revision is not dated before the current diagnostic."""
    if latest_on is not None and on < latest_on:
        raise RuleError(
            _("{on} is before the current diagnostic ({latest}): a revision is dated on or after it").format(
                on=shown(on), latest=shown(latest_on))
        )


def check_case_open(case) -> None:
    """Only an open case's diagnostic is revised; a closed case's stays as it was."""
    if not case.is_open:
        raise RuleError(
            _("case {id} ({kind}) is closed: its diagnostic can no longer be revised (open a case that "
              "--follows it)").format(id=case.id, kind=case.kind)
        )
