"""The `capcli` script.

The adviser's morning `capcli due` runs many times a day and must answer at once: its plain
forms skip building the Typer app (importing typer alone costs more than the whole report
does). Everything else, `--help` and every usage error included, goes to ``capcli.cli``.
"""

from __future__ import annotations

import sys


def main() -> None:
    from capcli.commands import due

    status = due.fast(sys.argv[1:])
    if status is not None:
        sys.stdout.flush()
        sys.exit(status)
    from capcli.cli import main as typer_main

    typer_main()
