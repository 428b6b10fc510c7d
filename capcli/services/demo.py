"""A small built-in caseload: a dozen people across every kind, dated around today.

It is built through the same services as real work, so the closing rules open the
suivi-conventionnel, maintien-en-emploi and veille cases and schedule their contacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from capcli.env import Env
from capcli.errors import RuleError, StoreError
from capcli.i18n import _
from capcli.services import cases, contacts, measures, needs, persons, rqth
from capcli.services.due import DueReport, due_report
from capcli.store import demo as demo_store
from capcli.store import queries
from capcli.store.engine import Store, open_store

EMPLOYERS = (
    ("73282932000009", "Ateliers du Lez", "prive"),
    ("55208131700018", "Clinique Saint-Roch", "prive"),
    ("44306184100005", "Mairie de Castelnau", "public"),
)

# last name, first name, birth date, BOETH title, RQTH end (days from today) or None
PEOPLE = (
    ("MARTIN", "Sophie", "1984-03-12", "rqth", 120),
    ("BERNARD", "Karim", "1976-07-30", "rqth", None),
    ("PETIT", "Julie", "1990-11-02", "invalidite", None),
    ("DURAND", "Luc", "1969-01-19", "at-mp", None),
    ("LEROY", "Nadia", "1981-05-25", "rqth", 700),
    ("MOREAU", "Paul", "1987-09-08", "rqth", None),
    ("SIMON", "Claire", "1995-02-14", "aah", None),
    ("LAURENT", "Hugo", "1992-06-21", "rqth", 900),
    ("LEFEBVRE", "Emma", "1979-12-03", "cmi", None),
    ("MICHEL", "Thomas", "1973-04-17", "rqth", -20),
    ("GARCIA", "Léa", "1998-08-09", "en-cours", None),
    ("DAVID", "Marc", "1966-10-28", "rqth", 400),
)


@dataclass
class Demo:
    path: Path
    cases: list[dict]  # the rows of queries.list_cases
    due: DueReport  # the adviser's morning report on the demo store
    refused: list[str] = ()  # what the demo tried and the rules refused (an aid over its ceiling)


def run(env: Env) -> Demo:
    """Build the demo store (beside the real one, or at --db) and read back what it holds."""
    path = demo_path(env)
    refused: list[str] = []
    store = build(env, path, refused)
    try:
        return Demo(store.path, queries.list_cases(store), due_report(store, today=env.today, adviser=env.adviser), refused)
    finally:
        store.close()


def demo_path(env: Env) -> Path | str:
    if env.db_option:
        return env.db_path  # a file, or a team store's address
    from platformdirs import user_data_path

    return user_data_path("capcli", appauthor=False) / "demo.sqlite"


def _remove_old_demo(path: Path) -> None:
    """Delete a previous demo store; never a store that is not one."""
    from capcli.store import is_team_address

    team = is_team_address(path)
    if not team and not path.exists():
        return
    try:
        store = open_store(path)
    except StoreError:
        if team:  # no store at that address yet
            return
        raise
    try:
        mine = demo_store.is_demo(store)
    finally:
        store.close()
    if not mine:
        raise RuleError(
            _("{path} is not a demo store: 'capcli demo' only replaces its own demo stores").format(path=store.path)
        )
    demo_store.remove(path)


def build(env: Env, path: Path, refused: list[str] | None = None) -> Store:
    """Create a fresh demo store at ``path`` and return it open; what the rules refused on the way
    (an aid over its ceiling) is added to ``refused``."""
    _remove_old_demo(path)
    store = open_store(path, create=True)
    if getattr(store, "login", None):  # a team store: the demo's adviser is the database login
        env.signed_in(store.login)
    with store.transaction():
        demo_store.mark_demo(store)
    today = env.today

    def ago(days: int):
        return today - timedelta(days=days)

    employer_ids = [
        persons.add_employer(store, env, siret=siret, name=name, sector=sector) for siret, name, sector in EMPLOYERS
    ]
    ids = []
    for last, first, born, boeth, rqth_days in PEOPLE:
        rqth_until = (today + timedelta(days=rqth_days)).isoformat() if rqth_days is not None else None
        ids.append(persons.add_person(store, env, last_name=last, first_name=first, birth_date=born, boeth=boeth,
                                      rqth_until=rqth_until if boeth == "rqth" else None))
    me = env.adviser

    def open_(kind, person, days_ago, **kw):
        return cases.open_case(store, env, kind=kind, person_id=person, adviser=kw.pop("adviser", me),
                               on=ago(days_ago), **kw).case_id

    def advance(case_id, days_ago, to=None):
        cases.advance_case(store, env, case_id, to=to, on=ago(days_ago), note=None)

    def close(case_id, outcome, days_ago, **kw):
        return cases.close_case(store, env, case_id, outcome=outcome, on=ago(days_ago), **kw)

    def done(contact_id, days_ago, **kw):
        contacts.done(store, env, contact_id, on=ago(days_ago), **kw)

    # Job seekers: one in a PMSMP that ends in a few days.
    c = open_("acces-emploi", ids[0], 120)
    advance(c, 90)
    advance(c, 30)
    measures.add_measure(store, env, c, kind="pmsmp", start=ago(24), to=today + timedelta(days=4),
                         host=EMPLOYERS[1][1])
    c = open_("acces-emploi", ids[7], 300)
    advance(c, 250, to="recherche")
    close(c, "emploi-durable", 40)
    c = open_("acces-emploi", ids[10], 20)
    # Job retention that worked: a suivi-conventionnel each, one due a few days ago, one soon.
    c = open_("maintien", ids[1], 220, employer_id=employer_ids[0], requested_by="employeur",
              signalement_by="employeur", signalement_on=ago(226))
    advance(c, 200)
    advance(c, 150)
    close(c, "maintien-poste", 95)
    # ... the other one's contact was done three months ago: renewed once, due about now.
    c = open_("maintien", ids[2], 260, employer_id=employer_ids[1], requested_by="partenaire",
              partner="médecin du travail", signalement_by="medecin-travail", signalement_on=ago(275))
    advance(c, 240, to="solutions")
    suivi = close(c, "maintien-entreprise", 185).opened[0]
    done(suivi.contacts[0][0], 92, note=_("settled in the new job, sees the occupational doctor in June"))
    contacts.renew(store, env, suivi.case_id)
    # Job retention that failed: a maintien-en-emploi opens.
    c = open_("maintien", ids[3], 130, employer_id=employer_ids[0], signalement_by="pdp", signalement_on=ago(131))
    close(c, "echec", 60)
    # A reconversion with the job still at risk: a veille, its first contact near.
    c = open_("maintien-en-emploi", ids[4], 400, employer_id=employer_ids[2])
    advance(c, 300)
    close(c, "reconversion", 178, at_risk=True)
    # Evolution asked by the employer, with the person's consent.
    open_("evolution-pro", ids[5], 45, employer_id=employer_ids[1], requested_by="employeur", consent=True)
    open_("emploi-accompagne", ids[6], 75)
    # A maintien whose suivi contact found the job at risk: the suivi closed a-risque into a veille,
    # whose first contact was stable and whose second one the person asked to have today.
    c = open_("maintien", ids[8], 500, employer_id=employer_ids[2])
    suivi = close(c, "maintien-poste", 410).opened[0]
    done(suivi.contacts[0][0], 318, at_risk=True, note=_("new manager, the adjusted schedule is questioned"))
    veille = close(suivi.case_id, "a-risque", 318).opened[0]
    done(veille.contacts[0][0], 135, note=_("schedule confirmed in writing by the employer"))
    contacts.move(store, env, veille.contacts[1][0], due_on=today, note=_("the person asked to meet earlier"))
    # A maintien with nothing recorded for three months: shown as idle. Its person's RQTH ended, but
    # its renewal was filed before: it runs on until the decision.
    open_("maintien", ids[9], 95, employer_id=employer_ids[0], requested_by="partenaire", partner="SPST",
          signalement_by="medecin-travail", signalement_on=ago(100))
    rqth.record(store, env, ids[9], filed=ago(50))
    # A maintien during a sick leave at a public employer (FIPHFP): an essai encadré at another post,
    # a workstation adapted; a second quote would go over the aid's ceiling of 10 000 € in 3 years,
    # and is refused.
    c = open_("maintien", ids[11], 50, employer_id=employer_ids[2], signalement_by="cpam", signalement_on=ago(58))
    advance(c, 10, to="solutions")
    measures.add_measure(store, env, c, kind="essai-encadre", start=ago(3), host=EMPLOYERS[2][1],
                         note=_("a post at the reception desk, mornings only"))
    aid = "fiphfp-amenagement-poste"
    needs.add_need(store, env, c, category=None, description=_("height-adjustable desk and seat"), funder=None,
                   amount="6500", on=ago(8), aid=aid, documents=("justificatif-eligibilite", "devis"))
    try:
        needs.add_need(store, env, c, category=None, description=_("second quote: a motorised lifting table"),
                       funder=None, amount="4000", on=ago(2), aid=aid)
    except RuleError as exc:
        if refused is not None:
            refused.append(exc.message)
    return store
