"""What `capcli team init | add | list` print."""

from __future__ import annotations

from capcli.i18n import _
from capcli.render import ui


def initialised(done: dict, as_json: bool) -> None:
    if as_json:
        ui.json_out(done)
        return
    ui.out(_("{n} tables of schema {schema} under row-level security, owned by {owner}").format(
        n=len(done["tables"]), schema=ui.safe(done["schema"]), owner=ui.safe(done["owner"])))
    if done["moved_from"]:
        ui.out(_("the tables were {old}'s (a login, or a role with members, may lift the policies): now "
                 "{owner}'s").format(old=ui.safe(done["moved_from"]), owner=ui.safe(done["owner"])))
    if done["roles_created"]:
        ui.out(_("roles created: {roles}").format(roles=", ".join(done["roles_created"])))
    for table in done["unknown_tables"]:
        ui.err(_("table {table} is not capcli's: nobody but its owner reads it now").format(table=ui.safe(table)))
    ui.out(_("next: capcli team add LOGIN --role manager (then each adviser: --role adviser)"))


def added(done: dict, as_json: bool) -> None:
    if as_json:
        ui.json_out(done)
        return
    role = _("manager") if done["role"] == "manager" else _("adviser")
    if done["created"]:
        ui.out(_("login {login} created, {role}: its password is set by the administrator (psql: \\password "
                 "{login})").format(login=ui.safe(done["login"]), role=role))
    else:
        ui.out(_("{login} is a {role} of the team store").format(login=ui.safe(done["login"]), role=role))


def listed(rows: list[dict], as_json: bool) -> None:
    if as_json:
        ui.json_out(rows)
        return
    roles = {"manager": _("manager"), "adviser": _("adviser"), None: _("none: cannot read the store")}
    ui.columns(
        [_("login"), _("role"), _("open"), _("registered")],
        [[ui.safe(r["login"]), roles[r["role"]], r["open"], _("yes") if r["registered"] else _("no")] for r in rows],
        empty=_("No login has a capcli role yet: capcli team add LOGIN --role manager|adviser"),
    )
