"""Write the table that answers TAB completion without Typer (``capcli/completion_table.py``).

    python -m capcli.tools.completion update   # after changing a command's options or its codes
    python -m capcli.tools.completion check    # exit 1 if the committed table is stale

The table is read off Typer's own tree (every command of ``capcli.app.COMMANDS``, its
subcommands, options, arguments and the values their completers offer), so it says what Typer
would; tests/test_startup.py checks that it is up to date and that ``capcli.completion`` answers
as Typer does.
"""

from __future__ import annotations

import pprint
import sys
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "completion_table.py"
HEAD = '''"""TAB completion's table (bash), read off Typer's tree by ``python -m capcli.tools.completion update``:
do not edit. For each command path: its visible subcommands, its options (names, takes a value,
nargs, multiple, hidden, eager, values) and its arguments (nargs, values); values are the completions
offered, "file" (the shell completes a path), None (nothing) or "typer" (only Typer knows)."""

TABLE = '''


def _values(ctx, param):
    """What completing ``param`` offers: the list of its completer's values (filtered by what
    was typed), "file", None or "typer" (anything else: the completer is asked at each TAB)."""
    if param._custom_shell_complete is not None:
        return [item.value for item in param.shell_complete(ctx, "")]
    items = param.type.shell_complete(ctx, param, "")
    if not items and not param.type.shell_complete(ctx, param, "x"):
        return None
    if [(item.type, item.value) for item in items] in ([("file", "")], [("dir", "")]):
        return "file"
    return "typer"


def build() -> dict:
    """The table, from Typer's tree."""
    import typer
    from typer import _click as click

    from capcli import app as root

    table: dict = {}

    def walk(path: tuple[str, ...], command, parent) -> None:
        ctx = click.Context(command, info_name=path[-1] if path else "capcli", parent=parent)
        commands = []
        if isinstance(command, typer.core.TyperGroup):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    commands.append(name)
                    walk(path + (name,), sub, ctx)
        options, arguments = [], []
        for param in command.get_params(ctx):
            if isinstance(param, typer.core.TyperOption):
                options.append([[*param.opts, *param.secondary_opts], not (param.is_flag or param.count),
                                param.nargs, param.multiple, param.hidden, param.is_eager, _values(ctx, param)])
            else:
                arguments.append([param.nargs, _values(ctx, param)])
        table[" ".join(path)] = {"commands": commands, "options": options, "arguments": arguments}

    walk((), typer.main.get_command(root.app), None)
    return table


def text() -> str:
    return HEAD + pprint.pformat(build(), width=110, compact=True, sort_dicts=False) + "\n"


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        TABLE.write_text(text(), encoding="utf-8")
        return 0
    if argv == ["check"]:
        if TABLE.read_text(encoding="utf-8") != text():
            print(f"{TABLE} is stale: run python -m capcli.tools.completion update", file=sys.stderr)
            return 1
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
