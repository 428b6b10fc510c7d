"""The aid catalogue as this agency has it: the shipped capcli/data/aids.toml, with the agency's
aids.toml merged over it (beside the store, or the file CAPCLI_AIDS names). Read only by the need
commands (tomllib and the files are not touched by any other command)."""

from __future__ import annotations

from pathlib import Path

from capcli.domain import aids
from capcli.env import Env
from capcli.errors import InvalidValue
from capcli.i18n import _

OVERRIDE = "aids.toml"


def override_path(env: Env) -> tuple[Path, bool]:
    """The agency's file, and whether it was named (CAPCLI_AIDS: it must exist) or looked for."""
    named = env.environ.get("CAPCLI_AIDS", "").strip()
    if named:
        return Path(named).expanduser(), True
    if isinstance(env.db_path, str):  # a team store (an address): the data directory, as for the default store
        from capcli.store.engine import default_path

        return default_path().parent / OVERRIDE, False
    return env.db_path.parent / OVERRIDE, False


def _toml(text: str, where: str) -> dict:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidValue(_("{file}: not a valid TOML file ({reason})").format(file=where, reason=exc)) from None


def catalogue(env: Env) -> dict[str, aids.Aid]:
    from importlib.resources import files

    shipped = _toml((files("capcli") / "data" / "aids.toml").read_text(encoding="utf-8"), "capcli/data/aids.toml")
    path, named = override_path(env)
    override = None
    if named or path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidValue(_("{file}: cannot be read ({reason})").format(file=path, reason=exc.strerror)) from None
        except UnicodeDecodeError:
            raise InvalidValue(_("{file}: not UTF-8 text").format(file=path)) from None
        override = _toml(text, str(path))
    return aids.catalogue(shipped, override, str(path))
