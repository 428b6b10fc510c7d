"""`capcli team`: the roles of a team store (capcli/store/team.py): `init` (the administrator, once),
`add` (a manager, or the administrator), `list`."""

from __future__ import annotations

from capcli.domain import validate
from capcli.env import Env
from capcli.errors import InvalidValue, RuleError
from capcli.i18n import _
from capcli.store import advisers as registry
from capcli.store import team
from capcli.store.engine import Store


def _team_store(store: Store) -> None:
    if not registry.keeps_registry(store):
        raise RuleError(_("roles are a team store's (--db postgresql://…): a local store has one user"))


def init(store: Store) -> dict:
    """Create the roles and the policies (again: the same result; after an upgrade, for a new table)."""
    _team_store(store)
    problem = team.administrator_problem(store)
    if problem:
        raise RuleError(problem)
    with store.transaction():
        return team.init(store)


def add(store: Store, env: Env, login: str, role: str) -> dict:
    """Give ``login`` a capcli role (creating the login if needed) and register it as an adviser."""
    login = validate.text((login or "").strip(), "LOGIN")
    if not login:
        raise InvalidValue(_("give the login"))
    if role not in team.ROLES:
        raise InvalidValue(_("--role is adviser or manager, not '{role}'").format(role=role))
    _team_store(store)
    if not team.enforced(store):
        raise RuleError(_("this team store has no roles yet: its administrator runs 'capcli team init' first"))
    team.require_manager(store, "team add")
    current = team.members(store).get(login)
    if current == "manager" and role == "adviser":
        raise RuleError(_("{login} is a manager: the administrator takes the role back with psql (REVOKE "
                          "capcli_manager FROM {login})").format(login=login))
    with store.transaction():
        done = team.add_login(store, login, role)
        registered = login in registry.registered(store)
        if not registered:
            registry.register(store, login, on=env.today.isoformat(), by=env.adviser)
    return {"login": login, "role": role, "created": done == "created", "registered": not registered}


def listing(store: Store) -> list[dict]:
    """Every login with a capcli role, and every registered adviser, with their open cases."""
    _team_store(store)
    roles = team.members(store) if team.enforced(store) else {}
    loads = {row["name"]: row for row in registry.caseloads(store)}
    names = sorted(set(roles) | {n for n, row in loads.items() if row.get("added_on")})
    return [{"login": name, "role": roles.get(name), "open": loads.get(name, {}).get("open", 0),
             "registered": bool(loads.get(name, {}).get("added_on"))} for name in names]
