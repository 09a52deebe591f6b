"""Registries: named plug-in points instead of if/elif chains.

Engines, connectors, validators, rule kinds and chart kinds register themselves by name. A lookup
of an unknown name fails with the list of names that exist, so a typo in a YAML file is
self-explaining.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from lingshu.core.errors import ConfigError

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str):
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        def decorator(item: T) -> T:
            self.add(name, item)
            return item

        return decorator

    def add(self, name: str, item: T) -> None:
        if name in self._items and self._items[name] is not item:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._items[name] = item

    def get(self, name: str) -> T:
        try:
            return self._items[name]
        except KeyError:
            raise ConfigError(f"unknown {self.kind} {name!r}", hint=f"use one of: {self._names()}") from None

    def known(self, name: str) -> str:
        """``name`` if registered, else a ValueError naming the choices (for pydantic validators,
        which report it with the file and line)."""
        if name not in self._items:
            raise ValueError(f"unknown {self.kind} {name!r}; use one of: {self._names()}")
        return name

    def _names(self) -> str:
        return ", ".join(sorted(self._items)) or "(none)"

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._items))

    def items(self) -> list[tuple[str, T]]:
        return sorted(self._items.items())
