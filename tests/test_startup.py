"""`--help` and shell completion must not import SQLModel/SQLAlchemy (~0.3 s on every TAB)."""

import os
import subprocess
import sys

HEAVY = ("sqlmodel", "sqlalchemy", "questionary", "pydantic")

PROBE = """
import sys
sys.argv = {argv!r}
from capcli.app import main
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})
print('HEAVY=' + ','.join(heavy), file=sys.stderr)
"""


def _loaded(argv, **env):
    code = PROBE.format(argv=argv, heavy=HEAVY)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "CAPCLI_DB": "/nonexistent/never-created.sqlite", **env}, timeout=60)
    line = [l for l in run.stderr.splitlines() if l.startswith("HEAVY=")][-1]
    return run, line[len("HEAVY="):]


def test_help_does_not_import_heavy_modules():
    for argv in (["capcli", "--help"], ["capcli", "open", "--help"], ["capcli", "person", "add", "--help"]):
        run, heavy = _loaded(argv)
        assert "Usage" in run.stdout
        assert heavy == "", f"{argv} imported {heavy}"


def test_completion_does_not_import_heavy_modules():
    run, heavy = _loaded(["capcli"], _CAPCLI_COMPLETE="complete_bash", COMP_WORDS="capcli ad", COMP_CWORD="1")
    assert "advance" in run.stdout
    assert heavy == ""


# --- TAB in bash without Typer (issue 19): a table read off Typer's tree, answering as Typer ---


def test_the_completion_table_is_read_off_typers_tree():
    from capcli.tools import completion as tool

    assert tool.TABLE.read_text(encoding="utf-8") == tool.text(), "run python -m capcli.tools.completion update"


def _typer_completes(args, incomplete):
    import typer
    from typer._completion_classes import BashComplete

    from capcli import app as root

    comp = BashComplete(typer.main.get_command(root.app), {}, "capcli", "_CAPCLI_COMPLETE")
    return [item.value for item in comp.get_completions(list(args), incomplete)]


def _completion_cases():
    """Every command path with prefixes of names and codes, each option's values (with `=`, after
    an argument, after its value), arguments given or not, root options before the command."""
    from capcli.completion_table import TABLE

    for path, node in TABLE.items():
        words = path.split()
        for typed in ("", "-", "--", "--h", "a", "m", "x", "e", "su", "_"):
            yield words, typed
        for names, takes, *_rest in node["options"]:
            yield words, names[0][:4]
            if takes:
                for typed in ("", "a", "e", "m", "s"):
                    yield words + [names[0]], typed
                    yield words + ["1", names[0]], typed
                yield words + [names[0], "x"], ""
                yield words + [names[0], "x"], "--"
                yield words, names[0] + "="
                yield words, names[0] + "=m"
            else:
                yield words + [names[0]], ""
                yield words + [names[0]], "--"
        for given in range(3):
            yield words + ["1"] * given, ""
            yield words + ["1"] * given, "m"
            yield ["--db", "x.sqlite"] + words + ["1"] * given, "m"


def test_tab_answers_as_typer_does_and_leaves_to_typer_what_the_table_cannot_settle():
    from capcli import completion

    answered = 0
    for args, typed in _completion_cases():
        fast = completion.complete(list(args), typed)
        if fast is not None:
            assert fast == _typer_completes(args, typed), (args, typed)
            answered += 1
    assert answered > 2000
    assert completion.complete(["--version"], "") is None  # an eager option: Typer prints the version
    assert completion.complete(["close", "--", "x"], "") is None
    assert completion.complete(["close", "-z"], "") is None


def test_tab_in_bash_loads_neither_typer_nor_a_command():
    code = ("import sys; sys.argv = ['capcli']\nfrom capcli.entry import main\ntry:\n    main()\n"
            "except SystemExit:\n    pass\nprint('LOADED=' + ','.join(sorted(m for m in sys.modules "
            "if m.split('.')[0] == 'typer' or m.startswith('capcli.commands'))), file=sys.stderr)")
    env = {**os.environ, "_CAPCLI_COMPLETE": "complete_bash", "COMP_WORDS": "capcli close 1 --outcome e",
           "COMP_CWORD": "4", "CAPCLI_DB": "/nonexistent/never-created.sqlite"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert run.stdout.split() == ["echec", "emploi-durable", "emploi-transition"]
    assert run.stderr.splitlines()[-1] == "LOADED="


def test_records_are_typing_named_tuples_without_typing():
    """capcli.records.NamedTuple (the records `due` reads, without importing typing) makes the
    class typing.NamedTuple makes: fields, defaults, methods, docstring, equality, refusals."""
    import pickle
    import typing

    import pytest

    from capcli import records
    from capcli.domain import codes

    def made(base):
        class Policy(base):
            """A policy."""

            code: str
            phases: tuple = ()
            most: int | None = None

            @property
            def first(self) -> str:
                return self.phases[0]

            @classmethod
            def keys(cls) -> tuple:
                return cls._fields

        return Policy

    ours, theirs = made(records.NamedTuple), made(typing.NamedTuple)
    for cls in (ours, theirs):
        one = cls("veille", ("veille",))
        assert (one, one.first, one.most, cls.keys(), cls._field_defaults, cls.__doc__, cls.__mro__[1:]) == (
            ("veille", ("veille",), None), "veille", None, ("code", "phases", "most"),
            {"phases": (), "most": None}, "A policy.", (tuple, object))
        assert repr(one) == "Policy(code='veille', phases=('veille',), most=None)"
        assert one._replace(most=2)._asdict() == {"code": "veille", "phases": ("veille",), "most": 2}
        assert hash(one) == hash(cls("veille", ("veille",)))
    assert list(ours.__annotations__) == list(theirs.__annotations__)
    assert pickle.loads(pickle.dumps(codes.KINDS["veille"])) == codes.KINDS["veille"]
    for base in (records.NamedTuple, typing.NamedTuple):
        with pytest.raises(TypeError, match="Non-default namedtuple field b cannot follow default field a"):
            class Late(base):
                a: int = 1
                b: int
        with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute _asdict"):
            class Overwritten(base):
                a: int

                def _asdict(self):
                    return {}
