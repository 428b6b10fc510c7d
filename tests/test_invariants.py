"""The domain invariants `capcli check` verifies, tested directly."""

from datetime import date

from capcli.domain.invariants import case_problems, need_problems
from capcli.domain.model import Case, Contact

D = date(2026, 1, 5)


def case(kind="maintien", phase="signalement", **kw) -> Case:
    return Case(id=7, person_id=1, kind=kind, phase=phase, opened_on=D, **kw)


def contacts(*dues: date) -> list[Contact]:
    return [Contact(id=i + 1, case_id=7, number=i + 1, due_on=due) for i, due in enumerate(dues)]


def test_a_sound_case_has_no_problem():
    assert case_problems(case()) == []
    assert case_problems(case(closed_on=D, outcome="echec")) == []
    assert case_problems(case("veille", "veille"), contacts(date(2026, 7, 5), date(2027, 1, 5), date(2027, 7, 5))) == []


def test_codes_must_belong_to_the_kind():
    assert case_problems(case(kind="nope")) == ["case 7 has an unknown kind 'nope'"]
    assert case_problems(case(phase="suivi")) == ["case 7 (maintien) is at phase 'suivi', not a phase of its kind"]
    assert case_problems(case(closed_on=D, outcome="stable")) == [
        "case 7 (maintien) has outcome 'stable', not an outcome of its kind"]


def test_open_and_closed_agree_with_the_outcome():
    assert case_problems(case(outcome="echec")) == ["case 7 (maintien) is open but has an outcome (echec)"]
    assert case_problems(case(closed_on=D)) == ["case 7 (maintien) is closed without an outcome"]


def test_a_veille_has_four_contacts_at_most_all_within_18_months():
    five = contacts(*(date(2026, m, 10) for m in (2, 3, 4, 5, 6)))
    assert case_problems(case("veille", "veille"), five) == ["case 7 (veille) has 5 contacts: a veille has 4 at most"]
    late = contacts(date(2026, 7, 5), date(2027, 7, 6))
    assert case_problems(case("veille", "veille"), late) == [
        "case 7 (veille): contact 2 is due 06/07/2027, outside its window (05/01/2026 to 05/07/2027)"]


def test_a_suivi_conventionnel_is_renewed_once():
    three = contacts(date(2026, 4, 5), date(2026, 7, 5), date(2026, 10, 5))
    assert case_problems(case("suivi-conventionnel", "suivi"), three) == [
        "case 7 (suivi-conventionnel) has 3 contacts: a suivi-conventionnel is renewed once (2 contacts)"]
    assert case_problems(case("suivi-conventionnel", "suivi"), three[:2]) == []


def test_need_codes():
    assert need_problems(3, 7, "formation", "accorde") == []
    assert need_problems(3, 7, "formation", "maybe") == ["need 3 of case 7 has an unknown status 'maybe'"]
    assert need_problems(3, 7, "yacht", "demande") == ["need 3 of case 7 has an unknown category 'yacht'"]
