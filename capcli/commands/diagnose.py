"""capcli diagnose CASE: revise a case's diagnostic, with a wizard or from a script."""

from __future__ import annotations

from typing import List, Optional

import typer

from capcli.commands._common import ON_HELP, codes_help, command_app, env, guard, on_date, parse_id, store
from capcli.domain import codes, diagnostic
from capcli.errors import Cancelled, InvalidValue, UsageError
from capcli.i18n import _
from capcli.render import diagnostics as render
from capcli.render.options import AsJson
from capcli.services import diagnostics

app = command_app()


NONE = ""  # the "not stated" choice of a coded field (questionary needs a non-None value)


def read_source(source: str) -> str:
    """The text of --from: a file, or stdin for '-'."""
    if source == "-":
        import sys

        return sys.stdin.read()
    try:
        with open(source, encoding="utf-8-sig") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InvalidValue(_("cannot read {source}: {reason}").format(source=source, reason=reason)) from None


def check(name: str, required: bool = False):
    """Inline validation of a wizard answer with the domain's own check."""

    def check(answer: str) -> str | None:
        try:
            value = diagnostic.split_restrictions(answer) if name == "restrictions" else diagnostic.field(name, answer)
        except InvalidValue as exc:
            return exc.message
        if required and not value:
            return _("required")
        return None

    return check


def wizard(previous: dict) -> dict:
    """Ask every field, starting from the current diagnostic; a summary, then a confirmation."""
    from capcli import prompts

    values = dict(previous)
    values["situation"] = diagnostic.free_text("situation", prompts.text(
        _("Situation (work, job, what brings the person)"), default=previous["situation"] or "",
        validate=check("situation", required=True)))
    values["restrictions"] = diagnostic.split_restrictions(prompts.text(
        _("Health-related restrictions (separated by ;)"), default="; ".join(previous["restrictions"]),
        validate=check("restrictions")))
    values["disability_type"] = diagnostic.coded("disability_type", prompts.select(
        _("Type of disability"), [(_("(not stated)"), NONE)] + [(code, code) for code in codes.DISABILITY_TYPES],
        default=previous["disability_type"] or NONE))
    values["health_opinion"] = diagnostic.coded("health_opinion", prompts.select(
        _("Occupational-health opinion"), [(_("(none)"), NONE)] + [(code, code) for code in codes.HEALTH_OPINIONS],
        default=previous["health_opinion"] or NONE))
    for key, message in (("capacities", _("Capacities")), ("aspirations", _("Aspirations, project")),
                         ("impact", _("Impact of the disability on work"))):
        values[key] = diagnostic.free_text(key, prompts.text(message, default=previous[key] or "", validate=check(key)))
    render.summary(previous, values)
    if not prompts.confirm(_("Record this diagnostic?"), default=True):
        raise Cancelled(_("not recorded: nothing was written"))
    return values


@app.command("diagnose")
@guard
def diagnose(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    from_file: Optional[str] = typer.Option(
        None, "--from", metavar="FILE", help=_("A JSON object of diagnostic fields ('-' for stdin); see the README.")
    ),
    situation: Optional[str] = typer.Option(None, "--situation", metavar="TEXT", help=_("The person's situation.")),
    restriction: Optional[List[str]] = typer.Option(
        None, "--restriction", metavar="TEXT", help=_("A health-related restriction (repeat for each; replaces the list).")
    ),
    disability_type: Optional[str] = typer.Option(
        None, "--disability-type", metavar="CODE",
        help=_("Type of disability: {codes}.").format(codes=codes_help(codes.DISABILITY_TYPES)),
    ),
    health_opinion: Optional[str] = typer.Option(
        None, "--health-opinion", metavar="CODE", help=_("Occupational-health opinion: {codes}.").format(
            codes=codes_help(codes.HEALTH_OPINIONS))
    ),
    capacities: Optional[str] = typer.Option(None, "--capacities", metavar="TEXT", help=_("Capacities.")),
    aspirations: Optional[str] = typer.Option(None, "--aspirations", metavar="TEXT", help=_("Aspirations, project.")),
    impact: Optional[str] = typer.Option(None, "--impact", metavar="TEXT", help=_("Impact of the disability on work.")),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help=ON_HELP),
    as_json: AsJson = False,
) -> None:
    """Revise a case's diagnostic: a wizard on a terminal, or --from FILE and field options."""
    case_id = parse_id(case, _("case id"))
    day = on_date(on)
    changed: dict = {}
    if from_file is not None:
        changed.update(diagnostic.parse_json(read_source(from_file), from_file))
    flags = {"situation": situation, "restrictions": restriction or None, "disability_type": disability_type,
             "health_opinion": health_opinion, "capacities": capacities, "aspirations": aspirations,
             "impact": impact}
    changed.update(diagnostic.changes({key: value for key, value in flags.items() if value is not None}))
    e = env()
    if from_file is None and not changed:
        if not e.interactive:
            raise UsageError(
                _("nothing to record: give --from FILE or a field option such as --situation "
                  "(there is no terminal to ask on)")
            )
        with store() as s:
            previous = diagnostics.open_wizard(s, e, case_id, on=day).values
        changed = wizard(previous)
    with store() as s:
        recorded = diagnostics.record(s, e, case_id, changed, on=day)
    render.recorded(recorded, day, as_json)
