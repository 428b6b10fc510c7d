"""``NamedTuple``, written as ``typing.NamedTuple`` is (a class of annotated fields, with defaults
and methods), without importing typing: the morning `capcli due` reads such records (the kinds,
the settings, its lines) and typing alone costs 2.6 ms of its start (issue 19).

The class made is ``collections.namedtuple``'s, with the class body's methods, properties and
docstring set on it, as ``typing.NamedTuple`` does (tests/test_startup.py compares the two)."""

from __future__ import annotations

import collections

_PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
                         "_make", "_replace", "_asdict", "_source"})
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})


class _NamedTupleMeta(type):
    def __new__(mcs, typename, bases, ns):
        fields = ns.get("__annotations__", {})
        defaults: list[str] = []
        for name in fields:
            if name in ns:
                defaults.append(name)
            elif defaults:
                raise TypeError(f"Non-default namedtuple field {name} cannot follow default field"
                                f"{'s' if len(defaults) > 1 else ''} {', '.join(defaults)}")
        made = collections.namedtuple(typename, list(fields), defaults=[ns[name] for name in defaults],
                                      module=ns["__module__"])
        made.__annotations__ = made.__new__.__annotations__ = dict(fields)
        for key in ns:
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in made._fields:
                setattr(made, key, ns[key])
        return made


NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})
