"""The floor of writing an import's records into capcli's schema from Python: no validation.

    python bench/write_floor.py STORE CASES.csv

STORE is an empty capcli store. The script streams the cases file through the csv module and
writes its employers, persons, cases and one 'imported' event per case with ``executemany``, in
chunks of 5,000 rows as they are read (the file is never held in memory), ids given by Python (no
lookups: only the ref -> id maps are kept), secondary indexes dropped and rebuilt as `capcli
import` does, in one transaction. It checks nothing (no codes, dates, SIRETs, duplicates or
references): whatever `capcli import` takes beyond this is what its validation and its checks cost.
bench_import.py times it beside `capcli import` in the same run.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from itertools import islice

CHUNK = 5000


def main(store: str, source: str) -> None:
    conn = sqlite3.connect(store, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA cache_size = -24576")
    conn.execute("BEGIN IMMEDIATE")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ('person', 'accompaniment', 'event')"
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    employers: dict[str, int] = {}
    persons: dict[str, int] = {}
    cases: dict[str, int] = {}
    follows: list[tuple[str, int]] = []
    with open(source, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        columns = {name: i for i, name in enumerate(next(reader))}
        (case_ref, kind, phase, opened, closed, outcome, at_risk, follows_ref, adviser, requested_by, partner,
         consent, person_ref, siret, employer_name, sector) = (columns[c] for c in (
            "case_ref", "kind", "phase", "opened_on", "closed_on", "outcome", "at_risk", "follows_ref", "adviser",
            "requested_by", "partner", "consent", "person_ref", "employer_siret", "employer_name",
            "employer_sector"))
        person_fields = [columns[c] for c in (
            "last_name", "first_name", "birth_date", "email", "phone", "address", "boeth", "rqth_until")]
        definitive = columns["rqth_definitive"]
        number = 0
        while True:
            chunk = list(islice(reader, CHUNK))
            if not chunk:
                break
            e_rows, p_rows, c_rows, ev_rows = [], [], [], []
            for r in chunk:
                number += 1
                eid = None
                if r[siret]:
                    eid = employers.get(r[siret])
                    if eid is None:
                        eid = employers[r[siret]] = len(employers) + 1
                        e_rows.append((eid, r[siret], r[employer_name], r[sector], "2026-11-22"))
                pid = persons.get(r[person_ref])
                if pid is None:
                    pid = persons[r[person_ref]] = len(persons) + 1
                    p_rows.append((pid, r[person_ref], *[r[i] or None for i in person_fields],
                                   int(r[definitive] or 0), "2026-11-22"))
                cases[r[case_ref]] = number
                c_rows.append((number, r[case_ref], pid, r[kind], r[adviser], r[requested_by], r[partner] or None,
                               int(r[consent] or 0), eid, r[opened], r[phase], r[closed] or None,
                               r[outcome] or None, int(r[at_risk] or 0)))
                if r[follows_ref]:
                    follows.append((r[follows_ref], number))
                ev_rows.append((number, r[opened], "2026-11-22 10:00:00", "bench", "imported", r[kind]))
            conn.executemany("INSERT INTO employer (id, siret, name, sector, created_on) VALUES (?, ?, ?, ?, ?)",
                             e_rows)
            conn.executemany(
                "INSERT INTO person (id, external_id, last_name, first_name, birth_date, email, phone, address, "
                "boeth, rqth_until, rqth_definitive, created_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p_rows)
            conn.executemany(
                "INSERT INTO accompaniment (id, external_id, person_id, kind, adviser, requested_by, partner, "
                "consent, employer_id, opened_on, phase, closed_on, outcome, at_risk) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", c_rows)
            conn.executemany(
                "INSERT INTO event (case_id, on_date, recorded_at, author, action, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)", ev_rows)
    conn.executemany("UPDATE accompaniment SET follows_id = ? WHERE id = ?",
                     ((cases[ref], at) for ref, at in follows))  # a case may follow one further down the file
    for _name, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    print(f"{number} cases, {len(persons)} persons, {len(employers)} employers")


if __name__ == "__main__":
    main(*sys.argv[1:3])
