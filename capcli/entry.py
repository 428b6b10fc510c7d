"""The `capcli` script.

The adviser's morning `capcli due` runs many times a day and must answer at once: its plain
forms skip building the Typer app (importing typer alone costs more than the whole report
does), and so do a bare `capcli --version` and a TAB in bash (``capcli.completion``). Everything else, `--help` and every usage error
included, goes to ``capcli.app``.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:  # what the root's --version callback prints, without Typer
        from capcli import __version__

        try:
            sys.stdout.write(f"capcli {__version__}\n")
            sys.stdout.flush()
        except (OSError, ValueError) as exc:  # a reader gone is no error; a full disk, one line
            from capcli.render import ui

            ui.reader_gone()
            sys.exit(0 if isinstance(exc, BrokenPipeError) else ui.fail(exc) or 1)
        sys.exit(0)
    if "_CAPCLI_COMPLETE" in os.environ:  # a TAB in bash: answered from a table, without Typer
        from capcli.completion import answer

        found = answer()
        if found is not None:
            sys.stdout.write(found + "\n")
            sys.exit(0)
    from capcli.render import ui

    status = None
    if "due" in sys.argv[1:]:  # only then the due command's modules (its store, its screens) are loaded
        from capcli.commands import due

        status = due.fast(sys.argv[1:])
    if status is None:
        from capcli.app import main as typer_main

        try:
            typer_main()
            status = 0
        except SystemExit as exc:
            status = exc.code
            if status == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
                status = 0  # Click's way with a reader gone outside a command (`capcli --help | head -1`)
    ui.exit_flushed(status)  # the reader may be gone by the last write too
