"""Time-limited measures on a case (issue 18): their limits, as data, each next to its source, and
the checks of `measure add|renew|end`. Plain functions: no store, no printing.

Two shapes: a period (PMSMP, essai encadré, CRPE) runs from ``starts_on`` to ``ends_on`` within its
limit, renewals included; a visit around a sick leave (pré-reprise, liaison, reprise) is one day,
``starts_on``, that may still be to plan (None), and is possible only after so many days off work
(counted from ``off_since``, the first day off, to the visit's day).
"""

from __future__ import annotations

from datetime import date, timedelta

from capcli.domain import codes
from capcli.domain.dates import add_months, jours_ouvrables, nth_jour_ouvrable, shown
from capcli.errors import InvalidValue, RuleError, UsageError
from capcli.i18n import _, ngettext
from capcli.records import NamedTuple


class MeasureKind(NamedTuple):  # not a dataclass: `due` reads it and starts without dataclasses
    code: str
    name: str  # as advisers say it (a French domain word, shown as is)
    source: str  # the legal text of the limit: shown in every refusal (French references, not translated)
    visit: bool = False
    months: int | None = None  # a period of so many months at most, renewals included
    jours_ouvrables: int | None = None  # a period of so many jours ouvrables...
    renewals: int | None = None  # ... renewed so many times at most, each as long again (None: no count)
    off_more_than: int | None = None  # a visit: more than so many days off work on its day
    off_at_least: int | None = None  # a visit: at least so many days off work
    within_days_of_return: int | None = None  # a visit: from the return to work to so many days after it

    @property
    def needs_return(self) -> bool:
        return self.within_days_of_return is not None


# The figures of issue 18, each checked against its text (the README's "Measures" lists them too).
MEASURES = {m.code: m for m in (
    # période de mise en situation en milieu professionnel: one month at most; Cap emploi may prescribe
    MeasureKind("pmsmp", "PMSMP", "Code du travail L5135-1 et s., décret 2023-1304", months=1),
    # during a sick leave, with the médecin traitant, the médecin conseil and the médecin du travail;
    # Cap emploi (an OPS, Code du travail L5214-3-1) may propose it
    MeasureKind("essai-encadre", "essai encadré", "CSS L323-3-1, D323-6 à D323-6-7", jours_ouvrables=14, renewals=1),
    # convention de rééducation professionnelle en entreprise: employer + CPAM + employee
    MeasureKind("crpe", "CRPE", "CSS L323-3-1, décret 2022-372", months=18),
    MeasureKind("pre-reprise", "visite de pré-reprise", "Code du travail R4624-29, décret 2022-372", visit=True, off_more_than=30),
    MeasureKind("liaison", "rendez-vous de liaison", "Code du travail L1226-1-3, D1226-8-1", visit=True, off_at_least=30),
    # after a non-occupational illness or accident (other causes have other thresholds: not checked)
    MeasureKind("reprise", "visite de reprise", "Code du travail R4624-31, décret 2022-372", visit=True, off_at_least=60,
                within_days_of_return=8),
)}
PERIODS = tuple(code for code, m in MEASURES.items() if not m.visit)
VISITS = tuple(code for code, m in MEASURES.items() if m.visit)

# What `due` says of a measure (services.due), and `show`'s states.
STATES = ("to-plan", "planned", "running", "past-end", "ended")


def kind(value: str) -> MeasureKind:
    return MEASURES[codes.choice(value, tuple(MEASURES), _("measure"))]


def _longest(m: MeasureKind, start: date, renewals: int) -> date:
    """The last day a period starting on ``start`` may have after ``renewals`` renewals."""
    if m.months is not None:
        return add_months(start, m.months) - timedelta(days=1)  # 02/11 → 01/12: one month
    return nth_jour_ouvrable(start, m.jours_ouvrables * (renewals + 1))


def _limit_text(m: MeasureKind) -> str:
    if m.months is not None:
        return ngettext("{name}: {n} month at most ({source})", "{name}: {n} months at most ({source})",
                        m.months).format(name=m.name, n=m.months, source=m.source)
    total = m.jours_ouvrables * ((m.renewals or 0) + 1)
    return ngettext("{name}: {n} jours ouvrables at most, renewable once ({total} in all; {source})",
                    "{name}: {n} jours ouvrables at most, renewable {r} times ({total} in all; {source})",
                    m.renewals or 0).format(name=m.name, n=m.jours_ouvrables, r=m.renewals or 0, total=total,
                                            source=m.source)


def _too_long(m: MeasureKind, start: date, end: date, latest: date) -> RuleError:
    if m.months is not None:
        length = ""
    else:
        length = " " + _("({n} jours ouvrables from {start} to {end})").format(
            n=jours_ouvrables(start, end), start=shown(start), end=shown(end))
    return RuleError(_("{limit}: from {start} it ends on {latest} at the latest, not {end}{length}").format(
        limit=_limit_text(m), start=shown(start), latest=shown(latest), end=shown(end), length=length))


def _refuse_visit_options(m: MeasureKind, *, to: date | None, off_since: date | None, return_on: date | None) -> None:
    if m.visit:
        if to is not None:
            raise InvalidValue(_("a {name} is one day (--from, or none yet): --to goes with {periods}").format(
                name=m.name, periods=", ".join(PERIODS)))
        if return_on is not None and not m.needs_return:
            raise InvalidValue(_("--return-on goes with {visits}").format(
                visits=", ".join(c for c in VISITS if MEASURES[c].needs_return)))
        if off_since is None:
            raise UsageError(_("missing --off-since DATE: a {name} depends on how long the person has been off "
                               "work").format(name=m.name))
        if m.needs_return and return_on is None:
            raise UsageError(_("missing --return-on DATE: a {name} takes place within {n} days of the return to "
                               "work").format(name=m.name, n=m.within_days_of_return))
    elif off_since is not None or return_on is not None:
        raise InvalidValue(_("--off-since and --return-on go with the visits: {visits}").format(visits=", ".join(VISITS)))


def check_period(m: MeasureKind, start: date, to: date | None) -> date:
    """A new period's end: ``to`` within its limit (refused with the rule), or by default its longest."""
    latest = _longest(m, start, 0)
    if to is None:
        return latest
    if to < start:
        raise InvalidValue(_("--to {to} is before --from {start}: give the later date as --to").format(
            to=shown(to), start=shown(start)))
    if to > latest:
        raise _too_long(m, start, to, latest)
    return to


def visit_window(m: MeasureKind, off_since: date, return_on: date | None) -> tuple[date, date | None]:
    """The first day a visit may take place, and the last (None: no limit)."""
    if m.needs_return:
        return return_on, return_on + timedelta(days=m.within_days_of_return)
    days = m.off_more_than + 1 if m.off_more_than is not None else m.off_at_least
    return off_since + timedelta(days=days), None


def visit_problem(m: MeasureKind, day: date, off_since: date, return_on: date | None) -> str | None:
    """Why a visit cannot be on ``day`` (its rule, with the dates), else None."""
    first, last = visit_window(m, off_since, return_on)
    if m.needs_return and (day < first or day > last):
        return _("{name}: from the return to work to {n} days after it ({source}): from {first} to {last}, not "
                 "{day}").format(name=m.name, n=m.within_days_of_return, source=m.source,
                                                first=shown(first), last=shown(last), day=shown(day))
    if day < first:
        off = (day - off_since).days
        rule = (_("after more than {n} days off work") if m.off_more_than is not None
                else _("from {n} days off work")).format(n=m.off_more_than or m.off_at_least)
        return _("{name}: {rule} ({source}): from {first} on (off work since {since}), not {day} ({off} days "
                 "off)").format(name=m.name, rule=rule, source=m.source, first=shown(first),
                                            since=shown(off_since), day=shown(day), off=off)
    return None


def check_visit(m: MeasureKind, day: date | None, off_since: date, return_on: date | None) -> None:
    """A visit planned on ``day`` (None: still to plan) keeps to its rule, or is refused with it."""
    if m.needs_return:
        if return_on <= off_since:
            raise InvalidValue(_("--return-on {ret} is not after --off-since {off}: the return comes after the "
                                 "leave").format(ret=shown(return_on), off=shown(off_since)))
        off = (return_on - off_since).days
        if off < m.off_at_least:
            raise RuleError(
                _("{name}: after at least {n} days off work for a non-occupational illness or accident "
                  "({source}): {off} days from {since} to the return on {ret}").format(
                    name=m.name, n=m.off_at_least, source=m.source, off=off, since=shown(off_since),
                    ret=shown(return_on)))
    if day is not None:
        problem = visit_problem(m, day, off_since, return_on)
        if problem:
            raise RuleError(problem)


def check_new(m: MeasureKind, *, start: date | None, to: date | None, off_since: date | None,
              return_on: date | None) -> date | None:
    """`measure add`: the options that go with the measure, and its limit. Returns the end of a period."""
    _refuse_visit_options(m, to=to, off_since=off_since, return_on=return_on)
    if m.visit:
        check_visit(m, start, off_since, return_on)
        return None
    if start is None:
        raise UsageError(_("missing --from DATE: the first day of the {name}").format(name=m.name))
    return check_period(m, start, to)


def renewed_end(m: MeasureKind, measure: dict, to: date | None) -> date:
    """`measure renew`: the new end of a period (``to``, or by default its longest), within the limit
    of its renewals (a third essai encadré is refused with the rule)."""
    ref = _("measure {id} ({measure})").format(id=measure["id"], measure=m.code)
    if m.visit:
        raise RuleError(_("{ref} is a visit: only a period ({periods}) is renewed").format(
            ref=ref, periods=", ".join(PERIODS)))
    if measure["ended_on"] is not None:
        raise RuleError(_("{ref} ended on {on}: add a new measure").format(ref=ref, on=shown(measure["ended_on"])))
    start, end = measure["starts_on"], measure["ends_on"]
    count = measure["renewals"] + 1
    if m.renewals is not None and count > m.renewals:
        raise RuleError(ngettext("{ref} was already renewed once: {limit}",
                                 "{ref} was already renewed {n} times: {limit}", measure["renewals"]).format(
            ref=ref, n=measure["renewals"], limit=_limit_text(m)))
    latest = _longest(m, start, count)
    if to is None:
        to = latest
    if to <= end:
        if to == latest:
            raise RuleError(_("{ref} already ends on {end}, its longest ({limit})").format(
                ref=ref, end=shown(end), limit=_limit_text(m)))
        raise InvalidValue(_("--to {to} is not after the end of {ref} ({end}): a renewal ends later").format(
            to=shown(to), ref=ref, end=shown(end)))
    if to > latest:
        raise _too_long(m, start, to, latest)
    return to


def end_day(m: MeasureKind, measure: dict, on: date | None, today: date) -> date:
    """`measure end`: the day it ended (or the visit was held). By default today, or its planned end
    (a visit: its day) once past. A period does not end before it starts nor after its planned end."""
    ref = _("measure {id} ({measure})").format(id=measure["id"], measure=m.code)
    if measure["ended_on"] is not None:
        raise RuleError(_("{ref} already ended on {on}").format(ref=ref, on=shown(measure["ended_on"])))
    planned = measure["starts_on"] if m.visit else measure["ends_on"]
    if on is None:
        on = planned if planned is not None and planned < today else today
    if not m.visit:
        if on < measure["starts_on"]:
            raise RuleError(_("{ref} starts on {start}: it cannot end on {on}, before").format(
                ref=ref, start=shown(measure["starts_on"]), on=shown(on)))
        if on > measure["ends_on"]:
            raise RuleError(_("{ref} ends on {end} at the latest: renew it first (capcli measure renew {id})").format(
                ref=ref, end=shown(measure["ends_on"]), id=measure["id"]))
    return on


def state(m: MeasureKind, measure: dict, today: date) -> str:
    """One of STATES: to-plan (a visit without a day), planned (not begun), running, past-end (its end
    passed, not recorded), ended (recorded; a visit: held)."""
    if measure["ended_on"] is not None:
        return "ended"
    start = measure["starts_on"]
    if start is None:
        return "to-plan"
    if today < start or (m.visit and today == start):
        return "planned"
    if m.visit:
        return "past-end"
    return "running" if today <= measure["ends_on"] else "past-end"


# What `due` says of a measure not ended (services.due): a period that ends in the window or has
# ended (to record, or renew); a visit on its day; a visit still to plan (by its last day, or from
# its first).
DUE = ("ends", "ended", "visit", "plan-by", "plan-from")


def due(m: MeasureKind, measure: dict, today: date, horizon: date) -> tuple[str, date] | None:
    """(one of DUE, its date) for `due` up to ``horizon``, or None when nothing is to do yet. A visit
    to plan by a deadline (reprise) is shown at once; one possible from a day, from that day on."""
    if m.visit:
        day = measure["starts_on"]
        if day is not None:
            return ("visit", day) if day <= horizon else None
        first, last = visit_window(m, measure["off_since"], measure["return_on"])
        if last is not None:
            return "plan-by", last
        return ("plan-from", first) if first <= horizon else None
    end = measure["ends_on"]
    if end > horizon:
        return None
    return ("ends" if end >= today else "ended"), end
