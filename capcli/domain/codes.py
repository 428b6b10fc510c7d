"""Every code of the domain, in one place (SPEC §1–2).

Codes keep their French names: they are what advisers say and what scripts, CSV files
and ``--json`` output carry; they never change with the interface language.
"""

from __future__ import annotations

from capcli.errors import InvalidValue
from capcli.i18n import N_, _
from capcli.records import NamedTuple


class Contacts(NamedTuple):  # NamedTuples, not dataclasses: `due` reads the kinds and starts without them
    """A kind's follow-up contacts (rules 4, 5 and 7)."""

    after_opening: tuple[int, ...]  # the contacts a case starts with, due so many months after its opening
    most: int | None = None  # at most so many contacts (None: no limit)
    window_months: int | None = None  # every contact due within so many months of the opening
    min_done: int | None = None  # done before closing without --force (None: all of them)
    added: bool = True  # `contact add` adds one (else the contacts come from the rules and the renewal)
    renewal_months: int | None = None  # renewed once (`renew`): a contact so many months after the last one done


class Opens(NamedTuple):
    """A follow-on case that closing a case opens (rules 4, 6 and 7)."""

    kind: str
    outcomes: tuple[str, ...] = ()  # when closed with one of these outcomes...
    at_risk: bool = False  # ... or with --a-risque
    reason: str = ""  # why, in the new case's history (N_: translated when shown)
    unless_open: bool = False  # not when the person has another open case of that kind already


class Rate(NamedTuple):
    """A rate of the activity report: the kind's cases closed with one of ``outcomes``, over all
    those closed in the period. ``order``: its row in the report."""

    name: str
    outcomes: tuple[str, ...]
    order: int


class Kind(NamedTuple):
    """A kind of case and its policy, which the rules (``capcli.domain.rules``), the invariants of
    `check`, the report and the help read: adding a kind is one entry here (CONTRIBUTING.md)."""

    code: str
    phases: tuple[str, ...]
    outcomes: tuple[str, ...]
    follows: tuple[str, ...] = ()  # it is opened only after (``--follows``) a case of one of these kinds
    follows_hint: str = ""  # the refusal when it is not (N_)
    follows_open: tuple[str, ...] = ()  # the kinds it may follow while they are still open (rules 3 and 8)
    contacts: Contacts | None = None  # its follow-up contacts, if any
    closes_at_risk: bool = False  # closed with --a-risque (the job is at risk: rule 7)
    opens: tuple[Opens, ...] = ()  # the follow-on cases its closing opens: the first that applies
    reopens_on_risk: str | None = None  # a contact done at risk calls for a new case of that kind (rule 8)
    rate: Rate | None = None  # its success rate in the report
    employer_needs_consent: bool = False  # asked for by the employer, it needs the person's consent (rule 2)
    about_a_job: bool = False  # a case about the person's current job: `open` asks its employer on a terminal

    @property
    def first_phase(self) -> str:
        return self.phases[0]


_MAINTIEN_SUCCESS = ("maintien-poste", "maintien-entreprise")

KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(
            "acces-emploi",
            ("diagnostic", "projet", "recherche", "suivi-emploi"),
            ("emploi-durable", "emploi-transition", "creation-activite", "formation", "reorientation", "abandon"),
            rate=Rate("lasting-employment", ("emploi-durable",), 2),
        ),
        Kind(
            "maintien",
            ("signalement", "diagnostic", "solutions", "mise-en-oeuvre"),
            (*_MAINTIEN_SUCCESS, "echec", "sans-suite"),
            follows_open=("veille", "suivi-conventionnel"),  # rule 8: the job is at risk again
            opens=(
                Opens("suivi-conventionnel", _MAINTIEN_SUCCESS, reason=N_("rule 4: a successful maintien is consolidated")),
                Opens("maintien-en-emploi", ("echec",), reason=N_("rule 6: the job was lost, prepare a reconversion"),
                      unless_open=True),
            ),
            rate=Rate("maintien-success", _MAINTIEN_SUCCESS, 1),
            about_a_job=True,
        ),
        Kind(
            "maintien-en-emploi",
            ("diagnostic", "projet", "mise-en-oeuvre"),
            ("reconversion", "sans-solution", "abandon"),
            follows_open=("maintien",),  # rule 3: as early as possible
            closes_at_risk=True,
            opens=(Opens("veille", at_risk=True, reason=N_("rule 7: the job is at risk, keep watch for 18 months")),),
        ),
        Kind("evolution-pro", ("diagnostic", "projet", "mise-en-oeuvre"), ("projet-realise", "projet-abandonne"),
             employer_needs_consent=True),
        Kind(
            "suivi-conventionnel", ("suivi",), ("consolide", "a-risque"),
            follows=("maintien",),
            follows_hint=N_("a suivi-conventionnel consolidates a maintien: add --follows CASE (the maintien)"),
            contacts=Contacts((3,), most=2, added=False, renewal_months=3),  # rules 4 and 5
            opens=(Opens("veille", ("a-risque",), reason=N_("rule 7: the job is at risk, keep watch for 18 months")),),
            reopens_on_risk="maintien",
        ),
        Kind(
            "veille", ("veille",), ("stable", "re-signalement"),
            follows=("maintien-en-emploi", "suivi-conventionnel"),
            follows_hint=N_("a veille can only follow a maintien-en-emploi or a suivi-conventionnel: "
                            "add --follows CASE"),
            contacts=Contacts((6, 12, 18), most=4, window_months=18, min_done=3),  # rule 7
            reopens_on_risk="maintien",
        ),
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
# Who signalled the situation (`open --signalement-by`): the PDP cell (prévention de la désinsertion
# professionnelle, CPAM/SPST), the médecin du travail, the CPAM, France Travail, the employer, the
# person, the MDPH, another.
SIGNALEMENT_SOURCES = ("pdp", "medecin-travail", "cpam", "france-travail", "employeur", "personne", "mdph", "autre")
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
