"""What plugins register, kept by key with the plugin that gave it, and the checks a value
passes before it is kept; the problems found on the way, by plugin."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T")


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: its name, where it came from, and the hooks it implements."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


@dataclass(frozen=True)
class PluginProblem:
    """Something wrong with one plugin; the plugin (or that part of it) was left out."""

    plugin: str
    message: str

    def __str__(self) -> str:
        return f"plugin {self.plugin!r}: {self.message}"


@dataclass(frozen=True)
class Registered(Generic[T]):
    """A value a plugin registered, with the plugin that registered it."""

    value: T
    plugin: str


@dataclass
class Registry(Generic[T]):
    """The values registered through one hook, by key, in registration order."""

    entries: dict[str, Registered[T]] = field(default_factory=dict)

    def __getitem__(self, key: str) -> T:
        return self.entries[key].value

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __iter__(self) -> Iterator[T]:
        return (entry.value for entry in self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: str) -> T | None:
        entry = self.entries.get(key)
        return entry.value if entry else None

    def keys(self) -> list[str]:
        return list(self.entries)

    def as_dict(self) -> dict[str, T]:
        return {key: entry.value for key, entry in self.entries.items()}


class Refused(Exception):
    """A registered value a check refused; the message says why."""

    pass


def model_check(model: type[BaseModel]) -> Callable[[object], Any]:
    def check(value: object) -> BaseModel:
        if isinstance(value, model):
            return value
        try:
            return model.model_validate(value)
        except ValidationError as error:
            raise Refused(first_lines(str(error))) from None

    return check


def protocol_check(protocol: type) -> Callable[[object], Any]:
    def check(value: object) -> object:
        if not isinstance(value, protocol):
            missing = [m for m in members(protocol) if not hasattr(value, m)]
            raise Refused(
                f"{value!r} lacks {', '.join(missing)}"
                if missing
                else f"{value!r} does not have the shape of a {protocol.__name__}"
            )
        return value

    return check


def members(protocol: type) -> list[str]:
    methods = [
        n
        for n, v in vars(protocol).items()
        if (callable(v) or isinstance(v, property)) and not n.startswith("_")
    ]
    return sorted({*getattr(protocol, "__annotations__", {}), *methods})


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {first_lines(str(error))}"


def first_lines(text: str, limit: int = 6) -> str:
    lines = text.strip().splitlines()
    return "\n".join(lines[:limit]) + (" …" if len(lines) > limit else "")
