"""capcli case edit | reassign | cancel, and what every correction command shares (`person edit`
and `employer edit` print their changes the same way)."""

from __future__ import annotations

from typing import List, Optional

import typer

from capcli import ui
from capcli.commands._common import JSON_HELP, ask_text, env, guard, parse_id, require, store
from capcli.errors import UsageError
from capcli.i18n import _, ngettext


def _value(value) -> str:
    if value is None or value == "":
        return _("(none)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():  # an ISO date
        return ui.fmt_date(text)
    return text


def print_changes(record_id: int, changes: dict, labels: dict, as_json: bool, done: str, same: str) -> None:
    """A correction's result: ``{"id", "changed": {field: {"old", "new"}}}`` with --json, else one line
    per field (``done`` and ``same`` are the headline's sentences, with ``{id}``)."""
    if as_json:
        ui.json_out({"id": record_id,
                     "changed": {key: {"old": old, "new": new} for key, (old, new) in changes.items()}})
        return
    if not changes:
        ui.out(same.format(id=record_id))
        return
    ui.out(done.format(id=record_id))
    for key, (old, new) in changes.items():
        ui.out(f"  {labels.get(key, key)}: {_value(old)} -> {_value(new)}")


def ask_or_refuse(given: dict, fields: list[tuple[str, str, object]], options: str) -> dict:
    """``given`` when it names something to correct; else, on a terminal, ask which field (of
    ``fields``: key, label, current value) and its new value, pre-filled; else a usage error."""
    if given:
        return given
    if not env().interactive:
        raise UsageError(_("nothing to correct: give one of {options}").format(options=options))
    from capcli import prompts

    key = prompts.select(_("What to correct"), [(f"{label}: {_value(current)}", key) for key, label, current in fields])
    current = dict((k, c) for k, _label, c in fields)[key]
    default = "" if current in (None, "") else _value(current) if isinstance(current, str) else str(current)
    answer = prompts.text(_("New value (empty clears it)"), default=default)
    return {key: answer}


# --- case edit ----------------------------------------------------------------------

case_app = typer.Typer(help=_("Corrections of a case (see also 'reassign' and 'cancel')."), no_args_is_help=True)


@case_app.command("edit")
@guard
def case_edit(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    adviser: Optional[str] = typer.Option(None, "--adviser", help=_("The adviser in charge (open cases only).")),
    employer: Optional[str] = typer.Option(None, "--employer", help=_("Employer id or SIRET; \"\" for none.")),
    requested_by: Optional[str] = typer.Option(None, "--requested-by", help=_("personne, employeur or partenaire.")),
    partner: Optional[str] = typer.Option(None, "--partner", help=_("The partner who asked; \"\" for none.")),
    consent: bool = typer.Option(False, "--consent", help=_("The person's consent is now recorded.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Correct a case: its adviser, employer, requester, partner or consent (journaled)."""
    from capcli.services.corrections import edit_case
    from capcli.store import queries
    from capcli.views import case_field_labels

    case_id = parse_id(case, _("case id"))
    given = {key: value for key, value in (("adviser", adviser), ("employer", employer),
                                           ("requested_by", requested_by), ("partner", partner)) if value is not None}
    if consent:
        given["consent"] = True
    if not given:
        with store() as s:
            found = queries.get_case(s, case_id)  # an unknown case is refused before any question
        labels = case_field_labels()
        given = ask_or_refuse(given, [("adviser", labels["adviser"], found.adviser),
                                      ("employer", labels["employer_id"], found.employer_id),
                                      ("requested_by", labels["requested_by"], found.requested_by),
                                      ("partner", labels["partner"], found.partner)],
                              "--adviser, --employer, --requested-by, --partner, --consent")
    with store() as s:
        changes = edit_case(s, env(), case_id, **given)
    print_changes(case_id, changes, case_field_labels(), as_json, _("case {id} corrected:"),
                  _("case {id}: nothing to correct (the values given are already recorded)"))


# --- reassign -----------------------------------------------------------------------


def reassign(
    source: Optional[str] = typer.Option(None, "--from", metavar="ADVISER", help=_("The adviser whose cases move.")),
    target: Optional[str] = typer.Option(None, "--to", metavar="ADVISER", help=_("The adviser who takes them.")),
    kind: Optional[str] = typer.Option(None, "--kind", help=_("Only the open cases of this kind.")),
    cases: Optional[List[str]] = typer.Option(None, "--case", metavar="CASE",
                                              help=_("Only this case (repeat for several).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_("List what would move; write nothing.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Move an adviser's open cases to another adviser (closed history keeps its adviser)."""
    from capcli.services.corrections import reassign as move

    if kind:
        from capcli.domain import codes

        kind = codes.kind(kind).code  # refused before any question
    case_ids = [parse_id(c, _("case id")) for c in cases or []]
    source = require(source, "--from", ask_text(_("Adviser whose cases move (--from)")))
    target = require(target, "--to", ask_text(_("Adviser who takes them (--to)")))
    with store() as s:
        moved = move(s, env(), source=source.strip(), target=target.strip(), kind=kind, case_ids=case_ids,
                     dry_run=dry_run)
    if as_json:
        ui.json_out({"from": moved.source, "to": moved.target, "dry_run": dry_run,
                     "cases": [c["id"] for c in moved.cases], "contacts": moved.contacts})
        return
    if not moved.cases:
        ui.out(_("{name} has no open case to move").format(name=moved.source))
        return
    ui.columns([_("case"), _("kind"), _("phase"), _("person"), _("contacts to do")],
               [[c["id"], c["kind"], c["phase"], f"{c['last_name']} {c['first_name']}", c["pending"]]
                for c in moved.cases])
    count_cases = ngettext("{n} case", "{n} cases", len(moved.cases)).format(n=len(moved.cases))
    count_contacts = ngettext("{n} contact to do", "{n} contacts to do", moved.contacts).format(n=moved.contacts)
    sentence = (_("would move {cases} and {contacts} from {source} to {target} (dry run: nothing written)")
                if dry_run else _("moved {cases} and {contacts} from {source} to {target}"))
    ui.out(sentence.format(cases=count_cases, contacts=count_contacts, source=moved.source, target=moved.target))


# --- cancel -------------------------------------------------------------------------


def cancel(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    reason: Optional[str] = typer.Option(None, "--reason", help=_("Why it was opened by mistake.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Cancel a case opened by mistake: it leaves the caseload, due and the report, and stays in the journal."""
    from capcli.services.corrections import cancel_case, check_cancellable

    case_id = parse_id(case, _("case id"))

    def ask_reason() -> str:
        with store() as s:
            check_cancellable(s, case_id)  # before asking: a case with history is refused first
        return ask_text(_("Why was it opened by mistake?"))()

    reason = require(reason, "--reason", ask_reason)
    with store() as s:
        cancelled = cancel_case(s, env(), case_id, reason)
    if as_json:
        ui.json_out({"id": case_id, "status": cancelled.status, "cancelled_on": cancelled.cancelled_on,
                     "cancel_reason": cancelled.cancel_reason})
        return
    ui.out(_("case {id} cancelled ({date}): it left the caseload, due and the report").format(
        id=case_id, date=ui.fmt_date(cancelled.cancelled_on)))


def register(app: typer.Typer) -> None:
    app.add_typer(case_app, name="case")
    app.command("reassign")(guard(reassign))
    app.command("cancel")(guard(cancel))
