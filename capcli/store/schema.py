"""The store's schema, as SQLModel tables.

This module is imported only to create or upgrade a store: it pulls in SQLModel and
SQLAlchemy (~0.3 s). Everyday reads and writes go through ``capcli.store.queries`` with
portable SQL on a DB-API connection. Dates are stored as ISO text (SQLAlchemy's Date on
SQLite), amounts as integer cents.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Index, column, false
from sqlmodel import Field, SQLModel

SCHEMA_VERSION = 8  # bump with a new step in capcli/store/migrations.py


def _default(value):
    """A default the database applies too, so that plain INSERTs may leave the column out."""
    server = false() if value is False else str(value)
    return Field(default=value, sa_column_kwargs={"server_default": server})


class Meta(SQLModel, table=True):
    __tablename__ = "capcli_meta"
    key: str = Field(primary_key=True)
    value: str


class Setting(SQLModel, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str


class Person(SQLModel, table=True):
    __tablename__ = "person"
    id: Optional[int] = Field(default=None, primary_key=True)
    external_id: Optional[str] = Field(default=None, unique=True)
    last_name: str
    first_name: str
    birth_date: Optional[date] = None
    email: Optional[str] = None
    phone: Optional[str] = None
    address: Optional[str] = None
    boeth: Optional[str] = None  # rqth, invalidite, at-mp, aah, cmi, autre, en-cours
    rqth_until: Optional[date] = Field(default=None, index=True)
    rqth_definitive: bool = _default(False)
    created_on: date
    anonymised_on: Optional[date] = None
    # schema 5: what anonymisation keeps of the birth date (the statistics' age, not the person)
    birth_year: Optional[int] = None


class Employer(SQLModel, table=True):
    __tablename__ = "employer"
    id: Optional[int] = Field(default=None, primary_key=True)
    siret: str = Field(unique=True)
    name: str
    sector: str = _default("prive")  # prive (Agefiph) or public (FIPHFP)
    created_on: date


# The condition of the report's partial indexes: true of every case, stated by the report's queries only.
_REPORT_ONLY = column("opened_on").isnot(None)


class Accompaniment(SQLModel, table=True):
    """A case. ``case`` is an SQL keyword, hence the table's name."""

    __tablename__ = "accompaniment"
    __table_args__ = (
        Index("ix_accompaniment_open", "closed_on", "adviser"),
        Index("ix_accompaniment_person", "person_id", "closed_on"),
        # The activity report (issue 19): the cases open in a period and those closed in it, counted
        # from the index alone in its order; and the cases opened in a period. Partial on what only
        # the report's queries say (store/report.py, _scope; migrations.py, step 7: why).
        Index("ix_accompaniment_period", "closed_on", "kind", "adviser", "opened_on", "outcome", "cancelled_on",
              sqlite_where=_REPORT_ONLY, postgresql_where=_REPORT_ONLY),
        Index("ix_accompaniment_opened", "opened_on", "adviser", "cancelled_on", "signalement_on", "signalement_by",
              "closed_on", sqlite_where=_REPORT_ONLY, postgresql_where=_REPORT_ONLY),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    external_id: Optional[str] = Field(default=None, unique=True)
    person_id: int = Field(foreign_key="person.id")
    kind: str = Field(index=True)
    adviser: str
    requested_by: str = _default("personne")
    partner: Optional[str] = None
    consent: bool = _default(False)
    employer_id: Optional[int] = Field(default=None, foreign_key="employer.id", index=True)
    opened_on: date
    phase: str
    closed_on: Optional[date] = None
    outcome: Optional[str] = None
    at_risk: bool = _default(False)
    follows_id: Optional[int] = Field(default=None, foreign_key="accompaniment.id", index=True)
    # schema 3: a case opened by mistake is cancelled: closed that day with no outcome, and the reason
    cancelled_on: Optional[date] = None
    cancel_reason: Optional[str] = None
    # schema 5: where the case comes from (codes.SIGNALEMENT_SOURCES) and when it was signalled
    signalement_by: Optional[str] = None
    signalement_on: Optional[date] = None


class Event(SQLModel, table=True):
    """The journal: every change to a case, with its date and author."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_case_on", "case_id", "on_date"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="accompaniment.id")
    on_date: date  # the day it happened (may be backdated)
    recorded_at: datetime  # when it was written
    author: str
    action: str  # opened, advanced, closed, contact-scheduled, contact-done, ...
    detail: Optional[str] = None  # codes only (phase, outcome, dates), rendered by `show`
    note: Optional[str] = None


class Contact(SQLModel, table=True):
    """A planned follow-up contact of a case, done or not."""

    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_pending", "done_on", "due_on"),
        # One contact per number in a case: the database refuses a second "contact 2" (schema 8).
        Index("ux_contact_case_number", "case_id", "number", unique=True),
        # The activity report counts the contacts due in a period (issue 7): a covering index.
        Index("ix_contact_due", "due_on", "case_id", "done_on"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="accompaniment.id")
    number: int
    due_on: date
    done_on: Optional[date] = None
    note: Optional[str] = None
    at_risk: Optional[bool] = None


class Diagnostic(SQLModel, table=True):
    """One revision of a case's diagnostic; the latest is the current one."""

    __tablename__ = "diagnostic"
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="accompaniment.id", index=True)
    on_date: date
    author: str
    situation: Optional[str] = None
    restrictions: Optional[str] = None  # JSON list of strings (health data)
    disability_type: Optional[str] = None  # health data
    health_opinion: Optional[str] = None  # health data: apte, apte-avec-restrictions, inapte
    capacities: Optional[str] = None
    aspirations: Optional[str] = None
    impact: Optional[str] = None  # retentissement du handicap sur le travail


class Need(SQLModel, table=True):
    """A compensation need (besoin de compensation)."""

    __tablename__ = "need"
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="accompaniment.id", index=True)
    category: str
    description: str
    funder: Optional[str] = None
    amount_cents: Optional[int] = None
    status: str = _default("identifie")
    created_on: date
    updated_on: date
    # schema 5: the aid of the catalogue (capcli/data/aids.toml) and the documents received (JSON list)
    aid: Optional[str] = None
    documents: Optional[str] = None


class Audit(SQLModel, table=True):
    """The journal of writes not tied to a case (schema 2): who added, exported or purged what.

    Changes to a case are events; everything else a command writes (person add, employer
    add, settings, purge) or hands out (person export) is an audit row, with its author.
    """

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_subject", "subject", "subject_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    recorded_at: datetime
    author: str
    action: str  # person-added, employer-added, setting-changed, person-exported, person-anonymised
    subject: str  # person, employer, setting, store
    subject_id: Optional[int] = None
    detail: Optional[str] = None  # codes only: never a name or health data


class Measure(SQLModel, table=True):
    """A time-limited measure on a case (schema 4): a PMSMP, an essai encadré or a CRPE (a period,
    ``starts_on`` to ``ends_on``), or a visit around a sick leave (pré-reprise, liaison, reprise: one
    day, ``starts_on``, or none yet when still to plan). The limits are ``capcli.domain.measures``."""

    __tablename__ = "measure"
    __table_args__ = (Index("ix_measure_case", "case_id", "ended_on"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="accompaniment.id")
    kind: str  # pmsmp, essai-encadre, crpe, pre-reprise, liaison, reprise
    starts_on: Optional[date] = Field(default=None, index=True)  # a visit: its day (None: to plan)
    ends_on: Optional[date] = None  # a period: its planned end, renewals included
    ended_on: Optional[date] = None  # recorded by `measure end` (a visit: the day it was held)
    renewals: int = _default(0)
    host: Optional[str] = None  # the host structure (PMSMP, essai encadré)
    off_since: Optional[date] = None  # a visit: the first day off work
    return_on: Optional[date] = None  # a visite de reprise: the day back at work
    note: Optional[str] = None
    created_on: date


class RqthRenewal(SQLModel, table=True):
    """A renewal of a person's RQTH filed with the MDPH (schema 4), and the CDAPH's decision."""

    __tablename__ = "rqth_renewal"
    id: Optional[int] = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    rqth_until: Optional[date] = None  # the end date it renews
    filed_on: date
    decided_on: Optional[date] = None
    decision: Optional[str] = None  # accorde (with until), definitive, refuse
    granted_until: Optional[date] = None  # the new end date granted


class AccessLog(SQLModel, table=True):
    """Who looked at health data, when, and what they looked at (schema 6): every read that shows it
    (`show` of a case with a diagnostic, `person export`, `export --include-health`, the `diagnose`
    wizard) writes one row, listed by `access-log` and kept ``access_log_months`` (`purge`)."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_person", "person_id", "recorded_at"),
        Index("ix_access_log_case", "case_id", "recorded_at"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    recorded_at: datetime
    author: str  # who looked: the database login on a team store, the OS user / CAPCLI_ADVISER on a file
    action: str  # case-shown, person-exported, health-exported, diagnostic-opened
    person_id: Optional[int] = None
    case_id: Optional[int] = None
    detail: Optional[str] = None  # codes and counts only: never health data or a name
