"""The activity report's periods and figure definitions (capcli/domain/report.py), tested directly."""

from datetime import date

import pytest

from capcli.domain import report
from capcli.errors import InvalidValue, UsageError

TODAY = date(2026, 11, 22)


def period(**kw):
    p = report.parse_period(TODAY, **kw)
    return p.start, p.end, p.label


def test_periods():
    assert period() == (date(2026, 1, 1), TODAY, "2026")  # the year to date
    assert period(year="2025") == (date(2025, 1, 1), date(2025, 12, 31), "2025")
    assert period(year="2026") == (date(2026, 1, 1), TODAY, "2026")  # reported to date
    assert period(quarter="2026-Q1") == (date(2026, 1, 1), date(2026, 3, 31), "2026-Q1")
    assert period(quarter="2025q4") == (date(2025, 10, 1), date(2025, 12, 31), "2025-Q4")
    assert period(month="2024-02") == (date(2024, 2, 1), date(2024, 2, 29), "2024-02")  # leap year
    assert period(month="12/2025") == (date(2025, 12, 1), date(2025, 12, 31), "2025-12")
    assert period(from_="15/03/2026", to="2026-03-15")[:2] == (date(2026, 3, 15), date(2026, 3, 15))
    assert period(from_="2026-06-01")[:2] == (date(2026, 6, 1), TODAY)
    assert period(to="2025-06-30")[:2] == (date(2025, 1, 1), date(2025, 6, 30))


@pytest.mark.parametrize("kw, error", [
    ({"quarter": "2026-Q5"}, InvalidValue),
    ({"quarter": "2026-Q0"}, InvalidValue),
    ({"quarter": "Q1"}, InvalidValue),
    ({"month": "2026-13"}, InvalidValue),
    ({"month": "2026-00"}, InvalidValue),
    ({"year": "1850"}, InvalidValue),
    ({"from_": "2026-05-01", "to": "2026-04-30"}, InvalidValue),
    ({"year": "2027"}, InvalidValue),  # starts after today
    ({"from_": "2026-12-01"}, InvalidValue),  # likewise (and not "after --to", which was not given)
    ({"year": "2026", "month": "2026-03"}, UsageError),
    ({"from_": "2026-01-01", "quarter": "2026-Q1"}, UsageError),
])
def test_bad_periods(kw, error):
    with pytest.raises(error):
        report.parse_period(TODAY, **kw)


def test_months_of_a_period():
    p = report.Period(date(2025, 11, 15), date(2026, 2, 3), "x")
    assert p.months() == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_contact_states_and_the_working_day_shift():
    saturday, monday = date(2026, 5, 2), date(2026, 5, 4)  # Friday 01/05 is a holiday too
    assert report.contact_deadline(saturday) == monday
    assert report.contact_state(date(2026, 4, 15), date(2026, 4, 15), TODAY) == "on-time"  # on the due date
    assert report.contact_state(date(2026, 4, 15), date(2026, 4, 1), TODAY) == "on-time"  # early
    assert report.contact_state(saturday, monday, TODAY) == "on-time"
    assert report.contact_state(saturday, date(2026, 5, 5), TODAY) == "late"
    assert report.contact_state(date(2026, 11, 20), None, TODAY) == "overdue"
    assert report.contact_state(date(2026, 11, 21), None, TODAY) == "pending"  # Saturday: Monday 23/11
    assert report.contact_state(TODAY, None, TODAY) == "pending"
    # not done, its case closed: missed when it was due by the closing, cancelled (None) when due after
    assert report.contact_state(date(2026, 5, 4), None, TODAY, closed_on=date(2026, 5, 4)) == "overdue"
    assert report.contact_state(date(2026, 5, 5), None, TODAY, closed_on=date(2026, 5, 4)) is None
    assert report.contact_state(date(2026, 5, 5), date(2026, 5, 6), TODAY, closed_on=date(2026, 5, 4)) == "late"


def test_shifted_due_days_lists_only_non_working_days():
    pairs = report.shifted_due_days(date(2026, 4, 30), date(2026, 5, 4))
    assert pairs == [
        (date(2026, 5, 1), date(2026, 5, 4)),  # Fête du travail (Friday)
        (date(2026, 5, 2), date(2026, 5, 4)),
        (date(2026, 5, 3), date(2026, 5, 4)),
    ]
    assert report.shifted_due_days(date(2026, 5, 4), date(2026, 5, 4)) == []


def test_rates_and_medians():
    assert report.rate(2, 3) == 0.6667
    assert report.rate(0, 4) == 0.0
    assert report.rate(0, 0) is None
    assert report.median([49, 92, 78]) == 78
    assert report.median([92, 49, 66, 78]) == 72
    assert report.median([]) is None


def test_figure_definitions_use_the_codes():
    from capcli.domain import codes

    for kind, outcomes in report.RATES.values():
        assert set(outcomes) <= set(codes.KINDS[kind].outcomes)
    assert set(report.GRANTED_STATUSES) <= set(report.REQUESTED_STATUSES) <= set(codes.NEED_STATUSES)
    assert report.grouping(" Month ") == "month"
    with pytest.raises(InvalidValue):
        report.section("money")


def test_a_to_date_after_today_starts_at_the_start_of_this_year():
    period = report.parse_period(date(2026, 7, 15), to="2027-03-01")
    assert (period.start, period.end) == (date(2026, 1, 1), date(2026, 7, 15))  # reported to date
