"""Measures on a case and RQTH renewals: their JSON and their text, fitted to 80 columns."""

from __future__ import annotations

from capcli.domain import measures as rules
from capcli.i18n import _
from capcli.render import fit, ui

KEYS = ("id", "case_id", "measure", "starts_on", "ends_on", "ended_on", "renewals", "host", "off_since", "return_on",
        "note", "state")


def measure_json(measure: dict) -> dict:
    """A measure, the same in `measure add|renew|end|list --json` and `show --json`'s `measures`."""
    return {key: measure["kind"] if key == "measure" else measure[key] for key in KEYS}


def listed_json(measure: dict) -> dict:
    """`measure list --json`: the measure, its case's kind and adviser, the person's name."""
    return {**measure_json(measure), "kind": measure["case_kind"], "adviser": measure["adviser"],
            "person": f"{measure['last_name']} {measure['first_name']}".strip()}


def when_text(measure: dict) -> str:
    """`02/11/2026 → 01/12/2026`, a visit's day, or when it is to plan."""
    m = rules.MEASURES[measure["kind"]]
    if not m.visit:
        return f"{ui.fmt_date(measure['starts_on'])} → {ui.fmt_date(measure['ends_on'])}"
    if measure["starts_on"] is not None:
        return ui.fmt_date(measure["starts_on"])
    first, last = rules.visit_window(m, measure["off_since"], measure["return_on"])
    if last is not None:
        return _("to plan, {first} to {last}").format(first=ui.fmt_date(first), last=ui.fmt_date(last))
    return _("to plan, from {first}").format(first=ui.fmt_date(first))


def state_labels() -> dict:
    return {"to-plan": _("to plan"), "planned": _("planned"), "running": _("running"),
            "past-end": _("past its end"), "ended": _("ended")}


def rows(measures: list[dict]) -> list[list]:
    labels = state_labels()
    result = []
    for measure in measures:
        m = rules.MEASURES[measure["kind"]]
        state = measure["state"]
        text = labels[state]
        if state == "ended":
            text = (_("held {date}") if m.visit else _("ended {date}")).format(date=ui.fmt_date(measure["ended_on"]))
        if measure["renewals"]:
            text += " · " + _("renewed ×{n}").format(n=measure["renewals"])
        result.append([measure["id"], measure["kind"], when_text(measure), text, measure["host"] or ""])
    return result


def headers() -> list[str]:
    return [_("id"), _("measure"), _("dates"), _("state"), _("host")]


def case_block(measures: list[dict]) -> None:
    """`show`: the case's measures."""
    if not measures:
        return
    ui.out()
    ui.out(_("Measures"))
    fit.wrapped_columns(headers(), rows(measures), shrink={}, wrap={3: 10, 4: 10})


def measure_list(measures: list[dict]) -> None:
    """`measure list`: a line per measure, then its case and person, indented."""
    if not measures:
        ui.out(_("No measure recorded."))
        return
    lines = fit.fitted(headers(), rows(measures), shrink={4: 8})
    ui.out(lines[0])
    for line, measure in zip(lines[1:], measures):
        ui.out(line)
        person = f"{measure['last_name']} {measure['first_name']}".strip()
        ui.out(fit.clip("    " + _("case {id} {kind}").format(id=measure["case_id"], kind=measure["case_kind"])
                        + f" · {person}", fit.WIDTH))


def _warnings(recorded) -> None:
    for warning in recorded.warnings:
        ui.err(_("warning: {text}").format(text=warning))


def added(recorded, as_json: bool) -> None:
    """`measure add`: the new id, then what was recorded."""
    _warnings(recorded)
    if as_json:
        ui.json_out(measure_json(recorded.measure))
        return
    measure = recorded.measure
    ui.out(str(measure["id"]))
    ui.out(f"  {measure['kind']}: {when_text(measure)}")


def renewed(recorded, as_json: bool) -> None:
    if as_json:
        ui.json_out(measure_json(recorded.measure))
        return
    measure = recorded.measure
    ui.out(_("measure {id} ({measure}) renewed: ends on {end}").format(
        id=measure["id"], measure=measure["kind"], end=ui.fmt_date(measure["ends_on"])))


def ended(recorded, as_json: bool) -> None:
    _warnings(recorded)
    if as_json:
        ui.json_out(measure_json(recorded.measure))
        return
    measure = recorded.measure
    text = _("measure {id} ({measure}) held on {date}") if rules.MEASURES[measure["kind"]].visit else _(
        "measure {id} ({measure}) ended on {date}")
    ui.out(text.format(id=measure["id"], measure=measure["kind"], date=ui.fmt_date(measure["ended_on"])))


# --- the RQTH renewal ----------------------------------------------------------------------


def renewal_json(renewal: dict | None) -> dict | None:
    """A renewal, in `person rqth-renewal --json` and `person show --json`'s `rqth_renewal`."""
    if renewal is None:
        return None
    return {key: renewal[key] for key in ("id", "rqth_until", "filed_on", "decided_on", "decision", "granted_until")}


def renewal_text(renewal: dict | None) -> str:
    """`person show`'s line: filed, decided, or nothing."""
    if renewal is None:
        return ""
    if renewal["decided_on"] is None:
        return _("filed {date}, awaiting the decision").format(date=ui.fmt_date(renewal["filed_on"]))
    texts = {"accorde": _("granted {date}, until {until}"), "definitive": _("granted {date}, definitive"),
             "refuse": _("refused {date}")}
    return texts[renewal["decision"]].format(date=ui.fmt_date(renewal["decided_on"]),
                                             until=ui.fmt_date(renewal["granted_until"]))


def renewal_recorded(result, as_json: bool) -> None:
    """`person rqth-renewal`: the renewal as it now stands (warnings on stderr)."""
    for warning in result.warnings:
        ui.err(_("warning: {text}").format(text=warning))
    if as_json:
        ui.json_out({"person_id": result.person_id, **renewal_json(result.renewal),
                     "changed": {key: {"old": old, "new": new} for key, (old, new) in result.changes.items()}})
        return
    ui.out(_("person {id}: RQTH renewal {state}").format(id=result.person_id, state=renewal_text(result.renewal)))
