"""Plain records the rules reason about. The store builds them from rows."""

from __future__ import annotations

from datetime import date

# A person's own data, in the order of the files (`export`, `import`) and of person_row's checks.
PERSON_FIELDS = ("last_name", "first_name", "birth_date", "email", "phone", "address", "boeth", "rqth_until",
                 "rqth_definitive")


class _Record:
    """What ``@dataclass`` gave these records, ``==`` and ``repr`` over ``_fields``, without
    importing dataclasses (and inspect) on every start of `due`; each class writes its __init__
    (`check` builds one record per row of the store)."""

    _fields: tuple[str, ...] = ()
    __hash__ = None  # mutable, compared by value

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._fields)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._fields)})"


class Case(_Record):
    _fields = ("id", "person_id", "kind", "phase", "opened_on", "adviser", "requested_by", "partner", "consent",
               "employer_id", "closed_on", "outcome", "at_risk", "follows_id", "external_id", "cancelled_on",
               "cancel_reason", "signalement_by", "signalement_on")

    def __init__(self, id: int, person_id: int, kind: str, phase: str, opened_on: date, adviser: str = "",
                 requested_by: str = "personne", partner: str | None = None, consent: bool = False,
                 employer_id: int | None = None, closed_on: date | None = None, outcome: str | None = None,
                 at_risk: bool = False, follows_id: int | None = None, external_id: str | None = None,
                 cancelled_on: date | None = None, cancel_reason: str | None = None,
                 signalement_by: str | None = None, signalement_on: date | None = None) -> None:
        self.id, self.person_id, self.kind, self.phase, self.opened_on = id, person_id, kind, phase, opened_on
        self.adviser, self.requested_by, self.partner, self.consent = adviser, requested_by, partner, consent
        self.employer_id, self.closed_on, self.outcome, self.at_risk = employer_id, closed_on, outcome, at_risk
        self.follows_id, self.external_id = follows_id, external_id
        self.cancelled_on = cancelled_on  # opened by mistake: closed on that day with no outcome
        self.cancel_reason = cancel_reason
        self.signalement_by = signalement_by  # who signalled the situation (codes.SIGNALEMENT_SOURCES)
        self.signalement_on = signalement_on

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def status(self) -> str:
        if self.cancelled_on is not None:
            return "cancelled"
        return "open" if self.is_open else "closed"


class Contact(_Record):
    _fields = ("id", "case_id", "number", "due_on", "done_on", "note", "at_risk")

    def __init__(self, id: int, case_id: int, number: int, due_on: date, done_on: date | None = None,
                 note: str | None = None, at_risk: bool | None = None) -> None:
        self.id, self.case_id, self.number, self.due_on = id, case_id, number, due_on
        self.done_on, self.note, self.at_risk = done_on, note, at_risk

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class FollowOn(_Record):
    """A case that a closing opens by rule (SPEC §2 rules 4, 6, 7)."""

    _fields = ("kind", "opened_on", "reason", "contacts")

    def __init__(self, kind: str, opened_on: date, reason: str, contacts: list[date] | None = None) -> None:
        self.kind, self.opened_on, self.reason = kind, opened_on, reason
        self.contacts = [] if contacts is None else contacts
