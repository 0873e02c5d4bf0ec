"""Command groups built when they are asked for, as in click's "lazily loading subcommands".

Typer builds every group of an app, and imports its module, before running any command. The
`uccn` app instead names some groups by where their Typer app lives; a group is imported and
built (the way ``add_typer`` builds one) only when it is run or its help is shown, so
`uccn cities list` does not pay for `uccn calls`, `uccn announce` or an add-on's commands.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup
from typer.main import get_group_from_info
from typer.models import TyperInfo

if TYPE_CHECKING:
    from typer import _click as click  # the click Typer vendors and builds on

Loader = Callable[[], object]
"""Imports a module and returns the Typer app of a group."""
Lazy = tuple[str, str, Loader]
"""A group to load when needed: its name, who adds it (for warnings), and its loader."""


def from_module(path: str) -> Loader:
    """The loader of the Typer app at `path`, written as ``package.module:attribute``."""
    module, _, attribute = path.partition(":")

    def load() -> object:
        return getattr(import_module(module), attribute)

    return load


def lazy_group(groups: Callable[[], Iterable[Lazy]], order: Sequence[str] = ()) -> type[TyperGroup]:
    """A group class for ``typer.Typer(cls=...)`` whose subgroups also include `groups()`,
    each loaded on first use. A group whose name is taken already (by a command of the app
    or an earlier group), or that fails to load, is reported on standard error and left out,
    so an add-on can neither replace a command nor take the others down. Help lists the
    commands named in `order` first, in that order, then the others."""

    class LazyGroup(TyperGroup):
        def __init__(self, *, commands: Mapping[str, click.Command], **attrs: Any) -> None:
            super().__init__(**attrs)
            self.commands = _Commands(self, dict(commands), groups())

        def list_commands(self, ctx: click.Context) -> list[str]:
            # The names, without building every group.
            names = list(self.commands)
            return sorted(names, key=lambda n: order.index(n) if n in order else len(order))

    return LazyGroup


class _Commands(MutableMapping[str, "click.Command"]):
    """A group's commands by name: those built already, then those still to load."""

    def __init__(
        self, group: TyperGroup, built: dict[str, click.Command], lazy: Iterable[Lazy]
    ) -> None:
        self._group = group
        self._built = built
        self._loaders: dict[str, Loader] = {}
        for name, origin, load in lazy:
            if name in self:
                print(
                    f"warning: the `uccn {name}` of {origin} is left out: "
                    "uccn has a command of that name",
                    file=sys.stderr,
                )
                continue
            self._loaders[name] = load

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._built:
            load = self._loaders.pop(name)  # KeyError: no such command
            command = self._build(name, load)
            if command is None:
                raise KeyError(name)
            self._built[name] = command
        return self._built[name]

    def _build(self, name: str, load: Loader) -> click.Command | None:
        try:
            app = load()
            if not isinstance(app, typer.Typer):
                raise TypeError(f"it is a {type(app).__name__}, not a typer.Typer")
        except Exception as error:  # a broken add-on must not take the command down
            print(f"warning: `uccn {name}` is unavailable: {error}", file=sys.stderr)
            return None
        # As Typer's add_typer(app, name=name) does, in this group's help style.
        return get_group_from_info(
            TyperInfo(app, name=name),
            pretty_exceptions_short=True,
            suggest_commands=self._group.suggest_commands,
            rich_markup_mode=self._group.rich_markup_mode,
        )

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaders.pop(name, None)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        if name in self._built:
            del self._built[name]
        else:
            del self._loaders[name]

    def __iter__(self) -> Iterator[str]:
        yield from self._built
        yield from self._loaders

    def __len__(self) -> int:
        return len(self._built) + len(self._loaders)

    def __contains__(self, name: object) -> bool:
        return name in self._built or name in self._loaders
