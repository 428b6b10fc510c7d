"""capcli demo: a small sample caseload to try capcli on."""

from __future__ import annotations

from capcli.commands._common import command_app, env, guard
from capcli.render import store as screen
from capcli.render.options import AsJson
from capcli.services import demo as service

app = command_app()


@app.command("demo")
@guard
def demo(as_json: AsJson = False) -> None:
    """Build a demo store (a dozen people across every kind) and show its cases and follow-ups.

    The demo store lives beside the real one (or at --db) and is rebuilt each time; it never
    replaces a store that is not a demo store.
    """
    e = env()
    screen.demo(service.run(e), colour=e.colour, as_json=as_json)
