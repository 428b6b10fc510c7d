"""What counts as a look at health data (GDPR art. 9), which the access log records (issue 17).

Health data is a case's diagnostic: the type of disability, the restrictions, the occupational-health
opinion and the diagnostic's texts. A read shows it when:

- `show` of a case, or the `diagnose` wizard opening on it, finds a current diagnostic that holds
  something (an anonymised one holds nothing: it shows nothing);
- `export cases --include-health` (the other reports have no health column);
- `person export`, always: the person's whole file, every diagnostic of every case included.

Every other read (`list`, `due`, `person show`, `report`...) shows none and is not logged.
"""

from __future__ import annotations

from capcli.domain.diagnostic import FIELDS

# The access log's actions, one per kind of look.
CASE_SHOWN = "case-shown"
PERSON_EXPORTED = "person-exported"
HEALTH_EXPORTED = "health-exported"
DIAGNOSTIC_OPENED = "diagnostic-opened"
ACTIONS = (CASE_SHOWN, PERSON_EXPORTED, HEALTH_EXPORTED, DIAGNOSTIC_OPENED)


def shows_health(diagnostic: dict | None) -> bool:
    """A case's current diagnostic (its ``diagnostic`` row or its fields; None: there is none) puts
    health data on the screen."""
    return diagnostic is not None and any(diagnostic[name] for name in FIELDS)


def export_shows_health(report: str, include_health: bool) -> bool:
    """An export hands health data out: the cases report with --include-health."""
    return include_health and report == "cases"
