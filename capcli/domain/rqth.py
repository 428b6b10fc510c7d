"""The renewal of an RQTH (issue 18): filed with the MDPH, decided by the CDAPH. Plain functions.

A renewal is filed at least 6 months before the RQTH's end date; filed more than a year early it may
be refused; filed before the end date, the RQTH runs on until the decision; 4 months without a
decision is a refusal (silence vaut rejet).
"""

from __future__ import annotations

from datetime import date

from capcli.domain.dates import add_months, shown
from capcli.domain.rules import check_not_future
from capcli.errors import InvalidValue, RuleError, UsageError
from capcli.i18n import _

FILE_MONTHS_BEFORE = 6  # filed with the MDPH at least 6 months before the end date (SPEC §1, issue 18)
EARLY_MONTHS = 12  # filed more than a year before the end date: the MDPH may refuse it (issue 18)
SILENCE_MONTHS = 4  # no decision of the CDAPH 4 months after the filing: a refusal (CASF R241-33)
DECISIONS = ("accorde", "definitive", "refuse")

# What `due` says of a person's RQTH ending (services.due): to file, filed and awaiting the decision,
# refused by silence; once decided, nothing (a refusal is not nagged about; a renewal moves the end date).
STATES = ("to-file", "filed", "silence", "decided")


def current(renewal: dict | None, rqth_until: date | None) -> dict | None:
    """The renewal of the RQTH that ends on ``rqth_until``: the latest one while it awaits its
    decision, or once decided if it was about that end date (a renewal granted moved it)."""
    if renewal is None:
        return None
    if renewal["decided_on"] is None or renewal["rqth_until"] == rqth_until:
        return renewal
    return None


def state(renewal: dict | None, today: date) -> str:
    """One of STATES for the current renewal (``current``)."""
    if renewal is None:
        return "to-file"
    if renewal["decided_on"] is not None:
        return "decided"
    if add_months(renewal["filed_on"], SILENCE_MONTHS) <= today:
        return "silence"
    return "filed"


def runs_on(renewal: dict | None, today: date) -> bool:
    """The RQTH holds past its end date: filed before it, and no decision yet (not even by silence)."""
    return (renewal is not None and state(renewal, today) == "filed" and renewal["rqth_until"] is not None
            and renewal["filed_on"] <= renewal["rqth_until"])


def check_filing(person: dict, latest: dict | None, filed_on: date, today: date) -> list[str]:
    """A filing for ``person`` (its RQTH end date, not definitive), refused when one already awaits its
    decision; returns the warnings (more than a year early, late, after the end date)."""
    check_not_future(filed_on, today)
    if person["rqth_definitive"]:
        raise RuleError(_("person {id}'s RQTH is definitive: it is not renewed").format(id=person["id"]))
    until = person["rqth_until"]
    if until is None:
        raise RuleError(_("person {id} has no RQTH end date: a renewal renews an RQTH that ends (capcli person edit "
                          "{id} --rqth-until DATE)").format(id=person["id"]))
    if latest is not None and latest["decided_on"] is None:
        raise RuleError(_("person {id}'s RQTH renewal was filed on {on} and awaits its decision: record it with "
                          "--decided DATE").format(id=person["id"], on=shown(latest["filed_on"])))
    warnings = []
    if filed_on < add_months(until, -EARLY_MONTHS):
        warnings.append(_("filed more than {n} months before the RQTH ends ({until}): the MDPH may refuse it as too "
                          "early").format(n=EARLY_MONTHS, until=shown(until)))
    elif filed_on > until:
        warnings.append(_("filed after the RQTH ended ({until}): it does not run on until the decision").format(
            until=shown(until)))
    elif filed_on > add_months(until, -FILE_MONTHS_BEFORE):
        warnings.append(_("filed less than {n} months before the RQTH ends ({until}): the decision may come after "
                          "it; the RQTH runs on until then").format(n=FILE_MONTHS_BEFORE, until=shown(until)))
    return warnings


def decision(*, until: date | None, definitive: bool, refused: bool) -> str:
    """The decision given on the command line: exactly one of --until, --definitive, --refused."""
    given = [name for name, value in (("--until", until), ("--definitive", definitive), ("--refused", refused)) if value]
    if len(given) != 1:
        raise UsageError(_("--decided takes one of --until DATE, --definitive or --refused"))
    return "accorde" if until else "definitive" if definitive else "refuse"


def check_decision(person_id: int, renewal: dict | None, decided_on: date, until: date | None, today: date) -> None:
    """A decision on the renewal awaiting one (refused when none does), dated after its filing."""
    if renewal is None or renewal["decided_on"] is not None:
        raise RuleError(_("person {id} has no RQTH renewal awaiting a decision: record the filing first (--filed "
                          "DATE)").format(id=person_id))
    check_not_future(decided_on, today)
    if decided_on < renewal["filed_on"]:
        raise InvalidValue(_("--decided {on} is before the filing ({filed})").format(
            on=shown(decided_on), filed=shown(renewal["filed_on"])))
    if until is not None and renewal["rqth_until"] is not None and until <= renewal["rqth_until"]:
        raise InvalidValue(_("--until {until} is not after the RQTH's end date ({end}): a renewal ends later").format(
            until=shown(until), end=shown(renewal["rqth_until"])))
