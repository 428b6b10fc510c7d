"""A kind's behaviour is its policy in capcli.domain.codes (codes.Kind): the rules, the invariants
of `check` and the report read it. A kind added or changed there behaves accordingly, with no
other change: these tests add one (a short watch, ``veille-courte``) and change another."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from capcli.domain import codes, invariants, report, rules
from capcli.domain.model import Case, Contact
from capcli.errors import RuleError

OPENED = date(2026, 1, 5)
SHORT = codes.Kind(
    "veille-courte", ("veille",), ("stable", "re-signalement"),
    follows=("maintien",), follows_hint="a veille-courte follows a maintien",
    contacts=codes.Contacts((2, 4), most=3, window_months=6, min_done=1),
    reopens_on_risk="maintien", employer_needs_consent=True,
)


@pytest.fixture
def short_watch(monkeypatch):
    monkeypatch.setitem(codes.KINDS, SHORT.code, SHORT)
    return SHORT


def case(kind, **kw) -> Case:
    return Case(id=kw.pop("id", 9), person_id=1, kind=kind, phase=codes.KINDS[kind].first_phase,
                opened_on=OPENED, **kw)


def contacts(*done: date | None, due=date(2026, 3, 5)) -> list[Contact]:
    return [Contact(i + 1, 9, i + 1, due, d) for i, d in enumerate(done)]


def test_a_new_kind_opens_after_what_its_policy_says_with_its_scheduled_contacts(short_watch):
    kw = dict(person_id=1, requested_by="personne", partner=None, consent=False, person_open_cases=[],
              on=date(2026, 2, 1))
    with pytest.raises(RuleError, match="a veille-courte follows a maintien"):
        rules.check_open("veille-courte", follows=None, **kw)
    with pytest.raises(RuleError, match="a veille-courte follows a maintien"):
        rules.check_open("veille-courte", follows=case("veille"), **kw)
    rules.check_open("veille-courte", follows=case("maintien", closed_on=date(2026, 1, 20), outcome="echec"), **kw)
    assert rules.scheduled_contacts("veille-courte", OPENED) == [date(2026, 3, 5), date(2026, 5, 5)]
    with pytest.raises(RuleError, match="veille-courte requested by the employer needs the person's consent"):
        rules.check_request("veille-courte", "employeur", None, False)
    rules.check_request("veille-courte", "employeur", None, True)
    rules.check_request("maintien", "employeur", None, False)


def test_a_new_kind_bounds_its_contacts_as_its_policy_says(short_watch):
    watch = case("veille-courte")
    assert rules.contact_window_end(watch) == date(2026, 7, 5)
    rules.check_add_contact(watch, contacts(None, None), date(2026, 7, 5))
    with pytest.raises(RuleError, match=r"outside the veille-courte window of case 9 \(veille-courte\) "
                                        r"\(05/01/2026 to 05/07/2026\): all its contacts fall within 6 months"):
        rules.check_add_contact(watch, contacts(None, None), date(2026, 7, 6))
    with pytest.raises(RuleError, match="already has 3 contacts: a veille-courte has 3 at most"):
        rules.check_add_contact(watch, contacts(None, None, None), date(2026, 6, 1))
    assert invariants.case_problems(watch, contacts(None, None, None, None)) == [
        "case 9 (veille-courte) has 4 contacts: a veille-courte has 3 at most"]
    assert invariants.case_problems(watch, contacts(None, due=date(2026, 8, 1))) == [
        "case 9 (veille-courte): contact 1 is due 01/08/2026, outside its window (05/01/2026 to 05/07/2026)"]


def test_a_new_kind_closes_after_its_minimum_of_contacts_done(short_watch):
    watch = case("veille-courte")
    with pytest.raises(RuleError, match="has 0 of the 1 veille-courte contacts done"):
        rules.check_close(watch, "stable", at_risk=False, force=False, contacts=contacts(None, None))
    assert rules.check_close(watch, "stable", at_risk=False, force=False,
                             contacts=contacts(date(2026, 3, 5), None)) == "stable"
    assert rules.signals_reopening(watch, True) and not rules.signals_reopening(watch, False)
    with pytest.raises(RuleError, match="only a suivi-conventionnel is renewed"):
        rules.renewal_due(watch, contacts(date(2026, 3, 5)))


def test_the_follow_on_cases_are_the_closing_kinds_policy(monkeypatch):
    maintien = codes.KINDS["maintien"]
    monkeypatch.setitem(codes.KINDS, "maintien", codes.Kind(
        maintien.code, maintien.phases, maintien.outcomes,
        opens=(codes.Opens("veille-courte", ("echec",), reason="watch"),)))
    monkeypatch.setitem(codes.KINDS, SHORT.code, SHORT)
    opened = rules.follow_ons(case("maintien"), "echec", at_risk=False, on=date(2026, 4, 1), person_open_cases=[])
    assert [(f.kind, f.reason, f.contacts) for f in opened] == [
        ("veille-courte", "watch", [date(2026, 6, 1), date(2026, 8, 1)])]
    assert rules.follow_ons(case("maintien"), "maintien-poste", at_risk=False, on=date(2026, 4, 1),
                            person_open_cases=[]) == []


def test_the_shipped_policies_give_the_rules_of_the_spec():
    on = date(2026, 4, 1)
    first = rules.follow_ons(case("maintien"), "maintien-entreprise", at_risk=False, on=on, person_open_cases=[])
    assert [(f.kind, f.contacts) for f in first] == [("suivi-conventionnel", [date(2026, 7, 1)])]  # rule 4
    assert [f.kind for f in rules.follow_ons(case("maintien"), "echec", at_risk=False, on=on,
                                             person_open_cases=[])] == ["maintien-en-emploi"]  # rule 6
    assert rules.follow_ons(case("maintien"), "echec", at_risk=False, on=on,
                            person_open_cases=[case("maintien-en-emploi", id=3)]) == []
    for kind, outcome, at_risk in (("suivi-conventionnel", "a-risque", False), ("maintien-en-emploi", "abandon", True)):
        opened = rules.follow_ons(case(kind), outcome, at_risk=at_risk, on=on, person_open_cases=[])
        assert [(f.kind, len(f.contacts)) for f in opened] == [("veille", 3)]  # rule 7
    assert rules.follow_ons(case("maintien-en-emploi"), "abandon", at_risk=False, on=on, person_open_cases=[]) == []
    assert report.RATES == {"maintien-success": ("maintien", ("maintien-poste", "maintien-entreprise")),
                            "lasting-employment": ("acces-emploi", ("emploi-durable",))}
    assert invariants.CONTACT_RULE_KINDS == ("suivi-conventionnel", "veille")


def test_no_rule_names_a_kind():
    """Behaviour is read from the policies (tests above); the modules hold no kind branch left."""
    kinds = "|".join(re.escape(k) for k in codes.KINDS)
    branch = re.compile(rf"""(==|!=|\bin)\s*\(?["'](?:{kinds})["']""")
    root = Path(codes.__file__).parent
    for name in ("rules.py", "invariants.py", "report.py"):
        found = [line for line in (root / name).read_text().splitlines() if branch.search(line)]
        assert found == [], name
