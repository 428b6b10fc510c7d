"""The domain rules, tested directly (no store, no terminal)."""

from datetime import date

import pytest

from capcli.domain import codes, rules
from capcli.domain.dates import add_months, next_working_day, parse_date
from capcli.domain.model import Case, Contact
from capcli.errors import InvalidValue, RuleError


def case(kind="maintien", phase=None, **kw) -> Case:
    return Case(id=kw.pop("id", 1), person_id=kw.pop("person_id", 1), kind=kind,
                phase=phase or codes.KINDS[kind].first_phase, opened_on=kw.pop("opened_on", date(2026, 1, 5)), **kw)


def test_next_phase_moves_forward_one_step_or_to_a_named_later_phase():
    assert rules.next_phase(case()) == "diagnostic"
    assert rules.next_phase(case(), "solutions") == "solutions"


def test_next_phase_refuses_backward_same_and_past_the_end():
    with pytest.raises(RuleError, match="only moves forward"):
        rules.next_phase(case(phase="solutions"), "diagnostic")
    with pytest.raises(RuleError, match="only moves forward"):
        rules.next_phase(case(phase="solutions"), "solutions")
    with pytest.raises(RuleError, match="last phase"):
        rules.next_phase(case(phase="mise-en-oeuvre"))
    with pytest.raises(InvalidValue, match="valid: signalement, diagnostic"):
        rules.next_phase(case(), "recherche")


def test_a_closed_case_does_not_advance():
    with pytest.raises(RuleError, match="--follows 1"):
        rules.next_phase(case(closed_on=date(2026, 2, 1), outcome="echec"))


def test_evolution_pro_requested_by_the_employer_needs_consent():
    kw = dict(person_id=1, partner=None, follows=None, person_open_cases=[], on=date(2026, 1, 1))
    with pytest.raises(RuleError, match="consent"):
        rules.check_open("evolution-pro", requested_by="employeur", consent=False, **kw)
    rules.check_open("evolution-pro", requested_by="employeur", consent=True, **kw)
    rules.check_open("evolution-pro", requested_by="personne", consent=False, **kw)


def test_maintien_en_emploi_may_follow_an_open_maintien_but_nothing_else_follows_an_open_case():
    open_maintien = case("maintien")
    kw = dict(person_id=1, requested_by="personne", partner=None, consent=False, person_open_cases=[],
              on=date(2026, 2, 1))
    rules.check_open("maintien-en-emploi", follows=open_maintien, **kw)
    with pytest.raises(RuleError, match="still open"):
        rules.check_open("acces-emploi", follows=open_maintien, **kw)


def test_veille_only_follows_maintien_en_emploi_or_suivi():
    kw = dict(person_id=1, requested_by="personne", partner=None, consent=False, person_open_cases=[],
              on=date(2026, 2, 1))
    closed = dict(closed_on=date(2026, 1, 20), outcome="x")
    with pytest.raises(RuleError, match="veille can only follow"):
        rules.check_open("veille", follows=case("maintien", **closed), **kw)
    with pytest.raises(RuleError, match="veille can only follow"):
        rules.check_open("veille", follows=None, **kw)
    rules.check_open("veille", follows=case("suivi-conventionnel", **closed), **kw)
    rules.check_open("veille", follows=case("maintien-en-emploi", **closed), **kw)


def test_a_partner_request_names_the_partner_and_a_person_has_one_open_case_per_kind():
    kw = dict(person_id=1, consent=False, follows=None, on=date(2026, 2, 1))
    with pytest.raises(RuleError, match="--partner"):
        rules.check_open("maintien", requested_by="partenaire", partner=" ", person_open_cases=[], **kw)
    with pytest.raises(RuleError, match="already has an open maintien case"):
        rules.check_open("maintien", requested_by="personne", partner=None, person_open_cases=[case()], **kw)


def test_a_follow_on_opened_by_rule_is_not_refused_by_the_one_open_case_per_kind_limit():
    older = case("suivi-conventionnel", id=2)
    kw = dict(person_id=1, requested_by="personne", partner=None, consent=False,
              follows=case(id=3, closed_on=date(2026, 7, 1), outcome="maintien-poste"),
              person_open_cases=[older], on=date(2026, 7, 1))
    with pytest.raises(RuleError, match="already has an open suivi-conventionnel case"):
        rules.check_open("suivi-conventionnel", **kw)  # by hand
    rules.check_open("suivi-conventionnel", by_rule=True, **kw)  # rule 4
    assert rules.same_kind_open("suivi-conventionnel", [older, case(id=3)]) == [2]
    assert rules.same_kind_open("veille", [older]) == []


def test_successful_maintien_opens_a_suivi_with_a_contact_three_months_after_closing():
    [follow] = rules.follow_ons(case(), "maintien-poste", at_risk=False, on=date(2026, 11, 30), person_open_cases=[])
    assert follow.kind == "suivi-conventionnel"
    assert follow.contacts == [date(2027, 2, 28)]


def test_echec_opens_a_maintien_en_emploi_unless_one_is_open():
    [follow] = rules.follow_ons(case(), "echec", at_risk=False, on=date(2026, 3, 1), person_open_cases=[])
    assert follow.kind == "maintien-en-emploi" and follow.contacts == []
    already = case("maintien-en-emploi", id=7)
    assert rules.follow_ons(case(), "echec", at_risk=False, on=date(2026, 3, 1), person_open_cases=[already]) == []


def test_at_risk_closings_open_a_veille_with_contacts_at_6_12_18_months():
    for closing in ((case("suivi-conventionnel"), "a-risque", False), (case("maintien-en-emploi"), "reconversion", True)):
        [follow] = rules.follow_ons(closing[0], closing[1], at_risk=closing[2], on=date(2026, 8, 31),
                                    person_open_cases=[])
        assert follow.kind == "veille"
        assert follow.contacts == [date(2027, 2, 28), date(2027, 8, 31), date(2028, 2, 29)]
    assert rules.follow_ons(case("suivi-conventionnel"), "consolide", at_risk=False, on=date(2026, 8, 31),
                            person_open_cases=[]) == []


def test_closing_rules():
    with pytest.raises(RuleError, match="closed once"):
        rules.check_close(case(closed_on=date(2026, 2, 1), outcome="echec"), "echec", at_risk=False, force=False,
                          contacts=[])
    with pytest.raises(InvalidValue, match="valid: maintien-poste, maintien-entreprise, echec, sans-suite"):
        rules.check_close(case(), "emploi-durable", at_risk=False, force=False, contacts=[])
    with pytest.raises(RuleError, match="--a-risque applies"):
        rules.check_close(case(), "echec", at_risk=True, force=False, contacts=[])
    veille = case("veille")
    two_done = [Contact(i, 1, i, date(2026, 7, 5), done_on=date(2026, 7, 5) if i < 3 else None) for i in (1, 2, 3)]
    with pytest.raises(RuleError, match="2 of the 3 veille contacts done"):
        rules.check_close(veille, "stable", at_risk=False, force=False, contacts=two_done)
    assert rules.check_close(veille, "stable", at_risk=False, force=True, contacts=two_done) == "stable"


def test_veille_contacts_stay_within_18_months_and_number_four_at_most():
    veille = case("veille", opened_on=date(2026, 1, 5))
    contacts = [Contact(i, 1, i, date(2026, 7, 5)) for i in (1, 2, 3)]
    rules.check_add_contact(veille, contacts, date(2027, 7, 5))
    with pytest.raises(RuleError, match="outside the veille window"):
        rules.check_add_contact(veille, contacts, date(2027, 7, 6))
    with pytest.raises(RuleError, match="4 at most"):
        rules.check_add_contact(veille, contacts + [Contact(4, 1, 4, date(2026, 9, 1))], date(2026, 10, 1))


def test_suivi_is_renewed_once_three_months_after_its_contact():
    suivi = case("suivi-conventionnel")
    first = Contact(1, 1, 1, date(2026, 4, 5), done_on=date(2026, 4, 10))
    assert rules.renewal_due(suivi, [first]) == date(2026, 7, 10)
    with pytest.raises(RuleError, match="renewed once"):
        rules.renewal_due(suivi, [first, Contact(2, 1, 2, date(2026, 7, 10))])
    with pytest.raises(RuleError, match="record its contact first"):
        rules.renewal_due(suivi, [Contact(1, 1, 1, date(2026, 4, 5))])


def test_dates_iso_and_french_and_impossible():
    assert parse_date("2026-11-22") == parse_date("22/11/2026") == parse_date("22.11.2026") == date(2026, 11, 22)
    with pytest.raises(InvalidValue, match="no such day"):
        parse_date("29/02/2026")
    with pytest.raises(InvalidValue, match="YYYY-MM-DD or DD/MM/YYYY"):
        parse_date("11/22")
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_due_dates_on_weekends_and_french_holidays_move_to_the_next_working_day():
    assert next_working_day(date(2026, 11, 20)) == date(2026, 11, 20)  # a Friday
    assert next_working_day(date(2026, 11, 21)) == date(2026, 11, 23)  # Saturday -> Monday
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 28)  # Christmas, a Friday -> Monday
    assert next_working_day(date(2026, 7, 14)) == date(2026, 7, 15)  # fête nationale, a Tuesday


def test_signal_to_reopen_a_maintien():
    assert rules.signals_reopening(case("veille"), True)
    assert rules.signals_reopening(case("suivi-conventionnel"), True)
    assert not rules.signals_reopening(case("veille"), False)
    assert not rules.signals_reopening(case("maintien"), True)


# --- follow-up contacts (issue 3) ---------------------------------------------------


def test_a_maintien_may_follow_an_open_veille_or_suivi_rule_8():
    kw = dict(person_id=1, requested_by="personne", partner=None, consent=False, person_open_cases=[],
              on=date(2026, 6, 1))
    rules.check_open("maintien", follows=case("veille"), **kw)
    rules.check_open("maintien", follows=case("suivi-conventionnel"), **kw)
    with pytest.raises(RuleError, match="still open"):
        rules.check_open("maintien", follows=case("maintien-en-emploi"), **kw)
    with pytest.raises(RuleError, match="still open"):
        rules.check_open("acces-emploi", follows=case("veille"), **kw)
    with pytest.raises(RuleError, match="already has an open maintien case"):
        rules.check_open("maintien", follows=case("veille"), **{**kw, "person_open_cases": [case("maintien", id=9)]})


def test_a_contact_is_done_once_on_an_open_case_between_its_opening_and_today():
    suivi = case("suivi-conventionnel", opened_on=date(2026, 3, 2))
    todo = Contact(4, 1, 1, date(2026, 6, 2))
    rules.check_contact_done(suivi, todo, date(2026, 6, 2), today=date(2026, 6, 10))
    done = Contact(4, 1, 1, date(2026, 6, 2), done_on=date(2026, 6, 3))
    with pytest.raises(RuleError, match=r"contact 4 of case 1 \(suivi-conventionnel\) was done already on "
                                        r"03/06/2026: a contact is done once \(a suivi-conventionnel gets its "
                                        r"one more contact with .capcli renew 1.\)"):
        rules.check_contact_done(suivi, done, date(2026, 6, 4), today=date(2026, 6, 10))
    with pytest.raises(RuleError, match="is closed: its contacts can no longer be recorded"):
        rules.check_contact_done(case("suivi-conventionnel", closed_on=date(2026, 5, 1), outcome="consolide"),
                                 todo, date(2026, 6, 2), today=date(2026, 6, 10))
    with pytest.raises(RuleError, match="in the future"):
        rules.check_contact_done(suivi, todo, date(2026, 6, 11), today=date(2026, 6, 10))
    with pytest.raises(RuleError, match="before case 1"):
        rules.check_contact_done(suivi, todo, date(2026, 3, 1), today=date(2026, 6, 10))


def test_a_contact_moves_only_while_to_do_inside_the_window_and_after_the_opening():
    veille = case("veille", opened_on=date(2026, 1, 5))
    todo = Contact(2, 1, 2, date(2027, 1, 5))
    rules.check_move_contact(veille, todo, date(2027, 7, 5))  # the last day of the 18 months
    with pytest.raises(RuleError, match=r"outside the veille window of case 1 \(veille\) \(05/01/2026 to 05/07/2027\)"):
        rules.check_move_contact(veille, todo, date(2027, 7, 6))
    with pytest.raises(RuleError, match="before case 1 \\(veille\\) opened"):
        rules.check_move_contact(veille, todo, date(2026, 1, 4))
    with pytest.raises(RuleError, match="a done contact is not moved"):
        rules.check_move_contact(veille, Contact(2, 1, 2, date(2027, 1, 5), done_on=date(2027, 1, 6)),
                                 date(2027, 2, 1))
    with pytest.raises(RuleError, match="closed: its contacts cannot be moved"):
        rules.check_move_contact(case("veille", closed_on=date(2026, 9, 1), outcome="stable"), todo,
                                 date(2027, 2, 1))


def test_no_contact_before_its_case_opened_whatever_the_kind():
    with pytest.raises(RuleError, match="before case 1 \\(maintien\\) opened \\(05/01/2026\\)"):
        rules.check_add_contact(case("maintien"), [], date(2026, 1, 4))
    rules.check_add_contact(case("maintien"), [], date(2026, 1, 5))
    with pytest.raises(RuleError, match="gets its second contact with 'renew'"):
        rules.check_add_contact(case("suivi-conventionnel"), [], date(2026, 4, 5))
    with pytest.raises(RuleError, match="closed: no contact can be added"):
        rules.check_add_contact(case("veille", closed_on=date(2026, 2, 1), outcome="stable"), [], date(2026, 4, 5))


def test_reopen_only_answers_a_contact_at_risk_during_a_veille_or_suivi():
    rules.check_reopen(case("veille"), True)
    rules.check_reopen(case("suivi-conventionnel"), True)
    with pytest.raises(RuleError, match="--reopen goes with --risk"):
        rules.check_reopen(case("veille"), False)
    with pytest.raises(RuleError, match="not of case 1 \\(maintien\\)"):
        rules.check_reopen(case("maintien"), True)


def test_renewal_is_for_an_open_suivi_only():
    first = Contact(1, 1, 1, date(2026, 4, 5), done_on=date(2026, 4, 10))
    with pytest.raises(RuleError, match="only a suivi-conventionnel is renewed"):
        rules.renewal_due(case("veille"), [first])
    with pytest.raises(RuleError, match="closed: it cannot be renewed"):
        rules.renewal_due(case("suivi-conventionnel", closed_on=date(2026, 5, 1), outcome="consolide"), [first])


def test_holidays_come_from_the_cache_once_computed(tmp_path, monkeypatch):
    import json

    import holidays
    from platformdirs import user_cache_path

    from capcli import cache
    from capcli.domain import dates

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == user_cache_path("capcli", appauthor=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert cache.cache_dir() == user_cache_path("capcli", appauthor=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.french_holidays.cache_clear()
    cache.install()
    try:
        expected = frozenset(holidays.country_holidays("FR", years=2031))
        assert cache.french_holidays(2031) == expected == dates.french_holidays(2031)
        saved = json.loads((tmp_path / "capcli" / cache.HOLIDAY_CACHE).read_text())
        assert saved["data"]["2031"] == sorted(d.isoformat() for d in expected)
        cache.french_holidays.cache_clear()
        assert cache.french_holidays(2031) == expected  # read back from the file
        (tmp_path / "capcli" / cache.HOLIDAY_CACHE).write_text("{damaged")
        cache.french_holidays.cache_clear()
        assert cache.french_holidays(2031) == expected  # a damaged cache is recomputed
        assert next_working_day(date(2031, 7, 14)) == date(2031, 7, 15)  # through the cache installed
    finally:
        cache.french_holidays.cache_clear()


def test_lasting_employment_is_a_cdi_or_a_contract_of_the_threshold_length():
    assert rules.check_employment("emploi-durable", None, None, 6) is None
    assert rules.check_employment("emploi-durable", "cdi", None, 6) == "cdi"
    assert rules.check_employment("emploi-durable", "cdd", 6, 6) == "cdd 6"
    assert rules.check_employment("emploi-transition", "interim", 5, 6) == "interim 5"
    with pytest.raises(RuleError, match="is not lasting employment .less than 6 months.: close with --outcome "
                                        "emploi-transition"):
        rules.check_employment("emploi-durable", "cdd", 5, 6)
    with pytest.raises(RuleError, match="is lasting employment"):
        rules.check_employment("emploi-transition", "cdd", 9, 6)
    with pytest.raises(RuleError, match="close with --outcome emploi-durable"):
        rules.check_employment("emploi-transition", "cdi", None, 6)
    with pytest.raises(RuleError, match="add --months N"):
        rules.check_employment("emploi-durable", "interim", None, 6)
    with pytest.raises(RuleError, match="goes with --outcome emploi-durable or emploi-transition"):
        rules.check_employment("formation", "cdd", 3, 6)
    with pytest.raises(RuleError, match="--months goes with --contract"):
        rules.check_employment("emploi-durable", None, 8, 6)
    with pytest.raises(InvalidValue, match="unknown contract 'cdd2'"):
        rules.check_employment("emploi-durable", "cdd2", 8, 6)


def test_the_diagnostic_and_needs_come_from_the_diagnostic_phase_on():
    with pytest.raises(RuleError, match="at phase signalement"):
        rules.check_past_diagnostic(case("maintien", "signalement"))
    rules.check_past_diagnostic(case("maintien", "diagnostic"))
    rules.check_past_diagnostic(case("maintien", "mise-en-oeuvre"))
    rules.check_past_diagnostic(case("emploi-accompagne", "evaluation"))  # no diagnostic phase: not held back
    rules.check_past_diagnostic(case("veille"))


def test_the_calendar_rules_take_plain_values_and_read_no_environment(monkeypatch):
    from capcli import cache
    from capcli.domain import dates

    monkeypatch.setenv("CAPCLI_TODAY", "2020-01-01")
    assert dates.today() == date.today()  # the environment is capcli.env's to read
    assert dates.today("02/01/2026") == date(2026, 1, 2)
    try:
        dates.use_holidays(lambda year: frozenset({date(year, 3, 2)}))  # a made-up holiday, no cache file
        assert next_working_day(date(2026, 3, 2)) == date(2026, 3, 3)
        assert dates.is_working_day(date(2026, 12, 25))  # not a holiday of that source
    finally:
        cache.install()  # what every invocation installs (capcli.env.start)


def test_add_months_adds_them_as_relativedelta_does_end_of_month_clamped_leap_years_and_back():
    from datetime import timedelta

    from dateutil.relativedelta import relativedelta

    days = [date(2023, 1, 1) + timedelta(days=n) for n in range(0, 3 * 366, 3)]
    days += [date(1900, 2, 28), date(2000, 2, 29), date(2024, 2, 29), date(2100, 1, 31), date(1, 1, 31),
             date(9999, 12, 31), date(2026, 8, 31), date(2026, 12, 31)]
    for day in days:
        for months in (*range(-30, 31), -1200, -12 * 120, 1200):
            try:
                expected = day + relativedelta(months=months)
            except (ValueError, OverflowError):
                with pytest.raises(ValueError):
                    add_months(day, months)
                continue
            assert add_months(day, months) == expected, (day, months)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
