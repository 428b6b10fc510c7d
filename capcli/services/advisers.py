"""The advisers of a store: on a team store, a name given to --adviser (open, reassign, case edit,
import) must be one it knows, so that a typo does not start a new caseload; a local store takes any
name (it has one user)."""

from __future__ import annotations

from capcli.domain import validate
from capcli.env import Env
from capcli.errors import InvalidValue, RuleError
from capcli.i18n import N_, _
from capcli.store import advisers as sql
from capcli.store.engine import Store


def kept_at(address) -> bool:
    """Whether the store at ``address`` keeps a list of advisers (a team store), before it is opened."""
    from capcli.store import is_team_address

    return is_team_address(address)


def unknown(store: Store, env: Env, names) -> list[str]:
    """The names, of ``names``, that the team store does not know (your own login is always known)."""
    if not sql.keeps_registry(store):
        return []
    known = sql.registered(store) | {env.adviser}
    return [name for name in names if name not in known]


def unknown_staged(store: Store, env: Env) -> list[tuple[int, str]]:
    """(first line, name) of each adviser of the cases an import stages that the store does not know."""
    if not sql.keeps_registry(store):
        return []
    staged = sql.staged_advisers(store)
    missing = set(unknown(store, env, [name for _line, name in staged]))
    return [(line, name) for line, name in staged if name in missing]


def require_known(store: Store, env: Env, name: str) -> None:
    validate.text(name, N_("adviser"))  # a control character is refused as such, before it is named back
    if unknown(store, env, [name]):
        raise InvalidValue(unknown_reason(name))


def unknown_reason(name: str) -> str:
    return _("'{name}' is not an adviser of this team store: see 'capcli adviser list' ('capcli adviser add "
             "{name}' registers a new one)").format(name=name)


def add_adviser(store: Store, env: Env, name: str) -> str:
    name = validate.text((name or "").strip(), "NAME")
    if not name:
        raise InvalidValue(_("give the adviser's name"))
    if not sql.keeps_registry(store):
        raise RuleError(_("a local store takes any adviser name: the list of advisers is kept by a team store "
                          "(--db postgresql://…)"))
    with store.transaction():
        if name in sql.registered(store):
            raise RuleError(_("'{name}' is already an adviser of this store").format(name=name))
        sql.register(store, name, on=env.today.isoformat(), by=env.adviser)
    return name


def list_advisers(store: Store) -> list[dict]:
    return sql.caseloads(store)
