"""Plain records the rules reason about. The store builds them from rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# A person's own data, in the order of the files (`export`, `import`) and of person_row's checks.
PERSON_FIELDS = ("last_name", "first_name", "birth_date", "email", "phone", "address", "boeth", "rqth_until",
                 "rqth_definitive")


@dataclass
class Case:
    id: int
    person_id: int
    kind: str
    phase: str
    opened_on: date
    adviser: str = ""
    requested_by: str = "personne"
    partner: str | None = None
    consent: bool = False
    employer_id: int | None = None
    closed_on: date | None = None
    outcome: str | None = None
    at_risk: bool = False
    follows_id: int | None = None
    external_id: str | None = None
    cancelled_on: date | None = None  # opened by mistake: closed on that day with no outcome
    cancel_reason: str | None = None
    signalement_by: str | None = None  # who signalled the situation (codes.SIGNALEMENT_SOURCES)
    signalement_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def status(self) -> str:
        if self.cancelled_on is not None:
            return "cancelled"
        return "open" if self.is_open else "closed"


@dataclass
class Contact:
    id: int
    case_id: int
    number: int
    due_on: date
    done_on: date | None = None
    note: str | None = None
    at_risk: bool | None = None

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


@dataclass
class FollowOn:
    """A case that a closing opens by rule (SPEC §2 rules 4, 6, 7)."""

    kind: str
    opened_on: date
    reason: str
    contacts: list[date] = field(default_factory=list)
