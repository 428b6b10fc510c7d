"""The aid catalogue (capcli/data/aids.toml, an agency's aids.toml over it) and its rules for a need:
the amount against the flat amount or the ceiling over its period, once per person or per period,
the funder, category and sector of the aid, and the documents the funder asks for.

Plain functions over parsed TOML (dicts) and plain rows: the files are read by
``capcli.services.aids``, the person's earlier needs by ``capcli.store.needs``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from capcli.domain import codes, needs
from capcli.domain.dates import add_months, shown
from capcli.errors import InvalidValue, RuleError
from capcli.i18n import _

_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The statuses of an earlier need that count against once-per-person, once-per-period and the
# ceiling: a need requested or granted (a refused one was not paid).
COUNTED_STATUSES = ("identifie", "demande", "accorde", "mis-en-place")


@dataclass(frozen=True)
class Aid:
    code: str
    name: str
    category: str
    funder: str | None = None  # None: the funder of the employer's sector
    sector: str | None = None  # None: both sectors
    disability_type: str | None = None
    flat_cents: int | None = None
    ceiling_cents: int | None = None
    period_months: int | None = None  # the ceiling (and once_per_period) count over so many months
    once_per_person: bool = False
    once_per_period: bool = False
    renewable_on: tuple[str, ...] = ()  # grounds for a new one within the period (need add --renewal)
    prescriber: str | None = None  # cap-emploi: prescribed by a Cap emploi adviser only
    documents: tuple[str, ...] = ()
    source: str = ""
    checked_on: date | None = None


_FIELDS = {
    "name": str, "category": str, "funder": str, "sector": str, "disability_type": str, "flat_cents": int,
    "ceiling_cents": int, "period_months": int, "once_per_person": bool, "once_per_period": bool,
    "renewable_on": list, "prescriber": str, "documents": list, "source": str, "checked_on": date,
}
PRESCRIBERS = ("cap-emploi",)


def catalogue(shipped: dict, override: dict | None = None, where: str = "aids.toml") -> dict[str, Aid]:
    """The aids of the shipped TOML, with an agency's TOML merged over it: an entry there replaces
    the fields it gives of the entry of the same code; a new code is a new aid. ``where`` names the
    override in the refusal of a bad entry."""
    entries = {code: dict(fields) for code, fields in (shipped.get("aids") or {}).items()}
    origin = {code: "capcli/data/aids.toml" for code in entries}
    if override is not None:
        aids = override.get("aids")
        unknown = [k for k in override if k != "aids"]
        if unknown or not isinstance(aids, dict):
            raise InvalidValue(_("{file}: the aids are tables [aids.CODE] (found: {found})").format(
                file=where, found=", ".join(unknown) or "-"))
        for code, fields in aids.items():
            if not isinstance(fields, dict):
                raise InvalidValue(_("{file}: aid '{code}' is not a table [aids.{code}]").format(file=where, code=code))
            entries[code] = {**entries.get(code, {}), **fields}
            origin[code] = where
    return {code: _aid(code, fields, origin[code]) for code, fields in entries.items()}


def _aid(code: str, fields: dict, where: str) -> Aid:
    def bad(problem: str) -> InvalidValue:
        return InvalidValue(_("{file}: aid '{code}': {problem}").format(file=where, code=code, problem=problem))

    if not _CODE.match(code):
        raise bad(_("a code is lowercase letters, digits and hyphens"))
    for key, value in fields.items():
        kind = _FIELDS.get(key)
        if kind is None:
            raise bad(_("unknown field '{field}' (valid: {valid})").format(field=key, valid=", ".join(_FIELDS)))
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise bad(_("'{field}' is not a {kind}").format(field=key, kind=kind.__name__))
        if kind is list and not all(isinstance(v, str) and _CODE.match(v) for v in value):
            raise bad(_("'{field}' is a list of codes (lowercase letters, digits, hyphens)").format(field=key))
        if kind is int and not 0 <= value <= needs.MAX_AMOUNT_CENTS:
            raise bad(_("'{field}' is out of bounds: {value}").format(field=key, value=value))
    for key in ("name", "category"):
        if not str(fields.get(key, "")).strip():
            raise bad(_("'{field}' is required").format(field=key))
    try:
        codes.choice(fields["category"], codes.NEED_CATEGORIES, _("need category"))
        for key, valid, what in (("funder", codes.FUNDERS, _("funder")), ("sector", codes.SECTORS, _("sector")),
                                 ("disability_type", codes.DISABILITY_TYPES, _("disability type")),
                                 ("prescriber", PRESCRIBERS, _("prescriber"))):
            if key in fields:
                fields = {**fields, key: codes.choice(fields[key], valid, what)}
    except InvalidValue as exc:
        raise bad(exc.message) from None
    if "flat_cents" in fields and "ceiling_cents" in fields:
        raise bad(_("a flat amount or a ceiling, not both"))
    if fields.get("once_per_period") and not fields.get("period_months"):
        raise bad(_("once_per_period needs period_months"))
    if fields.get("period_months") == 0:
        raise bad(_("'{field}' is out of bounds: {value}").format(field="period_months", value=0))
    return Aid(code=code, **{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})


def aid(catalogue_: dict[str, Aid], value: str) -> Aid:
    return catalogue_[codes.choice(value, tuple(catalogue_), _("aid"))]


def _euros(cents: int) -> str:
    from capcli.render.ui import fmt_amount  # (no rich: a plain formatter)

    return fmt_amount(cents)


def check_need(aid_: Aid, *, amount_cents: int | None, category: str | None, funder: str | None,
               sector: str | None, earlier: list[dict], on: date, renewal: str | None = None) -> dict:
    """A need for ``aid_`` added on ``on``: its category, funder and amount (cents), or refused with
    the rule. ``sector``: the case's employer's (None: no employer known); ``earlier``: the
    person's needs with this aid (any case: id, case_id, amount_cents, created_on, status);
    ``renewal``: a ground of ``aid_.renewable_on`` for a new one within the period."""
    if category is not None and category != aid_.category:
        raise RuleError(_("aid {aid} is a {category} need, not {given}: leave --category out").format(
            aid=aid_.code, category=aid_.category, given=category))
    if aid_.sector is not None and sector is not None and sector != aid_.sector:
        raise RuleError(_("aid {aid} is for {sector} employers; this case's employer is {given}").format(
            aid=aid_.code, sector=aid_.sector, given=sector))
    paid_by = aid_.funder or needs.suggested_funder(sector)
    if funder is not None and paid_by is not None and funder != paid_by:
        raise RuleError(_("aid {aid} is paid by {funder}, not {given}: leave --funder out").format(
            aid=aid_.code, funder=paid_by, given=funder))
    if aid_.flat_cents is not None:
        if amount_cents is not None and amount_cents != aid_.flat_cents:
            raise RuleError(_("aid {aid} is a flat {flat}, not {amount}: leave --amount out").format(
                aid=aid_.code, flat=_euros(aid_.flat_cents), amount=_euros(amount_cents)))
        amount_cents = aid_.flat_cents
    if renewal is not None and renewal not in aid_.renewable_on:
        if not aid_.renewable_on:
            raise RuleError(_("aid {aid} is not renewed before its time: --renewal does not apply").format(
                aid=aid_.code))
        raise RuleError(_("aid {aid} is renewed on {grounds}, not '{given}'").format(
            aid=aid_.code, grounds=", ".join(aid_.renewable_on), given=renewal))
    counted = [n for n in earlier if n["status"] in COUNTED_STATUSES]
    if aid_.once_per_person and counted:
        first = counted[0]
        raise RuleError(_("aid {aid} is granted once per person: need {id} (case {case}, {on}) already asks for it")
                        .format(aid=aid_.code, id=first["id"], case=first["case_id"], on=shown(first["created_on"])))
    if aid_.ceiling_cents is not None and (amount_cents or 0) > aid_.ceiling_cents:
        raise RuleError(_("aid {aid} pays at most {ceiling}: {amount} is over its ceiling").format(
            aid=aid_.code, ceiling=_euros(aid_.ceiling_cents), amount=_euros(amount_cents)))
    if aid_.period_months and renewal is None:
        since = add_months(on, -aid_.period_months)
        within = [n for n in counted if since < n["created_on"] <= on]
        hint = (" " + _("(on {grounds}: --renewal CODE)").format(grounds=", ".join(aid_.renewable_on))
                if aid_.renewable_on else "")
        if aid_.once_per_period and within:
            raise RuleError(_("aid {aid} is granted once in {months} months: need {id} of {on} already asks for "
                              "it{hint}").format(aid=aid_.code, months=aid_.period_months, id=within[0]["id"],
                                                 on=shown(within[0]["created_on"]), hint=hint))
        spent = sum(n["amount_cents"] or 0 for n in within)
        if aid_.ceiling_cents is not None and within and spent + (amount_cents or 0) > aid_.ceiling_cents:
            raise RuleError(_("aid {aid} pays at most {ceiling} in {months} months: {spent} already in need(s) "
                              "{ids} since {since}, {amount} more is over its ceiling{hint}").format(
                aid=aid_.code, ceiling=_euros(aid_.ceiling_cents), months=aid_.period_months,
                spent=_euros(spent), ids=", ".join(str(n["id"]) for n in within), since=shown(since),
                amount=_euros(amount_cents or 0), hint=hint))
    return {"category": aid_.category, "funder": paid_by or funder, "amount_cents": amount_cents}


def missing_documents(aid_: Aid | None, received: list[str]) -> list[str]:
    """The documents the funder asks for that were not received yet, in the catalogue's order."""
    if aid_ is None:
        return []
    return [d for d in aid_.documents if d not in received]


def document(aid_: Aid, value: str) -> str:
    """A document ``aid_`` asks for (refused when it asks for none, or not that one)."""
    if not aid_.documents:
        raise RuleError(_("aid {aid} asks for no document").format(aid=aid_.code))
    return codes.choice(value, aid_.documents, _("document"))
