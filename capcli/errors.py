"""Expected errors and the exit statuses they map to (httpie-style named exit codes).

Every error a user can cause is a ``CapcliError``: the command layer prints its message
as one line on stderr and exits with its status; nothing else reaches a traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    REFUSED = 1  # a rule, an unknown id, a bad value: nothing was written
    USAGE = 2  # the command line itself is wrong (missing option, unknown flag)


class CapcliError(Exception):
    """An expected failure with a one-line message for the user."""

    exit_status = ExitStatus.REFUSED

    def __init__(self, message: str):
        super().__init__(message)
        self.message = " ".join(message.split())  # always one line


class NotFound(CapcliError):
    """An id that names nothing in the store."""


class InvalidValue(CapcliError):
    """A value that cannot be parsed or is not among the valid codes."""


class RuleError(CapcliError):
    """A domain rule (SPEC §2) refuses the change."""


class StoreError(CapcliError):
    """The store cannot be opened or written."""


class UsageError(CapcliError):
    """A required option is missing and there is no terminal to ask on."""

    exit_status = ExitStatus.USAGE


class Cancelled(CapcliError):
    """The user cancelled an interactive prompt: nothing was written."""
