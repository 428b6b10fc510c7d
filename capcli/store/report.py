"""The activity report's aggregations: portable SQL with GROUP BY, one query per table.

Every function takes the period's first and last day (ISO dates, both included) and an
adviser (None for the whole agency) and returns plain rows; the figures' definitions live in
``capcli.domain.report``.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from typing import Iterator

from capcli.store.engine import Store, sql_days_between, sql_month


@contextmanager
def snapshot(store: Store) -> Iterator[None]:
    """One read transaction around the report's queries, so that every table sees the same store."""
    with store.snapshot():
        yield


def _scope(adviser: str | None, alias: str = "a") -> tuple[str, tuple]:
    """The cases a report counts: the adviser's (every adviser's when None), never a cancelled one
    (opened by mistake: it is no activity). ``opened_on IS NOT NULL`` (always true) is the condition
    of the report's partial indexes (schema.py): it lets these queries, and only them, use them."""
    live = f" AND {alias}.cancelled_on IS NULL AND {alias}.opened_on IS NOT NULL"
    if adviser is None:
        return live, ()
    return f"{live} AND {alias}.adviser = ?", (adviser,)


def _overlapping(scope: str) -> str:
    """The cases (kind, adviser, opened_on, closed_on) open at some time between two days: one range
    of ``ix_accompaniment_open`` for those still open, one for those closed since the first day, so
    that the closed history before the period is never read. Its parameters: ``_overlap_params``."""
    columns = "a.kind, a.adviser, a.opened_on, a.closed_on"
    return (f"(SELECT {columns} FROM accompaniment a WHERE a.closed_on IS NULL AND a.opened_on <= ?{scope}"
            f" UNION ALL SELECT {columns} FROM accompaniment a WHERE a.closed_on >= ? AND a.opened_on <= ?{scope}) a")


def _overlap_params(s: str, e: str, params: tuple) -> tuple:
    return (e,) + params + (s, e) + params


def _in(values: tuple[str, ...]) -> str:
    """An SQL IN list of code literals (codes are ours: letters and dashes only)."""
    assert all(v.replace("-", "").isalpha() for v in values)
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def cases_by(store: Store, start: date, end: date, adviser: str | None, key: str) -> list[tuple]:
    """(key, opened, closed, open at the end) for ``key`` = kind or adviser.

    Counted in ``ix_accompaniment_period``'s order (closing day, kind, adviser: no sort of the
    period's cases, no lookup of their rows), then summed per key over those few groups."""
    column = {"kind": "a.kind", "adviser": "a.adviser"}[key]
    scope, params = _scope(adviser)
    s, e = start.isoformat(), end.isoformat()
    counts = (
        f"SELECT {column} AS k,"
        " SUM(CASE WHEN a.opened_on >= ? THEN 1 ELSE 0 END) AS o,"
        " SUM(CASE WHEN a.closed_on <= ? THEN 1 ELSE 0 END) AS c,"
        " SUM(CASE WHEN a.closed_on IS NULL OR a.closed_on > ? THEN 1 ELSE 0 END) AS x FROM accompaniment a"
    )
    sql = (
        "SELECT k, CAST(SUM(o) AS INTEGER), CAST(SUM(c) AS INTEGER), CAST(SUM(x) AS INTEGER) FROM ("
        f"{counts} WHERE a.closed_on IS NULL AND a.opened_on <= ?{scope} GROUP BY a.kind, a.adviser"
        f" UNION ALL {counts} WHERE a.closed_on >= ? AND a.opened_on <= ?{scope}"
        " GROUP BY a.closed_on, a.kind, a.adviser) t GROUP BY k ORDER BY k"
    )
    return [tuple(r) for r in store.execute(sql, (s, e, e, e) + params + (s, e, e, s, e) + params)]


def cases_by_month(store: Store, start: date, end: date, adviser: str | None) -> tuple[int, list[tuple]]:
    """(cases open when the period starts, [(YYYY-MM, opened, closed)] for months with activity)."""
    scope, params = _scope(adviser)
    s, e = start.isoformat(), end.isoformat()
    open_at_start = store.execute(
        f"SELECT COUNT(*) FROM {_overlapping(scope)} WHERE a.opened_on < ?", _overlap_params(s, s, params) + (s,),
    ).fetchone()[0]
    # per day in the order of ix_accompaniment_opened and ix_accompaniment_period, then per month
    sql = (
        f"SELECT {sql_month('d')} AS m, CAST(SUM(o) AS INTEGER), CAST(SUM(c) AS INTEGER) FROM ("
        " SELECT a.opened_on AS d, COUNT(*) AS o, 0 AS c FROM accompaniment a"
        " WHERE a.opened_on BETWEEN ? AND ?" + scope + " GROUP BY a.opened_on"
        " UNION ALL SELECT a.closed_on AS d, 0 AS o, COUNT(*) AS c FROM accompaniment a"
        " WHERE a.closed_on BETWEEN ? AND ?" + scope + " GROUP BY a.closed_on"
        f") t GROUP BY {sql_month('d')} ORDER BY m"
    )
    rows = [tuple(r) for r in store.execute(sql, (s, e) + params + (s, e) + params)]
    return open_at_start, rows


def contacts_by(store: Store, start: date, end: date, adviser: str | None, key: str,
                shifted: list[tuple[date, date]], today: date) -> list[tuple]:
    """(key, due, on time, late, overdue, pending) for the contacts due in the period.

    A contact's deadline is its due date, except for the days listed in ``shifted`` (due date,
    deadline): weekends and holidays. The deadline is looked up only for the few contacts that
    need it (due on such a day and done after it, or not done), which keeps one pass over the
    contacts fast; late = done - on time and overdue = not done - pending.
    """
    column = {"kind": "a.kind", "adviser": "a.adviser", "month": sql_month("c.due_on")}[key]
    scope, params = _scope(adviser)
    days = tuple(d.isoformat() for d, _deadline in shifted)
    pairs = tuple(d.isoformat() for pair in shifted for d in pair)

    def shifted_deadline(test: str) -> tuple[str, tuple]:
        """A CASE branch: due on a shifted day and its deadline passes ``test`` (or nothing)."""
        if not shifted:
            return "", ()
        marks = ", ".join("?" for _ in days)
        lookup = "CASE c.due_on " + " ".join("WHEN ? THEN ?" for _ in shifted) + " END"
        return f" WHEN c.due_on IN ({marks}) AND {lookup} {test} THEN 1", days + pairs

    on_time_extra, on_time_params = shifted_deadline(">= c.done_on")
    pending_extra, pending_params = shifted_deadline(">= ?")
    t = today.isoformat()
    sql = (
        f"SELECT {column} AS k, COUNT(*),"
        " SUM(CASE WHEN c.done_on IS NULL THEN 0 ELSE 1 END),"
        f" SUM(CASE WHEN c.done_on <= c.due_on THEN 1 WHEN c.done_on IS NULL THEN 0{on_time_extra} ELSE 0 END),"
        f" SUM(CASE WHEN c.done_on IS NOT NULL THEN 0 WHEN c.due_on >= ? THEN 1{pending_extra} ELSE 0 END)"
        # the period's contacts sorted by case first: their cases' rows are then read in the table's
        # order (in the due dates' order, a lookup per contact read the table at random: 2x at 1M)
        " FROM (SELECT c.case_id, c.due_on, c.done_on FROM contact c WHERE c.due_on BETWEEN ? AND ?"
        " ORDER BY c.case_id) c JOIN accompaniment a ON a.id = c.case_id"
        # cancelled by the closing (report.contact_state): not done, its case closed before it was due
        " WHERE NOT (c.done_on IS NULL AND a.closed_on IS NOT NULL AND a.closed_on < c.due_on)" + scope +
        f" GROUP BY {column} ORDER BY {column}"
    )
    rows = store.execute(sql, on_time_params + (t,) + pending_params + ((t,) if shifted else ())
                         + (start.isoformat(), end.isoformat()) + params)
    result = []
    for k, due, done, on_time, pending in rows:
        result.append((k, due, on_time, done - on_time, due - done - pending, pending))
    return result


def needs(store: Store, start: date, end: date, adviser: str | None,
          requested: tuple[str, ...], granted: tuple[str, ...]) -> list[tuple]:
    """(category, funder, needs, requested, requested cents, granted, granted cents) for the
    needs identified in the period (created_on)."""
    scope, params = _scope(adviser)
    amount = "COALESCE(n.amount_cents, 0)"
    sql = (
        "SELECT n.category, n.funder, COUNT(*),"
        f" SUM(CASE WHEN n.status IN {_in(requested)} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN n.status IN {_in(requested)} THEN {amount} ELSE 0 END),"
        f" SUM(CASE WHEN n.status IN {_in(granted)} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN n.status IN {_in(granted)} THEN {amount} ELSE 0 END)"
        " FROM need n JOIN accompaniment a ON a.id = n.case_id"
        " WHERE n.created_on BETWEEN ? AND ?" + scope +
        " GROUP BY n.category, n.funder ORDER BY n.category, n.funder"
    )
    return [tuple(r) for r in store.execute(sql, (start.isoformat(), end.isoformat()) + params)]


def closings(store: Store, start: date, end: date, adviser: str | None) -> tuple[list[tuple], list[tuple]]:
    """The cases closed in the period, in one pass: [(kind, outcome, cases)] and
    [(kind, cases, median days from opening to closing)].

    The cases are counted per (kind, outcome, days) first, one sort of the period's closings read
    from ``ix_accompaniment_period`` alone; the median is then the middle value of each kind's
    counts (mean of the two middle ones for an even count): the one or two days whose running
    count covers the middle places, found with window functions (SQLite >= 3.25, PostgreSQL).
    """
    scope, params = _scope(adviser)
    sql = (
        "WITH h AS ("
        f" SELECT a.kind AS kind, a.outcome AS outcome, {sql_days_between('a.opened_on', 'a.closed_on')} AS days,"
        " COUNT(*) AS n FROM accompaniment a WHERE a.closed_on BETWEEN ? AND ?" + scope +
        f" GROUP BY a.kind, a.outcome, {sql_days_between('a.opened_on', 'a.closed_on')}"
        "), k AS ("
        " SELECT kind, days, CAST(SUM(n) AS INTEGER) AS n FROM h GROUP BY kind, days"
        "), r AS ("
        " SELECT kind, days, n, CAST(SUM(n) OVER (PARTITION BY kind ORDER BY days) AS INTEGER) AS upto,"
        " CAST(SUM(n) OVER (PARTITION BY kind) AS INTEGER) AS total FROM k"
        ") SELECT 'median', kind, NULL, MAX(total), AVG(days) FROM r"
        " WHERE (total + 1) / 2 BETWEEN upto - n + 1 AND upto OR (total + 2) / 2 BETWEEN upto - n + 1 AND upto"
        " GROUP BY kind"
        " UNION ALL SELECT 'outcome', kind, outcome, CAST(SUM(n) AS INTEGER), NULL FROM h GROUP BY kind, outcome"
    )
    outcomes, medians = [], []
    for what, kind, outcome, n, days in store.execute(sql, (start.isoformat(), end.isoformat()) + params):
        if what == "outcome":
            outcomes.append((kind, outcome, n))
        else:
            medians.append((kind, n, days))
    return outcomes, medians


def measures(store: Store, start: date, end: date, adviser: str | None) -> list[tuple]:
    """(measure, started, ended): the measures that began in the period (a visit: its day) and those
    whose end (a visit: held) was recorded in it."""
    scope, params = _scope(adviser)
    s, e = start.isoformat(), end.isoformat()
    sql = (
        "SELECT m.kind,"
        " SUM(CASE WHEN m.starts_on BETWEEN ? AND ? THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN m.ended_on BETWEEN ? AND ? THEN 1 ELSE 0 END)"
        " FROM measure m JOIN accompaniment a ON a.id = m.case_id"
        " WHERE (m.starts_on BETWEEN ? AND ? OR m.ended_on BETWEEN ? AND ?)" + scope +
        " GROUP BY m.kind ORDER BY m.kind"
    )
    return [tuple(r) for r in store.execute(sql, (s, e) * 4 + params)]
def uptake(store: Store, start: date, end: date, adviser: str | None, actions: tuple[str, ...]) -> list[tuple]:
    """(signalement source, signalement day, closing day, first of ``actions`` by ``end``) of the
    cases opened in the period with a signalement day."""
    scope, params = _scope(adviser)
    sql = (
        "SELECT a.signalement_by, a.signalement_on, a.closed_on,"
        f" (SELECT MIN(e.on_date) FROM event e WHERE e.case_id = a.id AND e.action IN {_in(actions)}"
        "  AND e.on_date <= ?)"
        " FROM accompaniment a WHERE a.signalement_on IS NOT NULL AND a.opened_on BETWEEN ? AND ?" + scope
    )
    return [tuple(r) for r in store.execute(sql, (end.isoformat(), start.isoformat(), end.isoformat()) + params)]
