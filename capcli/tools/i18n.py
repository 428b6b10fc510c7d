"""Maintain the message catalogues: extract, merge, compile, check.

    python -m capcli.tools.i18n update    # extract every string into capcli/locale/capcli.pot,
                                          # merge new ones into fr.po (keeping the translations),
                                          # then compile fr.mo
    python -m capcli.tools.i18n compile   # fr.po -> fr.mo (after translating)
    python -m capcli.tools.i18n check     # exit 1 if a string is missing, fuzzy or empty in fr.po,
                                          # or if the committed fr.mo is stale

Needs Babel (the ``test`` extra: ``pip install -e '.[test]'``); capcli itself never imports this
module, and the compiled ``.mo`` files are committed so that ``pip install .`` needs no tool.

What is extracted: every literal passed to ``_()``, ``N_()``, ``ngettext()`` or ``pgettext()`` (with its
context) in ``capcli/``
(except this ``tools`` package), and the docstring of every command function wrapped with
``guard`` (Typer shows it as the command's help; ``guard`` translates it).
"""

from __future__ import annotations

import ast
import inspect
import io
import sys
from datetime import datetime, timezone
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
ROOT = PACKAGE.parent
LOCALE = PACKAGE / "locale"
DOMAIN = "capcli"
POT = LOCALE / f"{DOMAIN}.pot"
LANGUAGES = ("fr",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# A fixed date keeps the generated files stable from one run to the next (no noise in diffs).
STABLE_DATE = datetime(2026, 11, 23, tzinfo=timezone.utc)


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "tools" not in p.relative_to(PACKAGE).parts[:1])


def _guarded_docstrings(tree: ast.AST) -> list[tuple[int, str]]:
    """Docstrings of the functions passed to ``guard(...)`` or decorated with ``@guard``."""
    guarded: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "guard"
                and node.args and isinstance(node.args[0], ast.Name)):
            guarded.add(node.args[0].id)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in node.decorator_list:
                if isinstance(deco, ast.Name) and deco.id == "guard":
                    guarded.add(node.name)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in guarded:
            doc = ast.get_docstring(node, clean=False)
            if doc:
                found.append((node.lineno, inspect.cleandoc(doc)))
    return found


def extract():
    """A Babel catalogue template holding every user-facing string of capcli."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract

    template = Catalog(project="capcli", domain=DOMAIN, creation_date=STABLE_DATE,
                       msgid_bugs_address="", copyright_holder="", fuzzy=False)
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        source = path.read_bytes()
        for lineno, message, comments, context in extract(
            "python", io.BytesIO(source), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            options={"encoding": "utf-8"}, strip_comment_tags=True,
        ):
            template.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)
        if rel.startswith("capcli/commands/"):
            for lineno, doc in _guarded_docstrings(ast.parse(source)):
                template.add(doc, None, [(rel, lineno)], auto_comments=["command help (docstring)"])
    return template


def _stable_header(catalog, comment: str) -> None:
    """Headers that do not change from one run to the next (no noise in diffs)."""
    catalog.header_comment = "# " + comment
    catalog.project = "capcli"
    catalog.version = ""
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "capcli maintainers"
    catalog.language_team = "capcli maintainers"
    catalog.creation_date = STABLE_DATE
    catalog.revision_date = STABLE_DATE


def _write_po(path: Path, catalog) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, include_lineno=False, ignore_obsolete=True, sort_output=False)
    path.write_bytes(buf.getvalue())


def read_po(lang: str):
    from babel.messages.pofile import read_po as babel_read_po

    with po_path(lang).open("rb") as fh:
        return babel_read_po(fh, locale=lang, domain=DOMAIN)


def update() -> None:
    """Extract into the .pot, merge into every .po (translations kept), compile."""
    from babel.messages.catalog import Catalog

    template = extract()
    _stable_header(template, "Strings of capcli to translate (python -m capcli.tools.i18n update).")
    _write_po(POT, template)
    for lang in LANGUAGES:
        if po_path(lang).exists():
            catalog = read_po(lang)
        else:
            catalog = Catalog(locale=lang, domain=DOMAIN, project="capcli", creation_date=STABLE_DATE,
                              msgid_bugs_address="", copyright_holder="", fuzzy=False)
        # No fuzzy matching: a new sentence arrives empty rather than with a look-alike guess.
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        _stable_header(catalog, f"{lang} translations of capcli (update: python -m capcli.tools.i18n update).")
        _write_po(po_path(lang), catalog)
        print(f"{po_path(lang).relative_to(ROOT)}: {len(problems_po(catalog, template))} string(s) to translate")
    compile_all()


def compile_all() -> None:
    from babel.messages.mofile import write_mo

    for lang in LANGUAGES:
        catalog = read_po(lang)
        with mo_path(lang).open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        print(f"{mo_path(lang).relative_to(ROOT)} compiled")


def problems_po(catalog, template) -> list[str]:
    """Strings of ``template`` missing, fuzzy or untranslated in ``catalog``."""
    problems = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        if entry is None:
            problems.append(f"missing: {message.id!r}" + (f" (context {message.context!r})" if message.context else ""))
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            problems.append(f"untranslated: {message.id!r}")
    return problems


def stale_mo(lang: str) -> list[str]:
    """Differences between the committed .mo and what its .po compiles to."""
    import gettext

    catalog = read_po(lang)
    wanted = {}
    for message in catalog:
        if not message.id or message.fuzzy or not message.string:
            continue
        prefix = f"{message.context}\x04" if message.context else ""  # how gettext keys a context
        if isinstance(message.id, tuple):
            for i, form in enumerate(message.string):  # Babel compiles an empty form as English
                wanted[(prefix + message.id[0], i)] = form or message.id[min(i, 1)]
        else:
            wanted[prefix + message.id] = message.string
    if not mo_path(lang).exists():
        return [f"{mo_path(lang).relative_to(ROOT)} is missing"]
    with mo_path(lang).open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # noqa: SLF001 - the parsed table
    compiled = {k: v for k, v in compiled.items() if k != ""}
    diffs = [f"not compiled: {k!r}" for k in wanted if compiled.get(k) != wanted[k]]
    diffs += [f"compiled but not in the .po: {k!r}" for k in compiled if k not in wanted]
    return diffs


def check() -> int:
    template = extract()
    status = 0
    for lang in LANGUAGES:
        problems = problems_po(read_po(lang), template) + stale_mo(lang)
        for problem in problems:
            print(f"{lang}: {problem}")
        if problems:
            status = 1
    if status:
        print("run: python -m capcli.tools.i18n update, translate, then python -m capcli.tools.i18n compile")
    else:
        print("catalogues complete and compiled")
    return status


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["update"]:
        update()
        return 0
    if args == ["compile"]:
        compile_all()
        return 0
    if args == ["check"]:
        return check()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
