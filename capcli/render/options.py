"""The output options, declared once for every command (in the spirit of sqlite-utils'
``output_options``): ``as_json: AsJson = False`` gives a command `--json` with the same help."""

from __future__ import annotations

from typing import Annotated

import typer

from capcli.i18n import _

JSON_HELP = _("Print JSON (stable keys, see the README).")
CSV_HELP = _("Print CSV (the columns of --json).")

AsJson = Annotated[bool, typer.Option("--json", help=JSON_HELP)]
AsCsv = Annotated[bool, typer.Option("--csv", help=CSV_HELP)]
