"""The renewal of a person's RQTH (`person rqth-renewal`): the filing with the MDPH and the CDAPH's
decision, journaled in the audit table; a renewal granted moves the person's RQTH end date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from capcli.domain import rqth
from capcli.domain.dates import shown
from capcli.env import Env
from capcli.errors import RuleError
from capcli.i18n import _
from capcli.store import audit, queries
from capcli.store import rqth as rqth_store
from capcli.store.engine import Store


@dataclass
class Renewal:
    person_id: int
    renewal: dict
    warnings: list[str] = field(default_factory=list)
    changes: dict = field(default_factory=dict)  # the person's fields the decision changed: {field: (old, new)}


def record(store: Store, env: Env, person_id: int, *, filed: date | None = None, decided: date | None = None,
           until: date | None = None, definitive: bool = False, refused: bool = False) -> Renewal:
    """Record the filing of an RQTH renewal, its decision, or both; a decision granted moves the
    person's RQTH end date (or makes it definitive), audited as a person edit."""
    decision = rqth.decision(until=until, definitive=definitive, refused=refused) if decided else None
    with store.transaction():
        person = queries.get_person(store, person_id)
        if person["anonymised_on"]:
            raise RuleError(_("person {id} was anonymised on {on}: an anonymised record is not edited").format(
                id=person_id, on=shown(queries.as_date(person["anonymised_on"]))))
        latest = rqth_store.latest_renewal(store, person_id)
        result = Renewal(person_id, latest)
        if filed is not None:
            person_until = queries.as_date(person["rqth_until"])
            result.warnings = rqth.check_filing({**person, "rqth_until": person_until}, latest, filed, env.today)
            renewal_id = queries.insert(store, "rqth_renewal",
                                        {"person_id": person_id, "rqth_until": person_until, "filed_on": filed})
            audit.record(store, author=env.adviser, action="rqth-renewal-filed", subject="person",
                         subject_id=person_id, detail=str(renewal_id))
            latest = rqth_store.latest_renewal(store, person_id)
        if decided is not None:
            rqth.check_decision(person_id, latest, decided, until, env.today)
            queries.update(store, "rqth_renewal", latest["id"],
                           {"decided_on": decided, "decision": decision, "granted_until": until})
            audit.record(store, author=env.adviser, action="rqth-renewal-decided", subject="person",
                         subject_id=person_id, detail=f"{latest['id']} {decision}")
            if decision != "refuse":
                after = {"rqth_until": until.isoformat() if until else None, "rqth_definitive": decision == "definitive",
                         "boeth": "rqth"}
                before = {"rqth_until": person["rqth_until"], "rqth_definitive": person["rqth_definitive"],
                          "boeth": person["boeth"]}
                result.changes = {key: (before[key], value) for key, value in after.items() if before[key] != value}
                if result.changes:
                    queries.update(store, "person", person_id, {key: after[key] for key in result.changes})
                    audit.record(store, author=env.adviser, action="person-edited", subject="person",
                                 subject_id=person_id, detail=" ".join(result.changes))
        result.renewal = rqth_store.latest_renewal(store, person_id)
        return result


def renewal_of(store: Store, person: dict) -> dict | None:
    """A person's latest RQTH renewal, filed or decided, for `person show`."""
    return rqth_store.latest_renewal(store, person["id"])
