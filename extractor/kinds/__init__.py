"""The registry of fact kinds: one module per kind, registered here in display order.

Everything that handles claims of every kind (the store's tables, views and keys, the
review app, the gold form, the cross-check, the CLI's counts) asks this registry, so
adding a kind is its module, its vocabulary, its tests and one import line below.
"""
from __future__ import annotations

from importlib import import_module

from .base import Kind, KindInput

_REGISTRY: dict[str, Kind] = {}


def register(cls: type[Kind]) -> type[Kind]:
    """Class decorator: one instance per kind, keyed by its table."""
    kind = cls()
    if not kind.table or kind.table in _REGISTRY:
        raise ValueError(f"kind {cls.__name__}: table {kind.table!r} is empty or registered twice")
    _REGISTRY[kind.table] = kind
    return cls


def all_kinds(*, checked: bool | None = None) -> tuple[Kind, ...]:
    return tuple(k for k in _REGISTRY.values() if checked is None or k.checked == checked)


def tables(*, checked: bool | None = None) -> tuple[str, ...]:
    return tuple(k.table for k in all_kinds(checked=checked))


def get(table: str) -> Kind:
    """The kind stored in ``table``; ValueError naming the known ones otherwise."""
    try:
        return _REGISTRY[table]
    except (KeyError, TypeError):
        raise ValueError(f"unknown kind of claim {table!r}; expected one of {', '.join(_REGISTRY)}") from None


def by_name(name: str) -> Kind:
    """The kind a person calls ``name`` ("flow", "ticker")."""
    for k in _REGISTRY.values():
        if k.name == name:
            return k
    raise ValueError(f"unknown kind {name!r}; expected one of {', '.join(k.name for k in _REGISTRY.values())}")


# The registry, in the order pages and tables show the kinds: one line per kind.
KIND_MODULES = (
    "mentions",
    "flows",
    "returns",
    "quotes",
    "sentiment",
    "levels",
    "targets",
)
for _module in KIND_MODULES:
    import_module(f"{__name__}.{_module}")

__all__ = ["Kind", "KindInput", "all_kinds", "by_name", "get", "register", "tables"]
