"""The case commands' output: `open`, `advance`, `close`, `show`, `list`, `reassign`, `cancel`.

Each function takes the plain data a service returned and prints it as text or as JSON (the
shapes of ``views``: a case's employer is ``views.employer_json`` wherever a case shows it).
Text screens fit ``fit.WIDTH`` columns in every language: long cells are cut with an ellipsis
rather than wrapped mid-name.
"""

from __future__ import annotations

import gc
import itertools
import re
import textwrap
from datetime import date

from capcli.domain.codes import KINDS
from capcli.i18n import _, ngettext, pgettext
from capcli.render import fit, measures, ui, views



def _contacts(contacts: list[tuple[int, date]]) -> None:
    for contact_id, due_on in contacts:
        ui.out(_("  contact {id} due {date}").format(id=contact_id, date=ui.fmt_due(due_on)))


def _contacts_json(contacts: list[tuple[int, date]]) -> list[dict]:
    return [{"id": cid, "due_on": due} for cid, due in contacts]


# --- write commands -----------------------------------------------------------------


def opened(result, as_json: bool) -> None:
    """`open`: the new case's id and its scheduled contacts."""
    if as_json:
        ui.json_out({"id": result.case_id, "contacts": _contacts_json(result.contacts)})
        return
    ui.out(str(result.case_id))
    _contacts(result.contacts)


def advanced(case_id: int, before: str, after: str, on: date, as_json: bool) -> None:
    """`advance`: the phase left and the phase reached."""
    if as_json:
        ui.json_out({"id": case_id, "from": before, "to": after, "on": on})
        return
    ui.out(_("case {id}: {before} -> {after}").format(id=case_id, before=before, after=after))


def closed(case_id: int, result, on: date, as_json: bool) -> None:
    """`close`: the outcome and the cases the rules opened."""
    if as_json:
        ui.json_out({
            "id": case_id,
            "outcome": result.outcome,
            "closed_on": on,
            "opened": [{"id": o.case_id, "kind": o.kind, "contacts": _contacts_json(o.contacts),
                        "also_open": o.also_open} for o in result.opened],
        })
        return
    ui.out(_("case {id} closed: {outcome} ({date})").format(id=case_id, outcome=result.outcome,
                                                           date=ui.fmt_date(on)))
    for case in result.opened:
        ui.out(_("opened case {id} ({kind}): {reason}").format(id=case.case_id, kind=case.kind,
                                                              reason=_(case.reason)))
        _contacts(case.contacts)
        for other in case.also_open:
            ui.out(_("  case {other} ({kind}) of this person is still open: close it when it is over").format(
                other=other, kind=case.kind))


def cancelled(case, as_json: bool) -> None:
    """`cancel`: the case out of the caseload."""
    if as_json:
        ui.json_out({"id": case.id, "status": case.status, "cancelled_on": case.cancelled_on,
                     "cancel_reason": case.cancel_reason})
        return
    ui.out(_("case {id} cancelled ({date}): it left the caseload, due and the report").format(
        id=case.id, date=ui.fmt_date(case.cancelled_on)))


def reassigned(moved, dry_run: bool, as_json: bool) -> None:
    """`reassign`: the cases moved (or that would move) and their contacts to do."""
    if as_json:
        ui.json_out({"from": moved.source, "to": moved.target, "dry_run": dry_run,
                     "cases": [c["id"] for c in moved.cases], "contacts": moved.contacts})
        return
    if not moved.cases:
        ui.out(_("{name} has no open case to move").format(name=moved.source))
        return
    fit.wrapped_columns([_("case"), _("kind"), _("phase"), _("person"), _("contacts to do")],
            [[c["id"], c["kind"], c["phase"], f"{c['last_name']} {c['first_name']}".strip(), c["pending"]]
             for c in moved.cases], shrink={3: 10})
    count_cases = ngettext("{n} case", "{n} cases", len(moved.cases)).format(n=len(moved.cases))
    count_contacts = ngettext("{n} contact to do", "{n} contacts to do", moved.contacts).format(n=moved.contacts)
    sentence = (_("would move {cases} and {contacts} from {source} to {target} (dry run: nothing written)")
                if dry_run else _("moved {cases} and {contacts} from {source} to {target}"))
    ui.out(sentence.format(cases=count_cases, contacts=count_contacts, source=moved.source, target=moved.target))


# --- list ---------------------------------------------------------------------------


def case_status(row: dict) -> str:
    return "open" if row["closed_on"] is None else "cancelled" if row["cancelled_on"] else "closed"


def case_row_json(row: dict) -> dict:
    """A case in `list --json`: the keys of `show --json` that a list holds, in the same shapes."""
    return {
        "id": row["id"], "kind": row["kind"], "phase": row["phase"], "status": case_status(row),
        "outcome": row["outcome"], "person": {"id": row["person_id"], "name": row["person_name"]},
        "employer": views.employer_json(row["employer"]), "adviser": row["adviser"],
        "opened_on": row["opened_on"], "closed_on": row["closed_on"], "follows": row["follows_id"],
        "external_id": row["external_id"],
    }


def _safe_all(cells: list[str]) -> list[str]:
    """``ui.safe`` of each cell (checked at once: most pieces have nothing to escape)."""
    return cells if "".join(cells).isprintable() else list(map(ui.safe, cells))


def _batches(rows, size: int = 4096):
    """``rows`` in lists of ``size`` (itertools.batched, Python 3.12)."""
    rows = iter(rows)
    while batch := list(itertools.islice(rows, size)):
        yield batch


PAGE = 1000  # rows of `list` whose column widths a terminal gets at once (fit.paged)


def case_list(listing, with_adviser: bool, as_json: bool, terminal: bool = False) -> None:
    """`list`: one line a case (the adviser's column when the list is not one adviser's), printed
    as the store gives the cases (``services.cases.CaseListing``), column by column: the lines of
    the whole table (``fit.streamed``); on a terminal, with the widths of each ``PAGE`` cases
    (``fit.paged``), so that the first screen shows at once."""
    if as_json:
        ui.json_array_out(case_row_json(row) for row in listing)
        return
    # TRANSLATORS: the adviser in charge, as a column of `list` (short: the list fits 80 columns)
    headers = [_("id"), _("kind"), _("phase/outcome"), _("person")] + (
        [pgettext("list", "adviser")] if with_adviser else [])
    headers.append(_("opened"))
    texts = ui.Made(lambda v: ui.safe("" if v is None else str(v)))  # codes and advisers repeat
    dates = ui.Made(ui.fmt_date)
    cancelled = ui.safe(_("cancelled"))
    states = ui.Made(lambda v: cancelled if v is None else texts[v])  # None: cancelled (queries.case_lines)

    def names(lasts, firsts) -> list[str]:
        return _safe_all(list(map(str.strip, map("{} {}".format, lasts, firsts))))

    def columns(chunk) -> list[list[str]]:  # a piece of lines, column by column
        ids, kinds, states_, advisers, opened, lasts, firsts = zip(*chunk)
        return [list(map(str, ids)), list(map(texts.__getitem__, kinds)), list(map(states.__getitem__, states_)),
                names(lasts, firsts)] + (
            [list(map(texts.__getitem__, advisers))] if with_adviser else []) + [list(map(dates.__getitem__, opened))]

    # the widest of the names and codes is narrowed first (names and codes cut with …)
    shrink = {1: 12, 2: 12, 3: 12, 4: 6} if with_adviser else {1: 12, 2: 12, 3: 12}
    pieces = map(columns, _batches(listing.lines(at_once=terminal), PAGE if terminal else 4096))
    lines = fit.paged(headers, pieces, shrink) if terminal else fit.streamed(headers, pieces, shrink)
    shown = False
    collecting = gc.isenabled()
    gc.disable()  # a million rows of tuples, none in a cycle: the collector would scan them for nothing
    try:
        for text in lines:
            ui.raw(text)  # lines of cells made ui.safe
            shown = True
    finally:
        if collecting:
            gc.enable()
    if not shown:
        ui.out(_("No case matches."))


# --- show ---------------------------------------------------------------------------

_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def history_detail(action: str, detail: str | None, contact_ids: dict[int, int]) -> str:
    """An event's detail as `show` writes it: dates dd/mm/yyyy, and a contact named by the id
    commands use (`contact 31: 02/06/2026`), not only its number in the case's series."""
    text = views.detail_text(action, detail)
    if action.startswith("contact-") or action == "renewed":
        number, _space, rest = text.partition(" ")
        if number.isdigit() and int(number) in contact_ids:
            text = _("contact {id}").format(id=contact_ids[int(number)]) + (f": {rest}" if rest else "")
    return _ISO_DAY.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", text)


def kept_end(text: str, end: str, width: int) -> str:
    """``text`` cut so that ``text + end`` fits ``width``: a name cut, its id or SIRET kept whole."""
    return fit.clip(text, width - len(end)) + end


def _label_lines(lines: list[tuple[str, str]]) -> None:
    width = max(len(label) for label, _value in lines)
    for label, value in lines:
        ui.out(f"  {label:<{width}}  {fit.clip(value, fit.WIDTH - width - 4)}")


def case_detail(detail: dict, as_json: bool) -> None:
    """`show`: one case with its contacts, needs, diagnostic and history."""
    if as_json:
        ui.json_out(views.case_json(detail))
        return
    c = detail["case"]
    trail = " > ".join(f"[{p}]" if p == c.phase else p for p in KINDS[c.kind].phases)
    if c.cancelled_on:
        status = _("cancelled on {date}: {reason}").format(date=ui.fmt_date(c.cancelled_on), reason=c.cancel_reason)
    else:
        status = _("open") if c.is_open else _("closed: {outcome} on {date}").format(
            outcome=c.outcome + (" (a-risque)" if c.at_risk else ""), date=ui.fmt_date(c.closed_on))
    ui.out(fit.clip(_("Case {id} · {kind} · {status}").format(id=c.id, kind=c.kind, status=status), fit.WIDTH))
    person = detail["person"]
    name = detail["person_name"]
    room = fit.WIDTH - 4 - max(len(label) for label in (_("Person"), _("Phase"), _("Adviser"), _("Requested by"),
                                                      _("Opened"), _("Employer"), _("Follows"), _("Followed by"),
                                                      _("Signalement")))
    lines = [
        (_("Person"), kept_end(name, f" ({person['id']})", room)),
        (_("Phase"), trail),
        (_("Adviser"), c.adviser),
        (_("Requested by"), c.requested_by + (f" ({c.partner})" if c.partner else "")
         + (" · " + _("consent recorded") if c.consent else "")),
        (_("Opened"), ui.fmt_date(c.opened_on)),
    ]
    if c.signalement_by or c.signalement_on:
        lines.append((_("Signalement"), " · ".join(
            v for v in (c.signalement_by, c.signalement_on and ui.fmt_date(c.signalement_on)) if v)))
    if detail["employer"]:
        emp = detail["employer"]
        lines.append((_("Employer"), kept_end(emp["name"], f" · SIRET {emp['siret']} · {emp['sector']}", room)))
    if c.follows_id:
        lines.append((_("Follows"), _("case {id}").format(id=c.follows_id)))
    if detail["followers"]:
        lines.append((_("Followed by"), ", ".join(f"{f.id} ({f.kind})" for f in detail["followers"])))
    _label_lines(lines)

    contacts = detail["contacts"]
    if contacts:
        ui.out()
        ui.out(_("Follow-up contacts"))
        rows = []
        for contact in contacts:
            if contact.is_done:
                state = _("done {date}").format(date=ui.fmt_date(contact.done_on)) + (
                    " · " + _("at risk") if contact.at_risk else "")
            else:
                state = _("to do")
            rows.append([contact.id, f"{contact.number}/{len(contacts)}", ui.fmt_due(contact.due_on), state,
                         contact.note or ""])
        fit.wrapped_columns([_("id"), _("no."), _("due"), _("state"), _("note")], rows, shrink={}, wrap={4: 12})

    if detail["diagnostic"]:
        d = views.diagnostic_json(detail["diagnostic"], detail["diagnostic_revisions"])
        ui.out()
        ui.out(fit.clip(_("Diagnostic (revision {n}: {date}, {author})").format(
            n=d["revisions"], date=ui.fmt_date(d["on"]), author=d["author"]), fit.WIDTH))
        for key, label in views.diagnostic_labels():
            value = "; ".join(d[key]) if key == "restrictions" else d[key]
            if value:  # free text: wrapped at spaces, never cut; its own lines kept
                for n, part in enumerate(f"{label}: {value}".split("\n")):
                    ui.out(textwrap.fill(part, fit.WIDTH, initial_indent="" if n else "  ",
                                         subsequent_indent="    ", break_on_hyphens=False) or "")
    elif detail.get("diagnostic_hidden"):
        ui.out()
        ui.out(fit.clip(views.hidden_diagnostic(detail["diagnostic_hidden"]), fit.WIDTH))

    if detail["needs"]:
        ui.out()
        ui.out(_("Compensation needs"))
        fit.wrapped_columns(
            [_("id"), _("category"), _("description"), _("funder"), _("amount"), _("status")],
            [[n["id"], n["category"], n["description"], n["funder"] or "", ui.fmt_amount(n["amount_cents"]),
              n["status"]] for n in detail["needs"]],  # the status's date: `need list`
            shrink={1: 10}, wrap={2: 24},
        )

    measures.case_block(detail.get("measures", []))

    ui.out()
    ui.out(_("History"))
    history(detail["events"], {contact.number: contact.id for contact in contacts})


def history(events: list[dict], contact_ids: dict[int, int]) -> None:
    """The journal: date, what, detail, by; a note on the lines below its event, indented."""
    headers = [_("date"), _("what"), _("detail"), _("by")]
    rows = [[ui.fmt_date(ev["on_date"]), views.action_label(ev["action"]),
             history_detail(ev["action"], ev["detail"], contact_ids), ev["author"]] for ev in events]
    cells = fit.cells(headers, rows)
    shrink, wrap = {3: 6}, {2: 16}
    widths = fit.fitted_widths(cells, {**shrink, **wrap})
    lines = ui.align([cells[0]] + [piece for row in cells[1:] for piece in fit.fitted_row(row, widths, shrink, wrap)])
    ui.out(lines[0])
    at = 1
    indent = widths[0] + fit.GAP
    for row, event in zip(cells[1:], events):
        count = len(fit.fitted_row(row, widths, shrink, wrap))
        for line in lines[at:at + count]:
            ui.out(line)
        at += count
        note = views.note_text(event["action"], event["note"])
        if note:  # on one line of its own, as a cell (a newline shown as \\n), wrapped at spaces
            ui.out(textwrap.fill(ui.safe(note), fit.WIDTH, initial_indent=" " * indent, subsequent_indent=" " * indent,
                                 break_on_hyphens=False))
