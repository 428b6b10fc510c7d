"""The French interface: a complete catalogue, French screens, and codes/JSON that never change.

Help texts are translated when the command modules are imported, so ``--help`` in French is
checked in a subprocess; messages follow ``i18n.reset()`` and run in-process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from capcli import i18n
from capcli.render import ui
from capcli.tools import i18n as tool

FR_ENV = {"CAPCLI_LANG": "fr"}


@pytest.fixture
def cli(cli):
    """The shared ``cli``, with the language chosen afresh at every call, as in a new process."""
    call = cli.__class__.__call__

    class FreshLanguage(cli.__class__):
        def __call__(self, *args, **env):
            i18n.reset()
            try:
                return call(self, *args, **env)
            finally:
                i18n.reset()

    cli.__class__ = FreshLanguage
    return cli


def _env(**values: str) -> dict[str, str]:
    """The environment of a child capcli: no language variable but the ones given."""
    environ = {k: v for k, v in os.environ.items()
               if k not in ("CAPCLI_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    environ.update(values)
    return environ


# --- the catalogue ---------------------------------------------------------------------


def test_every_user_facing_string_is_translated_in_french():
    template = tool.extract()
    # The extraction sees messages, command docstrings, Typer's chrome and the weekdays.
    ids = {m.id for m in template}
    assert {"no case with id {id}: see 'capcli list'", "Open a case and print its id.",
            "Show this message and exit.", "Mon"} <= ids
    problems = tool.problems_po(tool.read_po("fr"), template)
    assert problems == [], (
        "strings missing or untranslated in capcli/locale/fr/LC_MESSAGES/capcli.po; run "
        "'python -m capcli.tools.i18n update', translate, then 'python -m capcli.tools.i18n compile':\n"
        + "\n".join(problems)
    )


def test_the_committed_mo_is_compiled_from_the_po():
    assert tool.stale_mo("fr") == [], "run 'python -m capcli.tools.i18n compile' and commit capcli.mo"


def test_a_fuzzy_or_missing_translation_is_reported():
    from babel.messages.catalog import Catalog

    template = Catalog()
    template.add("Case id.")
    template.add("brand new sentence")
    catalog = Catalog(locale="fr")
    catalog.add("Case id.", "Numéro de l'accompagnement.", flags=["fuzzy"])
    assert tool.problems_po(catalog, template) == ["fuzzy: 'Case id.'", "missing: 'brand new sentence'"]


def test_the_check_command_passes_on_the_committed_catalogue(capsys):
    assert tool.main(["check"]) == 0
    assert "complete" in capsys.readouterr().out


# --- choosing the language ---------------------------------------------------------------


@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"CAPCLI_LANG": "en", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
    ({"LC_MESSAGES": "fr_BE", "LANG": "en_US.UTF-8"}, "fr"),
    ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "fr_FR@euro"}, "fr"),
    ({}, "en"),
])
def test_language_follows_capcli_lang_then_the_locale_variables(environ, expected):
    assert i18n.language(environ) == expected


def test_lang_fr_selects_french_and_capcli_lang_en_overrides_it(cli):
    cli.new_store()
    french = cli("show", "999", CAPCLI_LANG="", LC_ALL="", LC_MESSAGES="", LANG="fr_FR.UTF-8")
    assert french.stderr == "capcli: aucun accompagnement n° 999 : voir « capcli list »\n"
    english = cli("show", "999", CAPCLI_LANG="en", LC_ALL="", LC_MESSAGES="", LANG="fr_FR.UTF-8")
    assert english.stderr == "capcli: no case with id 999: see 'capcli list'\n"


def test_a_language_without_catalogue_falls_back_to_english(monkeypatch):
    monkeypatch.setenv("CAPCLI_LANG", "de")
    assert i18n._("Case id.") == "Case id."
    assert i18n.current() == "en"
    assert ui.fmt_amount(125000) == "1,250.00 €"


# --- formats ---------------------------------------------------------------------------


def test_dates_and_amounts_in_english(monkeypatch):
    monkeypatch.setenv("CAPCLI_LANG", "en")
    assert ui.fmt_day(date(2026, 5, 11)) == "Mon 11/05/2026"
    assert ui.fmt_amount(125000) == "1,250.00 €"
    assert ui.fmt_amount(123456789) == "1,234,567.89 €"
    assert ui.fmt_date(date(2026, 5, 11)) == "11/05/2026"


def test_dates_and_amounts_in_french(monkeypatch):
    monkeypatch.setenv("CAPCLI_LANG", "fr")
    assert ui.fmt_day(date(2026, 5, 11)) == "lundi 11/05/2026"
    assert ui.fmt_day(date(2026, 5, 17)) == "dimanche 17/05/2026"
    assert ui.fmt_amount(125000) == "1\u202f250,00\u00a0€"
    assert ui.fmt_amount(5) == "0,05\u00a0€"
    assert ui.fmt_amount(None) == ""
    assert ui.fmt_date(date(2026, 5, 11)) == "11/05/2026"


@pytest.mark.parametrize("cents", [0, 5, 99900, 125000, 123456789, -125000])
def test_french_amounts_match_cldr(monkeypatch, cents):
    from babel.numbers import format_currency

    monkeypatch.setenv("CAPCLI_LANG", "fr")
    assert ui.fmt_amount(cents) == format_currency(cents / 100, "EUR", locale="fr_FR")


# --- the main screens in both languages --------------------------------------------------


def _caseload(cli) -> None:
    pid = cli.person("DUPONT", "Marie")
    cli.employer()
    m = cli.open("maintien", pid, "--employer", "1", "--on", "2026-05-04")
    cli.ok("advance", str(m), "--on", "2026-06-01")
    cli.ok("need", "add", "1", "--category", "amenagement-poste", "--description", "siège ergonomique",
           "--funder", "agefiph", "--amount", "1250", "--on", "2026-06-02")
    cli.ok("need", "set", "1", "--status", "accorde", "--on", "2026-06-02")
    cli.ok("close", str(m), "--outcome", "maintien-poste", "--on", "2026-08-03")  # opens suivi 2


def test_show_in_english(cli):
    _caseload(cli)
    text = cli.ok("show", "2").stdout
    assert "Case 2 · suivi-conventionnel · open" in text
    assert "Follow-up contacts" in text and "1/1  Tue 03/11/2026" in text and "to do" in text
    first = cli.ok("show", "1").stdout
    assert "closed: maintien-poste on 03/08/2026" in first
    assert "Compensation needs" in first and "1,250.00 €" in first
    assert "04/05/2026  opened" in first


def test_show_in_french(cli):
    _caseload(cli)
    text = cli.ok("show", "2", **FR_ENV).stdout
    assert "Accompagnement 2 · suivi-conventionnel · en cours" in text
    assert "Fait suite à    accompagnement 1" in text
    assert "Contacts de suivi" in text
    assert "1/1   mardi 03/11/2026" in text and "à faire" in text
    assert "n°  rang  échéance" in text
    first = cli.ok("show", "1", **FR_ENV).stdout
    assert "Accompagnement 1 · maintien · clos : maintien-poste le 03/08/2026" in first
    assert "Besoins de compensation" in first
    assert "amenagement-poste" in first and "agefiph" in first and "accorde" in first  # codes stay
    assert "1\u202f250,00\u00a0€" in first
    assert "Historique" in first and "04/05/2026  ouverture" in first


def test_the_history_is_shown_in_the_readers_language_whoever_wrote_it(cli):
    _caseload(cli)  # recorded in English: suivi 2 opened by rule 4, follows 1
    text = cli.ok("show", "2", **FR_ENV).stdout
    assert "suivi-conventionnel fait suite à 1" in text
    assert "règle 4" in text and "rule 4" not in text
    english = cli.ok("show", "2").stdout
    assert "suivi-conventionnel follows 1" in english and "rule 4: a successful maintien is consolidated" in english
    assert cli.show(2)["events"][0]["note"] == "rule 4: a successful maintien is consolidated"  # data: as stored


def test_the_morning_due_screen_in_both_languages(cli):
    _caseload(cli)  # the suivi's contact was due on Tuesday 03/11/2026: 19 days late on 22/11/2026
    english = cli.ok("due").stdout
    assert "Due for alice · Sun 22/11/2026" in english
    assert "Overdue (1)" in english
    assert "Tue 03/11/2026  19 days late  DUPONT Marie  Ateliers du Lez" in english
    assert "    contact 1 (1/1) · case 2 · suivi-conventionnel" in english
    french = cli.ok("due", **FR_ENV).stdout
    assert "À faire pour alice · dimanche 22/11/2026" in french
    assert "En retard (1)" in french
    assert "mardi 03/11/2026  19 jours de retard  DUPONT Marie  Ateliers du Lez" in french
    assert cli.ok("due", "--json").stdout == cli.ok("due", "--json", **FR_ENV).stdout


def test_the_report_says_counts_where_the_case_list_says_dates_in_french(cli):
    # "opened" is a date column of `list` (ouverture) and a count in the report (ouverts): the
    # report asks the catalogue with the context "count".
    _caseload(cli)
    report = cli.ok("report", "--year", "2026", **FR_ENV).stdout
    assert "type                 ouverts  clos  en cours à la fin" in report
    assert [line.split() for line in report.splitlines() if line.startswith("taux ")] == [
        ["taux", "type", "réussites", "clos", "valeur"]]
    assert "type                 à échéance  faits à temps  faits en retard  échus non faits  à venir" in report
    listing = cli.ok("list", **FR_ENV).stdout
    assert "ouverture" in listing  # (the list has no closing date column now: it fits 80 columns)
    assert "03/08/2026  clôture" in cli.ok("show", "1", **FR_ENV).stdout  # the history's "closed", not a count
    english = cli.ok("report", "--year", "2026").stdout
    assert "kind                 opened  closed  open at end" in english


def test_errors_in_both_languages(cli, store_path):
    from tests.conftest import dump

    _caseload(cli)
    before = dump(store_path)
    assert cli.refused("show", "999") == "capcli: no case with id 999: see 'capcli list'"
    assert cli.refused("show", "999", **FR_ENV) == "capcli: aucun accompagnement n° 999 : voir « capcli list »"
    assert cli.refused("close", "2", "--outcome", "zz", **FR_ENV) == (
        "capcli: issue de suivi-conventionnel : valeur inconnue « zz » (valeurs possibles : consolide, a-risque)")
    assert cli.refused("advance", "1", **FR_ENV) == (
        "capcli: l'accompagnement 1 (maintien) est clos (maintien-poste, 03/08/2026) : pour reprendre le "
        "parcours, ouvrez un nouvel accompagnement avec --follows 1")
    assert dump(store_path) == before


def test_json_and_codes_never_change_with_the_language(cli):
    _caseload(cli)
    for args in (("show", "1", "--json"), ("show", "2", "--json"), ("list", "--json"),
                 ("person", "show", "1", "--json")):
        english = cli.ok(*args).stdout
        french = cli.ok(*args, **FR_ENV).stdout
        assert english == french, args
    listing = cli.ok("list", **FR_ENV).stdout
    assert "suivi-conventionnel" in listing and "maintien-poste" in listing and "mise-en-oeuvre" not in listing


def _help(*args: str, **environ: str) -> str:
    run = subprocess.run([sys.executable, "-m", "capcli", *args], env=_env(**environ),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_help_in_french():
    text = _help("--help", LANG="fr_FR.UTF-8")
    assert text.startswith("Usage : capcli [OPTIONS] COMMAND [ARGS]...")
    assert "la boîte à outils en ligne de commande des conseillers et" in text
    assert "Afficher ce message et quitter." in text
    assert "Commandes" in text and "Ouvrir un accompagnement et afficher son numéro." in text
    show = _help("show", "--help", CAPCLI_LANG="fr")
    assert "Afficher un accompagnement : phase, contacts, besoins, diagnostic" in show
    assert "Numéro de l'accompagnement.  [obligatoire]" in show
    assert "Afficher en JSON (clés stables, voir le README)." in show


def test_help_in_english():
    text = _help("--help", CAPCLI_LANG="en", LANG="fr_FR.UTF-8")
    assert text.startswith("Usage: capcli [OPTIONS] COMMAND [ARGS]...")
    assert "Show this message and exit." in text and "Open a case and print its id." in text
    show = _help("show", "--help")
    assert "Case id.  [required]" in show and "Print JSON (stable keys, see the README)." in show


def test_french_needs_neither_babel_nor_the_tools_at_run_time():
    probe = ("import sys; sys.argv = ['capcli', 'show', '--help']\n"
             "from capcli.app import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('LOADED=' + ','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'"
             " or m.startswith('capcli.tools'))), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", probe], env=_env(CAPCLI_LANG="fr"), capture_output=True,
                         text=True, timeout=60)
    assert "Afficher un accompagnement" in run.stdout
    assert "LOADED=\n" in run.stderr


# --- sentences that would bypass the catalogue ---------------------------------------------

ERRORS = {"CapcliError", "NotFound", "InvalidValue", "RuleError", "StoreError", "UsageError", "Cancelled"}
SHOWN = {"out", "err", "select", "text", "confirm"}  # ui.out/err, prompts.select/text/confirm


def _words(node) -> bool:
    """A literal (or an f-string's literal parts) holding a word: something a person reads."""
    import ast
    import re

    parts = [node] if isinstance(node, ast.Constant) else (
        [v for v in node.values if isinstance(v, ast.Constant)] if isinstance(node, ast.JoinedStr) else [])
    return any(isinstance(p.value, str) and re.search(r"[A-Za-z]{3,}", p.value) for p in parts)


def _bypasses(tree) -> list[tuple[int, str]]:
    import ast

    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        first = node.args[0] if node.args else None
        if isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute) and first.func.attr == "format":
            first = first.func.value  # "...".format(...)
        if name in ("_", "N_", "ngettext") and node.args and not isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0], ast.JoinedStr):
            found.append((node.lineno, "an f-string inside _(): use _('... {name}').format(name=...)"))
        if name in ERRORS | SHOWN and first is not None and _words(first):
            found.append((node.lineno, f"{name}() shows a sentence without _()"))
        for keyword in node.keywords:
            if keyword.arg == "help" and _words(keyword.value):
                found.append((node.lineno, "help= without _()"))
    return found


def test_no_sentence_bypasses_the_catalogue():
    import ast

    problems = []
    for path in tool._sources():
        for lineno, what in _bypasses(ast.parse(path.read_text(encoding="utf-8"))):
            problems.append(f"{path.relative_to(tool.ROOT)}:{lineno}: {what}")
    assert problems == []


def test_the_bypass_detector_sees_raw_sentences():
    import ast

    source = (
        "raise RuleError('the case is closed')\n"
        "raise NotFound(f'no case {id}')\n"
        "ui.out('Nothing to do'.format())\n"
        "typer.Option(None, help='Only open cases.')\n"
        "_(f'case {id}')\n"
        "raise RuleError(_('fine'))\n"
        "ui.out(f'  {label}  {value}')\n"
    )
    assert [line for line, _what in _bypasses(ast.parse(source))] == [1, 2, 3, 4, 5]


def test_english_answers_as_gettext_does_without_a_catalogue():
    """English, the source language, is answered without importing gettext (`due`'s start-up):
    as gettext's own answer when no catalogue is found."""
    import gettext

    from capcli import i18n

    null, source = gettext.NullTranslations(), i18n._Source()
    for n in (0, 1, 2, -1):
        assert source.ngettext("{n} case", "{n} cases", n) == null.ngettext("{n} case", "{n} cases", n)
    assert source.gettext("Overdue") == null.gettext("Overdue")
    assert source.pgettext("list", "opened") == null.pgettext("list", "opened")


def test_each_catalogue_is_the_one_gettext_finds_for_its_language(monkeypatch):
    """i18n reads a catalogue named as the language asked without gettext's search (French
    start-up): for each one shipped, gettext finds that very file."""
    import gettext
    import os

    from capcli import i18n

    shipped = [name for name in os.listdir(i18n.LOCALE_DIR) if (i18n.LOCALE_DIR / name).is_dir()]
    assert shipped == ["fr"]
    for lang in shipped:
        catalogue = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "capcli.mo"
        assert gettext.find(i18n.DOMAIN, i18n.LOCALE_DIR, [lang]) == str(catalogue)
        monkeypatch.setenv("CAPCLI_LANG", lang)
        i18n.reset()
        try:
            assert i18n.current() == lang
            assert i18n._translation._catalog == gettext.translation(i18n.DOMAIN, i18n.LOCALE_DIR, [lang])._catalog
        finally:
            i18n.reset()
