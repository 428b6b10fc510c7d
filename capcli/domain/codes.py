"""Every code of the domain, in one place (SPEC §1–2).

Codes keep their French names: they are what advisers say and what scripts, CSV files
and ``--json`` output carry; they never change with the interface language.
"""

from __future__ import annotations

from dataclasses import dataclass

from capcli.errors import InvalidValue
from capcli.i18n import _


@dataclass(frozen=True)
class Kind:
    code: str
    phases: tuple[str, ...]
    outcomes: tuple[str, ...]

    @property
    def first_phase(self) -> str:
        return self.phases[0]


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(
            "acces-emploi",
            ("diagnostic", "projet", "recherche", "suivi-emploi"),
            ("emploi-durable", "emploi-transition", "creation-activite", "formation", "reorientation", "abandon"),
        ),
        Kind(
            "maintien",
            ("signalement", "diagnostic", "solutions", "mise-en-oeuvre"),
            ("maintien-poste", "maintien-entreprise", "echec", "sans-suite"),
        ),
        Kind(
            "maintien-en-emploi",
            ("diagnostic", "projet", "mise-en-oeuvre"),
            ("reconversion", "sans-solution", "abandon"),
        ),
        Kind("evolution-pro", ("diagnostic", "projet", "mise-en-oeuvre"), ("projet-realise", "projet-abandonne")),
        Kind("suivi-conventionnel", ("suivi",), ("consolide", "a-risque")),
        Kind("veille", ("veille",), ("stable", "re-signalement")),
        Kind(
            "emploi-accompagne",
            ("evaluation", "projet", "recherche", "accompagnement-emploi"),
            ("sortie-emploi", "sortie-autre"),
        ),
    )
}

# Titles of the obligation d'emploi (BOETH) that make a person eligible.
BOETH = ("rqth", "invalidite", "at-mp", "aah", "cmi", "autre", "en-cours")
REQUESTERS = ("personne", "employeur", "partenaire")
SECTORS = ("prive", "public")
DISABILITY_TYPES = (
    "moteur", "visuel", "auditif", "psychique", "mental", "cognitif", "maladie-invalidante", "pluri",
)
HEALTH_OPINIONS = ("apte", "apte-avec-restrictions", "inapte")
NEED_CATEGORIES = (
    "amenagement-poste", "aide-technique", "aide-humaine", "amenagement-organisationnel",
    "formation", "mobilite", "prestation-appui", "autre",
)
FUNDERS = ("agefiph", "fiphfp", "employeur", "cpam", "mdph", "region", "france-travail", "autre")
NEED_STATUSES = ("identifie", "demande", "accorde", "refuse", "mis-en-place")
CONTRACTS = ("cdi", "cdd", "interim")


def choice(value: str, valid: tuple[str, ...] | list[str], what: str) -> str:
    """Return ``value`` normalised if it is one of ``valid``; else refuse, listing them.

    Codes are read as advisers type them: in any case, with or without accents (``privé``,
    ``Maintien-Poste``, ``mise-en-œuvre``), spaces or underscores for hyphens (``aide technique``)."""
    code = value.strip().lower()
    if code in valid:
        return code
    code = _folded(code)
    if code in valid:
        return code
    close = suggestion(code, valid)
    if close is not None:
        raise InvalidValue(_("unknown {what} '{value}': did you mean '{close}'? (valid: {valid})").format(
            what=what, value=value, close=close, valid=", ".join(valid)))
    raise InvalidValue(
        _("unknown {what} '{value}' (valid: {valid})").format(what=what, value=value, valid=", ".join(valid))
    )


def suggestion(value: str, valid) -> str | None:
    """The code ``value`` was most likely meant to be (a typo, a letter missing), else None."""
    import difflib

    close = difflib.get_close_matches(value, list(valid), n=1, cutoff=0.75)
    return close[0] if close else None


def kind(value: str) -> Kind:
    return KINDS[choice(value, tuple(KINDS), _("kind"))]


def _folded(code: str) -> str:
    """``code`` without accents or ligatures, runs of spaces or underscores as one hyphen."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", code.replace("œ", "oe").replace("æ", "ae"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\s_]+", "-", text)
