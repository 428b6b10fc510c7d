"""Build a large store for benchmarks: 100,000 cases and 400,000 contacts by default.

    python bench/make_store.py /tmp/bench.sqlite [--cases 100000] [--contacts-per-case 4] [--today 2026-11-22]
                               [--history 900000]

The store is created by capcli itself (same schema), then filled with bulk inserts of plausible
data: every kind, most cases closed (years of history), open cases spread over 40 advisers,
follow-up contacts mostly done, events for each case, a need for one case in three.
Deterministic (seeded) so that runs compare. ``--history N`` adds N closed cases of the twelve years
before those six, each leaving the follow-ups due after its closing undone (as closing a case
does): ``--cases 100000 --history 900000`` is "1M-hist", a million cases of which the same
~20,000 are open, and the same recent activity, as in the 100k store.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from capcli.domain.codes import FUNDERS, KINDS, NEED_CATEGORIES  # noqa: E402
from capcli.store.engine import open_store  # noqa: E402

ADVISERS = [f"adviser{i:02d}" for i in range(40)]


def build(path: Path, cases: int = 100_000, contacts_per_case: int = 4, today: date = date(2026, 11, 22),
          seed: int = 7, history: int = 0) -> dict:
    rng = random.Random(seed)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = open_store(path, create=True)
    kinds = list(KINDS.values())
    persons_n = max(1, (cases + history) * 7 // 10)
    employers_n = max(1, (cases + history) // 20)
    start = today - timedelta(days=6 * 365)
    with store.transaction():
        store.executemany(
            "INSERT INTO person (id, external_id, last_name, first_name, birth_date, boeth, rqth_until, "
            "rqth_definitive, created_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (i, f"P{i:07d}", f"NOM{i}", f"Prenom{i % 997}",
                 (date(1960, 1, 1) + timedelta(days=rng.randrange(15000))).isoformat(), "rqth",
                 (today + timedelta(days=rng.randrange(-400, 2000))).isoformat(), 0, start.isoformat())
                for i in range(1, persons_n + 1)
            ),
        )
        store.executemany(
            "INSERT INTO employer (id, siret, name, sector, created_on) VALUES (?, ?, ?, ?, ?)",
            ((i, f"{i:014d}", f"Employeur {i}", "public" if i % 5 == 0 else "prive", start.isoformat())
             for i in range(1, employers_n + 1)),
        )
        case_rows, contact_rows, event_rows, need_rows = [], [], [], []
        contact_id = event_id = need_id = 0
        old = random.Random(seed + 1)  # the history has its own draws: the recent cases stay those of --cases
        for case_id in range(1, history + 1):
            kind = kinds[case_id % len(kinds)]
            opened = start - timedelta(days=12 * 365) + timedelta(days=old.randrange(12 * 365))
            closed = opened + timedelta(days=old.randrange(30, 700))
            case_rows.append((case_id, f"H{case_id:07d}", old.randrange(1, persons_n + 1), kind.code,
                              old.choice(ADVISERS), "personne", 0, old.randrange(1, employers_n + 1),
                              opened.isoformat(), kind.phases[-1], closed.isoformat(), old.choice(kind.outcomes), 0))
            for action, on in (("opened", opened), ("advanced", closed)):
                event_id += 1
                event_rows.append((event_id, case_id, on.isoformat(), on.isoformat() + " 09:00:00", "bench",
                                   action, None))
            for number in range(1, contacts_per_case + 1):
                contact_id += 1
                due = opened + timedelta(days=90 * number + old.randrange(-10, 10))
                done = due + timedelta(days=old.randrange(-5, 20)) if due < closed else None
                contact_rows.append((contact_id, case_id, number, due.isoformat(), done and done.isoformat(),
                                     None if done is None else int(old.random() < 0.1)))
        for case_id in range(history + 1, history + cases + 1):
            kind = kinds[(case_id - history) % len(kinds)]
            opened = start + timedelta(days=rng.randrange(6 * 365 - 30))
            closed = None
            if rng.random() < 0.8:
                closed = min(today, opened + timedelta(days=rng.randrange(30, 700)))
            outcome = rng.choice(kind.outcomes) if closed else None
            phase = kind.phases[-1] if closed else rng.choice(kind.phases)
            case_rows.append((case_id, f"C{case_id:07d}", rng.randrange(1, persons_n + 1), kind.code,
                              rng.choice(ADVISERS), "personne", 0, rng.randrange(1, employers_n + 1),
                              opened.isoformat(), phase, closed and closed.isoformat(), outcome, 0))
            last_event = closed or (opened + timedelta(days=rng.randrange(0, max(1, (today - opened).days))))
            for action, on in (("opened", opened), ("advanced", last_event)):
                event_id += 1
                event_rows.append((event_id, case_id, on.isoformat(), on.isoformat() + " 09:00:00", "bench",
                                   action, None))
            for number in range(1, contacts_per_case + 1):
                contact_id += 1
                due = opened + timedelta(days=90 * number + rng.randrange(-10, 10))
                done = due + timedelta(days=rng.randrange(-5, 20)) if due < today - timedelta(days=20) else None
                contact_rows.append((contact_id, case_id, number, due.isoformat(), done and done.isoformat(),
                                     None if done is None else int(rng.random() < 0.1)))
            if case_id % 3 == 0:
                need_id += 1
                need_rows.append((need_id, case_id, rng.choice(NEED_CATEGORIES), "bench need",
                                  rng.choice(FUNDERS), rng.randrange(10_000, 1_000_000),
                                  rng.choice(("identifie", "demande", "accorde", "refuse", "mis-en-place")),
                                  opened.isoformat(), last_event.isoformat()))
        store.executemany(
            "INSERT INTO accompaniment (id, external_id, person_id, kind, adviser, requested_by, consent, "
            "employer_id, opened_on, phase, closed_on, outcome, at_risk) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", case_rows)
        store.executemany(
            "INSERT INTO event (id, case_id, on_date, recorded_at, author, action, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", event_rows)
        store.executemany(
            "INSERT INTO contact (id, case_id, number, due_on, done_on, at_risk) VALUES (?, ?, ?, ?, ?, ?)",
            contact_rows)
        store.executemany(
            "INSERT INTO need (id, case_id, category, description, funder, amount_cents, status, created_on, "
            "updated_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", need_rows)
    store.execute("ANALYZE")
    store.close()
    return {"persons": persons_n, "employers": employers_n, "cases": history + cases, "contacts": contact_id,
            "events": event_id, "needs": need_id}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--contacts-per-case", type=int, default=4)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 22))
    parser.add_argument("--history", type=int, default=0, help="closed cases of the twelve years before")
    args = parser.parse_args()
    counts = build(args.path, args.cases, args.contacts_per_case, args.today, history=args.history)
    print(" ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
