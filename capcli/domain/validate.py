"""Checks of single values that more than one command needs."""

from __future__ import annotations

import functools
import re

from capcli.errors import InvalidValue
from capcli.i18n import _


def siret(value: str) -> str:
    """The 14-digit SIRET, checked by python-stdnum; the error says why not.

    The check is a Luhn check digit, over the 14 digits and over the SIREN (the first 9): it
    catches any one wrong digit, and two neighbouring digits swapped unless they are 0 and 9
    (``73282932000090`` for ``…09`` passes); two wrong digits, or swapped digits further apart, may
    pass. La Poste's establishments (``356000000…``, but its head office) use none: their digits
    add up to a multiple of 5, which catches one wrong digit unless it is off by 5, and no swap.
    """
    from stdnum import exceptions
    from stdnum.fr import siret as stdnum_siret

    number = value or ""
    try:
        return stdnum_siret.validate(number)  # compacted first (spaces, dots)
    except exceptions.InvalidLength:
        reason = _("a SIRET has 14 digits, this one has {n}").format(n=len(stdnum_siret.compact(number)))
    except exceptions.InvalidFormat:
        reason = _("a SIRET has digits only")
    except exceptions.InvalidChecksum:
        digits = stdnum_siret.compact(number)
        if digits.startswith("356000000"):  # La Poste (stdnum's exception)
            reason = _("the digits of a La Poste SIRET (356 000 000 …) add up to a multiple of 5, these add up "
                       "to {sum}").format(sum=sum(map(int, digits)))
        else:
            reason = _("the check digit does not match (it catches one wrong digit, and two neighbouring "
                       "digits swapped unless they are 0 and 9)")
    except exceptions.ValidationError:
        reason = _("not a valid SIRET")
    raise InvalidValue(_("invalid SIRET '{value}': {reason}").format(value=value, reason=reason))


# What no stored text may hold: C0 controls, DEL, C1 controls (they drive terminals: ESC, BEL, CR,
# OSC...), the bidi overrides and isolates (they reorder what is shown), the byte order mark, and
# surrogates (U+DC80-U+DCFF: bytes that were not UTF-8 on the command line or in the environment,
# decoded by Python with surrogateescape; others: a lone "\ud800" of a JSON line). Multi-line free
# texts (notes, need descriptions, the diagnostic's texts) may keep tab and newline.
UNSAFE_CHARS = "\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"  # + \x00-\x0a


@functools.cache
def unsafe(multiline: bool = False) -> re.Pattern:
    """The search for what a text may not hold (``multiline``: tab and newline allowed), compiled
    once, on first use: every screen's escaping imports this module."""
    last = "\x08" if multiline else "\x0a"
    return re.compile(f"[\x00-{last}{UNSAFE_CHARS}]")


def text_problem(value: str, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be stored (a character that drives terminals, or bytes that are not
    UTF-8), or None. One compiled search: cheap enough for every cell of an import."""
    found = unsafe(multiline).search(value)
    if found is None:
        return None
    char = found.group()
    code = f"U+{ord(char):04X}"
    if "\udc80" <= char <= "\udcff":
        return _("not UTF-8 text (the byte 0x{byte:02X} is from another encoding, e.g. Latin-1): "
                 "give it in UTF-8").format(byte=ord(char) - 0xDC00)
    if "\ud800" <= char <= "\udfff":
        return _("not valid text (a lone surrogate {code}, half of a character)").format(code=code)
    if char == "\ufeff" or char >= "\u202a":
        return _("invisible formatting character {code} is not allowed").format(code=code)
    return _("control character {code} is not allowed").format(code=code)


def text(value: str | None, what: str, multiline: bool = False) -> str | None:
    """``value`` unchanged, refused (naming ``what``, translated here) when it holds a character
    ``text_problem`` refuses. Every text a command stores goes through here."""
    if value:
        problem = text_problem(value, multiline)
        if problem is not None:
            raise InvalidValue(_("{what}: {reason}").format(what=_(what), reason=problem))
    return value


def required_text(value: str | None, what: str) -> str:
    """The stripped text, refused when empty. ``what`` names the field; it is translated only
    when the error is raised (pass ``N_("...")``: imports call this for every row)."""
    text = (value or "").strip()
    if not text:
        raise InvalidValue(_("{what} cannot be empty").format(what=_(what)))
    return text


def positive_id(value: str | int, what: str) -> int:
    try:
        number = int(str(value).strip().lstrip("#"))
    except ValueError:
        raise InvalidValue(_("invalid {what} '{value}': ids are whole numbers").format(what=what, value=value)) from None
    if not 0 < number < 1 << 63:  # what the store can hold
        raise InvalidValue(_("invalid {what} '{value}': ids are whole numbers").format(what=what, value=value))
    return number


def whole_number(value: str | None, what: str, maximum: int | None = None) -> int | None:
    """A count given on the command line (``--days 7``, ``--months 12``): a whole number, 0 or more.

    Read here rather than by Click so that a bad value is refused like any other (exit 1)."""
    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) < 10):
        raise InvalidValue(
            _("invalid {what} '{value}': write a whole number (0, 1, 2…)").format(what=what, value=value)
        )
    if maximum is not None and int(text) > maximum:
        raise InvalidValue(_("invalid {what} '{value}': {maximum} at most").format(
            what=what, value=value, maximum=maximum))
    return int(text)


def external_id(value: str | None) -> str | None:
    """An external id (the other systems' identifier), or None; ``capcli-`` is reserved for
    ``capcli-<id>``, how exports name a record that has none (``records.REF_PREFIX``)."""
    from capcli.domain.records import REF_PREFIX  # (not at the top: the screens' escaping imports this module)

    text = (value or "").strip()
    if not text:
        return None
    if text.lower().startswith(REF_PREFIX):
        raise InvalidValue(
            _("invalid external id '{value}': ids starting with 'capcli-' are capcli's own").format(value=text)
        )
    return text
