"""The activity report: the figures of one period, as tables (sections) of plain values."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

from capcli.domain import codes
from capcli.domain import report as figures
from capcli.store import report as sql
from capcli.store.queries import as_date
from capcli.store.engine import Store


@dataclass
class Section:
    name: str  # a code of figures.SECTIONS
    columns: tuple[str, ...]  # codes: JSON keys and CSV headers, never translated
    rows: list[dict] = field(default_factory=list)
    total: dict | None = None


@dataclass
class Report:
    period: figures.Period
    adviser: str | None  # None: the whole agency
    by: str
    sections: dict[str, Section]


def _kind_order(kind: str) -> int:
    return list(codes.KINDS).index(kind) if kind in codes.KINDS else len(codes.KINDS)


def _sum(rows: list[dict], columns: tuple[str, ...]) -> dict:
    return {c: sum(r[c] for r in rows) for c in columns}


def _cases(store: Store, p: figures.Period, adviser: str | None, by: str) -> Section:
    columns = (by, "opened", "closed", "open_at_end")
    if by == "month":
        open_count, rows = sql.cases_by_month(store, p.start, p.end, adviser)
        found = {m: (o, c) for m, o, c in rows}
        result = []
        for month in p.months():
            opened, closed = found.get(month, (0, 0))
            open_count += opened - closed
            result.append({"month": month, "opened": opened, "closed": closed, "open_at_end": open_count})
        total = {"opened": sum(r["opened"] for r in result), "closed": sum(r["closed"] for r in result),
                 "open_at_end": open_count}
        return Section("cases", columns, result, total)
    found = {k: (o, c, e) for k, o, c, e in sql.cases_by(store, p.start, p.end, adviser, by)}
    keys = list(codes.KINDS) if by == "kind" else sorted(found)
    result = [dict(zip(columns, (k, *found.get(k, (0, 0, 0))))) for k in keys]
    return Section("cases", columns, result, _sum(result, columns[1:]))


def _closings(store: Store, p: figures.Period, adviser: str | None) -> tuple[Section, Section, Section]:
    """The outcomes, rates and durations sections: all three count the cases closed in the period."""
    outcome_rows, median_rows = sql.closings(store, p.start, p.end, adviser)
    counts = {(k, o): n for k, o, n in outcome_rows}
    closed = {}
    for (kind, _outcome), n in counts.items():
        closed[kind] = closed.get(kind, 0) + n
    rows = []
    for kind, spec in codes.KINDS.items():
        known = list(spec.outcomes) + sorted(o for k, o in counts if k == kind and o not in spec.outcomes)
        for outcome in known:
            n = counts.get((kind, outcome), 0)
            if n:
                rows.append({"kind": kind, "outcome": outcome, "cases": n, "share": figures.rate(n, closed[kind])})
    outcomes = Section("outcomes", ("kind", "outcome", "cases", "share"), rows,
                       {"cases": sum(closed.values())})
    rates = []
    for name, (kind, successes) in figures.RATES.items():
        hits = sum(counts.get((kind, o), 0) for o in successes)
        rates.append({"rate": name, "kind": kind, "successes": hits, "closed": closed.get(kind, 0),
                      "value": figures.rate(hits, closed.get(kind, 0))})
    return (outcomes, Section("rates", ("rate", "kind", "successes", "closed", "value"), rates),
            _durations(median_rows))


def _contacts(store: Store, p: figures.Period, adviser: str | None, by: str, today: date,
              shifted: list[tuple[date, date]]) -> Section:
    columns = (by, "due", "on_time", "late", "overdue", "pending")
    found = {r[0]: r[1:] for r in sql.contacts_by(store, p.start, p.end, adviser, by, shifted, today)}
    if by == "kind":
        keys = list(codes.KINDS)
    elif by == "month":
        keys = p.months()
    else:
        keys = sorted(found)
    rows = [dict(zip(columns, (k, *(int(v or 0) for v in found.get(k, (0,) * 5))))) for k in keys]
    return Section("contacts", columns, rows, _sum(rows, columns[1:]))


def _needs(store: Store, p: figures.Period, adviser: str | None) -> Section:
    columns = ("category", "funder", "needs", "requested", "requested_amount", "granted", "granted_amount")
    rows = []
    for category, funder, n, req, req_cents, gr, gr_cents in sql.needs(
            store, p.start, p.end, adviser, figures.REQUESTED_STATUSES, figures.GRANTED_STATUSES):
        rows.append({"category": category, "funder": funder, "needs": n, "requested": int(req or 0),
                     "requested_amount": (req_cents or 0) / 100, "granted": int(gr or 0),
                     "granted_amount": (gr_cents or 0) / 100})
    rows.sort(key=lambda r: (codes.NEED_CATEGORIES.index(r["category"]) if r["category"] in codes.NEED_CATEGORIES
                             else 99, r["category"], r["funder"] or "~"))
    total = _sum(rows, columns[2:])
    total["requested_amount"] = round(float(total["requested_amount"]), 2)  # euros: 0.0 too when no need
    total["granted_amount"] = round(float(total["granted_amount"]), 2)
    return Section("needs", columns, rows, total)


def _measures(store: Store, p: figures.Period, adviser: str | None) -> Section:
    """Every measure of the catalogue, with zeros: started and ended in the period."""
    from capcli.domain.measures import MEASURES

    found = {k: (int(s or 0), int(e or 0)) for k, s, e in sql.measures(store, p.start, p.end, adviser)}
    rows = [{"measure": k, "started": found.get(k, (0, 0))[0], "ended": found.get(k, (0, 0))[1]} for k in MEASURES]
    return Section("measures", ("measure", "started", "ended"), rows, _sum(rows, ("started", "ended")))


def _durations(median_rows: list[tuple]) -> Section:
    found = {k: (n, m) for k, n, m in median_rows}
    kinds = list(codes.KINDS) + sorted(k for k in found if k not in codes.KINDS)
    rows = [{"kind": k, "closed": found.get(k, (0, None))[0],
             "median_days": None if found.get(k, (0, None))[1] is None else float(found[k][1])} for k in kinds]
    return Section("durations", ("kind", "closed", "median_days"), rows)


def _uptake(store: Store, p: figures.Period, adviser: str | None) -> Section:
    """Délai de prise en charge: an imported case closed without a journal entry is taken up when it closed."""
    cases = []
    for source, signalled, closed, first in sql.uptake(store, p.start, p.end, adviser, figures.UPTAKE_ACTIONS):
        days = [d for d in (as_date(first), as_date(closed)) if d is not None and d <= p.end]
        cases.append((source, as_date(signalled), min(days) if days else None))
    rows = figures.uptake(cases, p.end)
    total = rows.pop() if rows else None
    columns = ("signalement_by", "cases", "taken_up", "median_days", "within_30_days", "share")
    return Section("uptake", columns, rows, {c: total[c] for c in columns[1:]} if total else None)


class _Background(threading.Thread):
    """Run ``fn`` while the database counts: loading the holiday calendar takes ~0.2 s of
    Python, and sqlite3 releases the GIL while it runs a query."""

    def __init__(self, fn, *args):
        super().__init__(daemon=True)
        self.fn, self.args, self.value, self.error = fn, args, None, None
        self.start()

    def run(self):
        try:
            self.value = self.fn(*self.args)
        except BaseException as exc:  # handed to the caller by result()
            self.error = exc

    def result(self):
        self.join()
        if self.error is not None:
            raise self.error
        return self.value


def build_report(store: Store, period: figures.Period, *, adviser: str | None, by: str, today: date,
                 only: str | None = None) -> Report:
    """Every section of the report (or only one), read in one consistent snapshot."""
    wanted = (only,) if only else figures.SECTIONS
    sections: dict[str, Section] = {}
    calendar = _Background(figures.shifted_due_days, period.start, period.end) if "contacts" in wanted else None
    with sql.snapshot(store):  # one read transaction: every table sees the same store
        if "cases" in wanted:
            sections["cases"] = _cases(store, period, adviser, by)
        if {"outcomes", "rates", "durations"} & set(wanted):
            sections["outcomes"], sections["rates"], sections["durations"] = _closings(store, period, adviser)
        if "needs" in wanted:
            sections["needs"] = _needs(store, period, adviser)
        if "measures" in wanted:
            sections["measures"] = _measures(store, period, adviser)
        if "uptake" in wanted:
            sections["uptake"] = _uptake(store, period, adviser)
        if calendar is not None:
            sections["contacts"] = _contacts(store, period, adviser, by, today, calendar.result())
    ordered = {name: sections[name] for name in figures.SECTIONS if name in wanted}
    return Report(period, adviser, by, ordered)
