"""The ordered upgrade steps of the store's schema (simonw/llm style).

A new store is created at the latest version straight from the SQLModel schema
(``schema.py``); a store written by an older capcli records an older
``capcli_meta.schema_version`` and is brought up to date, on open, by running the steps
after its version in order, in one transaction, after an automatic backup
(``engine.open_store``). Each step is a list of plain, portable SQL statements (no
SQLAlchemy, no Alembic): the upgrade path costs no import (but a ``NewTable`` step's, compiled
once by SQLAlchemy when a store is upgraded), and the same statements will run on PostgreSQL.

To change the schema: change ``schema.py``, bump ``schema.SCHEMA_VERSION`` and
``engine.LATEST_VERSION``, and add the step here. From schema 4 on, a step also runs on a team
store (PostgreSQL): a new table is written ``NewTable("name")`` (created, with its indexes, from
its declaration in ``schema.py`` in each engine's own DDL), and a plain statement keeps to what
both engines read the same: ``ALTER TABLE t ADD COLUMN c DATE|VARCHAR|INTEGER|BOOLEAN``,
``CREATE INDEX``, ``UPDATE``. ``tests/test_upgrade.py`` checks that a
store upgraded from the first schema (``tests/data/store_v1.sqlite``) has exactly the
tables, columns and indexes of a new store, with every record intact.
"""

from __future__ import annotations

from typing import NamedTuple


class NewTable(NamedTuple):
    """A step that creates the table ``name`` of ``schema.py`` (and its indexes) as declared there."""

    name: str


MIGRATIONS: dict[int, list[str | NewTable]] = {
    # 2: the audit journal of writes not tied to a case (person/employer add, purge, export),
    #    and the covering index of contacts by due date that `report` counts with.
    2: [
        """CREATE TABLE audit (
            id INTEGER NOT NULL,
            recorded_at DATETIME NOT NULL,
            author VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            subject VARCHAR NOT NULL,
            subject_id INTEGER,
            detail VARCHAR,
            PRIMARY KEY (id)
        )""",
        "CREATE INDEX ix_audit_subject ON audit (subject, subject_id)",
        "CREATE INDEX ix_contact_due ON contact (due_on, case_id, done_on)",
    ],
    # 3: `cancel` of a case opened by mistake: the day and the reason (the case is closed that day,
    #    with no outcome, so that every reading of open cases leaves it out).
    3: [
        "ALTER TABLE accompaniment ADD COLUMN cancelled_on DATE",
        "ALTER TABLE accompaniment ADD COLUMN cancel_reason VARCHAR",
    ],
    # 4: time-limited measures on a case (PMSMP, essai encadré, CRPE, the visits around a sick leave)
    #    and the RQTH renewals filed with the MDPH (issue 18).
    4: [NewTable("measure"), NewTable("rqth_renewal")],
    # 5: where a case comes from (signalement) and when; a need's aid of the catalogue and the
    #    documents received; the birth year an anonymised person keeps.
    5: [
        "ALTER TABLE accompaniment ADD COLUMN signalement_by VARCHAR",
        "ALTER TABLE accompaniment ADD COLUMN signalement_on DATE",
        "ALTER TABLE need ADD COLUMN aid VARCHAR",
        "ALTER TABLE need ADD COLUMN documents VARCHAR",
        "ALTER TABLE person ADD COLUMN birth_year INTEGER",
    ],
    # 6: the access log of health data (issue 17): who looked at whose health data, and when.
    6: [NewTable("access_log")],
    # 7: the covering indexes the activity report counts a period's cases with (issue 19). Partial
    #    on a condition only the report's queries state (`opened_on IS NOT NULL`, true of every case):
    #    another reading cannot pick them instead of its own index (SQLite breaks a tie between two
    #    indexes for the newest: `due --all` lost 10 % on 1M-hist, `export cases` 18 % at 100k).
    7: [
        "CREATE INDEX ix_accompaniment_period ON accompaniment"
        " (closed_on, kind, adviser, opened_on, outcome, cancelled_on) WHERE opened_on IS NOT NULL",
        "CREATE INDEX ix_accompaniment_opened ON accompaniment"
        " (opened_on, adviser, cancelled_on, signalement_on, signalement_by, closed_on) WHERE opened_on IS NOT NULL",
    ],
    # 8: one contact per number in a case, enforced by the database itself (capcli numbers them under
    #    its writers' lock; a hand-written row could add a second "contact 2"). The unique index
    #    replaces the plain one on the same columns; a store that already holds such a pair fails
    #    this step and stays as it was (the message names the pair's columns).
    8: [
        "CREATE UNIQUE INDEX ux_contact_case_number ON contact (case_id, number)",
        "DROP INDEX ix_contact_case",
    ],
}


def steps(from_version: int, to_version: int) -> list[tuple[int, list[str | NewTable]]]:
    """The steps that take a store from ``from_version`` to ``to_version``, in order."""
    return [(v, MIGRATIONS[v]) for v in range(from_version + 1, to_version + 1)]
