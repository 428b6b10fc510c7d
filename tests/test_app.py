"""The command registry (capcli/app.py): a command is the module named after it, only the module of
the command that runs is imported, and a mistyped command name says which one was meant."""

from __future__ import annotations

import importlib
import subprocess
import sys

from capcli.app import COMMANDS, load_command, module_name


def test_every_command_is_the_module_named_after_it():
    for name in COMMANDS:
        module = importlib.import_module(module_name(name))
        assert load_command(name).name == name, name
        assert hasattr(module, "app"), name
    assert module_name("import") == "capcli.commands.import_"  # a Python keyword gets a trailing _


def _loaded_commands(*argv: str) -> set[str]:
    """The command modules a fresh process has imported after running ``capcli *argv``."""
    probe = ("import sys\nsys.argv = ['capcli', *sys.argv[1:]]\nfrom capcli.app import main\ntry:\n    main()\n"
             "except SystemExit:\n    pass\nprint(sorted(m for m in sys.modules if m.startswith('capcli.commands.')))")
    run = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=60)
    return set(eval(run.stdout.strip().splitlines()[-1]))


def test_only_the_running_command_is_imported():
    assert _loaded_commands("--version") == set()
    assert _loaded_commands("close", "--help") == {"capcli.commands._common", "capcli.commands.close"}
    assert _loaded_commands("--help") == {module_name(name) for name in COMMANDS} | {"capcli.commands._common"}


def test_a_mistyped_command_says_which_was_meant(cli):
    run = cli("clos", "1")
    assert run.exit_code == 2
    assert "No such command 'clos'. Did you mean 'close'?" in run.stderr


def test_version_answers_without_typer():
    """`capcli --version` (issue 19: start-up): the script's answer is Typer's, without importing Typer."""
    from capcli import __version__

    probe = ("import sys\nsys.argv = ['capcli', '--version']\nfrom capcli.entry import main\ntry:\n    main()\n"
             "except SystemExit as exc:\n    print(exc.code, 'typer' in sys.modules, file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert (run.stdout, run.stderr) == (f"capcli {__version__}\n", "0 False\n")
    typer_probe = "import sys\nsys.argv = ['capcli', '--version']\nfrom capcli.app import main\nmain()"
    assert subprocess.run([sys.executable, "-c", typer_probe], capture_output=True, text=True,
                          timeout=60).stdout == run.stdout
