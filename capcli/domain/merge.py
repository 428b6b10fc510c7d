"""What an import may change in a record the store already holds (SPEC §4, "a system of record").

A file states its view of records the store may have moved past. A row may add what the store
lacks and complete what may still change, never take back a recorded fact:

- an empty cell keeps the stored value (it is not a delete: `person edit --phone ""` clears);
- a value the store lacks is filled in (a phone, an employer, the consent recorded);
- what only moves forward moves forward: a phase (never back), an open case closed, a pending
  contact done, an RQTH end date later (renewed), `en-cours` decided, an RQTH made definitive;
- a closing is a recorded fact: a row that has a case closed in the store open, or closed on
  another day or with another outcome, is refused, naming the store's closing; so is a row that
  says a done contact was done otherwise;
- any other value that differs is **kept**: the store is the record, corrections are made by
  the commands made for them (`person edit`, `employer edit`, `case edit`, `reassign`,
  `contact move`). Kept values are listed, not silently dropped.

Pure functions over plain dicts of the file's form (ISO dates, codes, refs, 0/1 flags; ``None``
for an empty cell): no store, no printing.
"""

from __future__ import annotations

from dataclasses import dataclass

from capcli.domain import codes, records
from capcli.i18n import _


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


@dataclass
class Merge:
    """The fields an import changes (``changes``) and those whose differing value it keeps."""

    changes: list[Change]
    kept: list[Change]  # old: the store's value (kept), new: the file's


class Refused(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def _day(iso: str | None) -> str:
    """An ISO date as messages write it (dd/mm/yyyy), '-' for none."""
    return records.excel_date(iso) or "-"


def _fill_or_keep(merge: Merge, field: str, old, new) -> None:
    """An empty cell keeps; a value the store lacks is filled; another value is kept."""
    if new is None or new == old:
        return
    (merge.changes if old is None else merge.kept).append(Change(field, old, new))


def _forward(merge: Merge, field: str, old, new, moves_forward: bool) -> None:
    if new is None or new == old:
        return
    (merge.changes if old is None or moves_forward else merge.kept).append(Change(field, old, new))


CASE_MERGED = ("kind", "phase", "opened_on", "closed_on", "outcome", "at_risk", "follows_ref", "adviser",
               "requested_by", "partner", "consent", "person_ref", "employer_siret", "signalement_by",
               "signalement_on")


def case(ref: str, stored: dict, row: dict) -> Merge:
    """A case row over the stored case (both dicts keyed by CASE_MERGED)."""
    merge = Merge([], [])
    if row["kind"] != stored["kind"]:
        raise Refused("kind", _("case '{ref}' is a {kind} in the store: an import does not change a case's kind")
                      .format(ref=ref, kind=stored["kind"]))
    if stored["closed_on"] is not None:
        if (row["closed_on"], row["outcome"]) != (stored["closed_on"], stored["outcome"]) or (
                row["at_risk"] is not None and row["at_risk"] != stored["at_risk"]):
            column = "closed_on" if row["closed_on"] != stored["closed_on"] else (
                "outcome" if row["outcome"] != stored["outcome"] else "at_risk")
            raise Refused(column, _(
                "case '{ref}' was closed on {on} ({outcome}{risk}) in the store: an import never reopens a case "
                "nor closes it again (export the store again, or leave the line out)").format(
                ref=ref, on=_day(stored["closed_on"]), outcome=stored["outcome"],
                risk=", " + _("at risk") if stored["at_risk"] else ""))
        _forward(merge, "phase", stored["phase"], row["phase"], False)
    else:
        phases = codes.kind(stored["kind"]).phases
        _forward(merge, "phase", stored["phase"], row["phase"],
                 phases.index(row["phase"]) > phases.index(stored["phase"]))
        if row["closed_on"] is not None:
            if row["closed_on"] < stored["opened_on"]:
                raise Refused("closed_on", _("{closed} is before the case opened ({opened})").format(
                    closed=_day(row["closed_on"]), opened=_day(stored["opened_on"])))
            merge.changes += [Change("closed_on", None, row["closed_on"]), Change("outcome", None, row["outcome"])]
            if row["at_risk"]:
                merge.changes.append(Change("at_risk", 0, 1))
    _forward(merge, "opened_on", stored["opened_on"], row["opened_on"], False)
    _forward(merge, "consent", stored["consent"], row["consent"], row["consent"] == 1)
    for field in ("adviser", "requested_by", "partner", "follows_ref", "person_ref", "employer_siret",
                  "signalement_by", "signalement_on"):
        _fill_or_keep(merge, field, stored[field], row[field])
    if stored["signalement_on"] is None and (row["signalement_on"] or "") > stored["opened_on"]:
        raise Refused("signalement_on", _(
            "the signalement on {on} is after the opening ({opened}): a case is signalled, then opened").format(
            on=_day(row["signalement_on"]), opened=_day(stored["opened_on"])))
    return merge


def person(stored: dict, row: dict) -> Merge:
    """A person's cells over the stored person (keyed by PERSON_FIELDS)."""
    merge = Merge([], [])
    for field in ("last_name", "first_name", "birth_date", "email", "phone", "address"):
        _fill_or_keep(merge, field, stored[field], row[field])
    _forward(merge, "boeth", stored["boeth"], row["boeth"], stored["boeth"] == "en-cours")
    if stored["rqth_definitive"]:  # an RQTH made definitive is irreversible: nothing takes it back
        if row["rqth_definitive"] == 0:
            merge.kept.append(Change("rqth_definitive", 1, 0))
        if row["rqth_until"] is not None:
            merge.kept.append(Change("rqth_until", None, row["rqth_until"]))
    elif row["rqth_definitive"] == 1:  # made definitive: the end date goes
        merge.changes.append(Change("rqth_definitive", 0, 1))
        if stored["rqth_until"] is not None:
            merge.changes.append(Change("rqth_until", stored["rqth_until"], None))
    else:  # renewed: a later end date
        _forward(merge, "rqth_until", stored["rqth_until"], row["rqth_until"],
                 (row["rqth_until"] or "") > (stored["rqth_until"] or ""))
    return merge


def employer(stored: dict, row: dict) -> Merge:
    merge = Merge([], [])
    for field in row:  # the employer's name and sector (store.transfer.EMPLOYER_FIELDS)
        _fill_or_keep(merge, field, stored[field], row[field])
    return merge


def contact(label: str, stored: dict, row: dict) -> Merge:
    """A contact row over the stored contact (keyed by due_on, done_on, at_risk, note)."""
    merge = Merge([], [])
    if stored["done_on"] is not None:
        if row["done_on"] is not None and row["done_on"] != stored["done_on"] or (
                row["at_risk"] is not None and stored["at_risk"] is not None and row["at_risk"] != stored["at_risk"]):
            raise Refused("done_on" if row["done_on"] not in (None, stored["done_on"]) else "at_risk", _(
                "{contact} was done on {on} ({state}) in the store: an import does not change a done contact").format(
                contact=label, on=_day(stored["done_on"]),
                state=_("at risk") if stored["at_risk"] else _("stable") if stored["at_risk"] == 0 else _("not known")))
        _fill_or_keep(merge, "at_risk", stored["at_risk"], row["at_risk"])
    elif row["done_on"] is not None:
        merge.changes.append(Change("done_on", None, row["done_on"]))
        if row["at_risk"] is not None:
            merge.changes.append(Change("at_risk", None, row["at_risk"]))
    _forward(merge, "due_on", stored["due_on"], row["due_on"], False)
    _fill_or_keep(merge, "note", stored["note"], row["note"])
    return merge


# What the journal may hold of a change: codes, dates, flags and refs; free texts by name only.
FREE_TEXT = frozenset({"partner", "note", "last_name", "first_name", "email", "phone", "address"})


def journal_text(changes: list[Change]) -> str:
    """The journal's detail of the changes: `phase: diagnostic → solutions; closed_on: - → 2026-11-02`."""
    return "; ".join(
        c.field if c.field in FREE_TEXT else f"{c.field}: {_text(c.old)} → {_text(c.new)}" for c in changes)


def _text(value) -> str:
    return "-" if value is None else str(value)
