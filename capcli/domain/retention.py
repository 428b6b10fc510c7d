"""Retention (GDPR): when a person's data is due for anonymisation (SPEC §1, §4), as the CNIL's
guidance for the social and médico-social sector reads (délibération n° 2023-095 of 14/09/2023,
"référentiel durées de conservation": the active base of an accompaniment is kept 2 years from the
last contact with the person).

A person with no open case and no contact for ``retention_years`` is due. A contact is what the
person took part in: a case opened or closed, a diagnostic, a follow-up contact done, a need
identified (``CONTACT_ACTIONS`` of the journal; the day the person was entered when there is none).
What the agency does without them (a funder's answer, a phase moved, a correction, a reassignment,
an import or an export) does not start the two years again.

Anonymisation then passes the CNIL's three tests (no singling out, no linking, no inference) among
the statistics kept: the identity, contact details, free texts and health data go; the birth date
becomes its year, every day of the path its month, the employer is unlinked (its SIRET and name
would point at one person in a small company), and an aid that names a disability family goes
(``store.privacy.anonymise_person``).
"""

from __future__ import annotations

from datetime import date

from capcli.domain.dates import add_months

# The journal entries that are a contact with the person (with the contacts done, the diagnostics and
# the cases' own opening and closing days). A measure (PMSMP, essai encadré...) recorded on the case
# is one too: its action joins this tuple when measures are recorded.
CONTACT_ACTIONS = ("opened", "closed", "diagnostic", "contact-done", "need-added", "measure-added", "measure-renewed",
                   "measure-ended")
# The journal entries whose detail is codes only (kinds, phases, outcomes): kept by anonymisation;
# any other detail may hold a day, a reference or an amount, and goes.
CODES_ONLY_DETAILS = ("opened", "advanced", "closed")


def retention_cutoff(today: date, years: int) -> date:
    """Nothing recorded since this day (included) means the retention period is over."""
    return add_months(today, -12 * years)


def month_start(day: date) -> date:
    """What anonymisation keeps of a day: its month (as its first day)."""
    return date(day.year, day.month, 1)


def last_recorded(*days: date | None, created_on: date | None = None) -> date | None:
    """The latest of the days of a contact with the person (cases opened or closed, the journal's
    CONTACT_ACTIONS, contacts done, diagnostics). The day their record was entered counts only
    when nothing else is known: a person migrated today with cases closed years ago is past the
    retention period, while one entered without a case yet is kept from that day."""
    known = [d for d in days if d is not None]
    return max(known) if known else created_on


def due_for_anonymisation(*, has_open_case: bool, last: date | None, today: date, years: int) -> bool:
    """True when a person has no open case and no contact for ``years`` years."""
    if has_open_case or last is None:
        return False
    return last <= retention_cutoff(today, years)
