"""TAB completion in bash without building Typer's tree (issue 19: a TAB must answer at once).

``answer()`` reads the words as Click does (``COMP_WORDS``, ``COMP_CWORD``), follows them through
``completion_table.TABLE`` (written from Typer's tree by ``python -m capcli.tools.completion
update``; a test checks it is current and that the answers are Typer's) and returns what Click's
completion would print, or None for what the table does not settle (an unknown option, ``--``, a
completer the table cannot hold): then Typer answers.
"""

from __future__ import annotations

import os


def _words(line: str) -> list[str]:
    """``line`` split as Click's ``split_arg_string`` does (an unclosed quote kept as typed)."""
    import shlex

    lex = shlex.shlex(line, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        for token in lex:
            out.append(token)
    except ValueError:
        out.append(lex.token)
    return out


def _offered(values, incomplete: str) -> list[str] | None:
    if values == "typer":
        return None
    if values == "file":
        return [incomplete]
    return [v for v in values or () if v.startswith(incomplete)]


def complete(args: list[str], incomplete: str) -> list[str] | None:
    """What Click's completion offers after ``args`` for ``incomplete`` (None: ask Typer)."""
    from capcli.completion_table import TABLE

    path: list[str] = []
    node = TABLE[""]
    given: set[int] = set()
    positional = 0
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-"):
            name, equals, _value = arg.partition("=")
            index = next((k for k, o in enumerate(node["options"]) if name in o[0]), None)
            if index is None or (equals and not node["options"][index][1]) or node["options"][index][5]:
                return None  # "--", "-", a short or unknown option, an eager one (--version): Typer decides
            given.add(index)
            i += 1 + (node["options"][index][2] if node["options"][index][1] and not equals else 0)
        elif node["commands"]:
            if arg not in node["commands"]:
                return None
            path.append(arg)
            node, given, positional = TABLE[" ".join(path)], set(), 0
            i += 1
        else:
            positional += 1
            i += 1
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete and incomplete.startswith("-"):
        name, _equals, incomplete = incomplete.partition("=")
        args = [*args, name]
    if incomplete.startswith("-"):  # an option's name
        return [name for k, (names, _takes, _nargs, multiple, hidden, _eager, _values) in enumerate(node["options"])
                if not hidden and (multiple or k not in given) for name in names if name.startswith(incomplete)]
    for names, takes, nargs, _multiple, _hidden, _eager, values in node["options"]:  # an option's value
        if takes:
            last = next((a for a in reversed(args[len(args) - nargs:]) if a.startswith("-")), None)
            if last is not None and last in names:
                return _offered(values, incomplete)
    arguments = node["arguments"]
    if any(nargs not in (1, -1) for nargs, _values in arguments) or any(n == -1 for n, _v in arguments[:-1]):
        return None
    for k, (nargs, values) in enumerate(arguments):  # the first argument still without a value
        if nargs == -1 or k >= positional:
            return _offered(values, incomplete)
    if node["commands"]:
        return [name for name in node["commands"] if name.startswith(incomplete)]
    return []


def answer() -> str | None:
    """The text `_CAPCLI_COMPLETE=complete_bash` prints, or None: Typer answers."""
    if os.environ.get("_CAPCLI_COMPLETE") != "complete_bash":
        return None
    try:
        words = _words(os.environ["COMP_WORDS"])
        cword = int(os.environ["COMP_CWORD"])
    except (KeyError, ValueError):
        return None
    found = complete(words[1:cword], words[cword] if cword < len(words) else "")
    return None if found is None else "\n".join(found)
