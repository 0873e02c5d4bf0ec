"""Loading plugins and asking them for what they provide.

Plugins come from the ``uccn`` entry-point group, the core's own built-ins included, so
first-party and third-party plugins load the same way; the core's load first. A plugin that
fails to import, implements an unknown hook, raises, or registers something malformed is
reported by name and left out; the others go on.

Every hook is called through pluggy, so its order is pluggy's: ``tryfirst`` implementations
first, then the others, the last registered first, then ``trylast`` ones; ``wrapper=True``
implementations wrap the call. When two plugins register the same name (a field, an exporter),
the registration kept is the one with ``tryfirst`` over one without, and one without over a
``trylast`` one; between equals, the plugin loaded first keeps it, so the core's built-ins win a
plain clash.
"""

from __future__ import annotations

import asyncio
import difflib
import inspect
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextvars import ContextVar
from importlib.metadata import EntryPoint
from typing import Any, TypeVar

import pluggy

from uccn_sdk import hookspecs, messages
from uccn_sdk.contracts import (
    ChatCommand,
    CitySource,
    ConnectorFactory,
    Exporter,
    MatchScorer,
    MessageTemplate,
    ReplyParser,
)
from uccn_sdk.entrypoints import entry_points
from uccn_sdk.models import CreativeField
from uccn_sdk.registry import (
    PluginInfo,
    PluginProblem,
    Refused,
    Registered,
    Registry,
    describe,
    model_check,
    protocol_check,
)

ENTRY_POINT_GROUP = "uccn"
HOOK_PREFIX = "uccn_"
ALLOW_ENV = "UCCN_PLUGINS_ALLOW"
BLOCK_ENV = "UCCN_PLUGINS_BLOCK"
TRACE_ENV = "UCCN_TRACE_PLUGINS"
"""Set to 1 to log every hook call: the plugin, the hook, how long it took."""

log = logging.getLogger("uccn.plugins")
trace = logging.getLogger("uccn.plugins.trace")

_calling: ContextVar[str] = ContextVar("uccn_plugin_calling")
"""The plugin whose hook implementation is running: whose registrations these are."""

T = TypeVar("T")

RUNTIME_HOOKS = frozenset({"uccn_handle_event", "uccn_tick", "uccn_runtime_started"})
"""The hooks that carry the bot's work: what they raise fails that work (to be tried again),
rather than being reported and passed over as a lifecycle hook's failure is."""

__all__ = ["PluginInfo", "PluginProblem", "Plugins", "Registered", "Registry"]


class _Manager(pluggy.PluginManager):
    """Treats every ``uccn_`` function as a hook implementation, marked or not."""

    def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is None and name.startswith(HOOK_PREFIX) and callable(getattr(plugin, name)):
            return {}
        return opts


def _names_from_env(variable: str) -> frozenset[str] | None:
    raw = os.environ.get(variable)
    if raw is None:
        return None
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


class Plugins:
    """The loaded plugins and a typed way to ask them for fields, sources and the rest."""

    def __init__(self) -> None:
        self._pm = _Manager(hookspecs.PROJECT)
        self._pm.add_hookspecs(hookspecs)
        self._known_hooks = frozenset(n for n in dir(hookspecs) if n.startswith(HOOK_PREFIX))
        self.infos: list[PluginInfo] = []
        self.problems: list[PluginProblem] = []
        self._failed: set[str] = set()  # the plugins whose registration call raised
        self._pending: set[asyncio.Task[object]] = set()
        self._collected: dict[str, Registry[Any]] = {}
        self._tracing = os.environ.get(TRACE_ENV, "") not in ("", "0")
        if self._tracing:
            _trace_to_stderr()

    # -- loading -----------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        *,
        allow: Iterable[str] | None = None,
        block: Iterable[str] | None = None,
        extra: Iterable[tuple[str, object]] = (),
    ) -> Plugins:
        """Load the installed plugins, then `extra` ones given as (name, plugin) pairs.

        `allow` and `block` name plugins by entry-point or distribution name; they default
        to the comma-separated lists in UCCN_PLUGINS_ALLOW and UCCN_PLUGINS_BLOCK. With an
        allow list, only the plugins it names are loaded.
        """
        plugins = cls()
        allowed = frozenset(allow) if allow is not None else _names_from_env(ALLOW_ENV)
        blocked = frozenset(block) if block is not None else _names_from_env(BLOCK_ENV)
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=_load_order):
            names = {ep.name, ep.dist.name if ep.dist else ""}
            if blocked and names & blocked:
                continue
            if allowed is not None and not names & allowed:
                continue
            plugins._load_entry_point(ep)
        for name, plugin in extra:
            plugins.add(plugin, name)
        return plugins

    def _load_entry_point(self, ep: EntryPoint) -> None:
        try:
            plugin = ep.load()
        except Exception as error:  # a broken plugin must not take the others down
            self.problems.append(
                PluginProblem(ep.name, f"failed to import {ep.value}: {describe(error)}")
            )
            return
        dist = ep.dist
        self.add(plugin, ep.name, dist.name if dist else None, dist.version if dist else None)

    def add(
        self,
        plugin: object,
        name: str,
        distribution: str | None = None,
        version: str | None = None,
    ) -> bool:
        """Register a plugin object; return False (and record why) if it was refused."""
        unknown = sorted(
            attr
            for attr in dir(plugin)
            if attr.startswith(HOOK_PREFIX)
            and callable(getattr(plugin, attr))
            and attr not in self._known_hooks
        )
        if unknown:
            self.problems.append(PluginProblem(name, self._unknown_hooks_message(unknown)))
            return False
        try:
            self._pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as error:
            self.problems.append(PluginProblem(name, f"refused: {error}"))
            return False
        callers = self._pm.get_hookcallers(plugin) or []
        for caller in callers:
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin and not (impl.wrapper or impl.hookwrapper):
                    # One plugin's failure stays its own: pluggy still orders the calls and
                    # runs the wrappers, but an implementation that raises is reported and
                    # counts as having returned nothing.
                    impl.function = self._isolated(impl.function, name, caller.name)  # type: ignore[misc]
        hooks = tuple(sorted(caller.name for caller in callers))
        self.infos.append(PluginInfo(name, distribution, version, hooks))
        self._collected.clear()
        return True

    def name_of(self, plugin: object) -> str | None:
        """The name `plugin` is registered under, or None when it is not loaded."""
        return self._pm.get_name(plugin)

    def remove(self, name: str) -> None:
        """Unregister the plugin registered under `name`."""
        self._pm.unregister(name=name)
        self.infos = [info for info in self.infos if info.name != name]
        self._collected.clear()

    def _unknown_hooks_message(self, unknown: list[str]) -> str:
        parts = []
        for hook in unknown:
            close = difflib.get_close_matches(hook, self._known_hooks, n=1)
            parts.append(f"{hook} (did you mean {close[0]}?)" if close else hook)
        return "implements unknown hooks: " + ", ".join(parts) + "; the plugin was not loaded"

    # -- what the plugins provide --------------------------------------------------------

    def fields(self) -> Registry[CreativeField]:
        return self._collect(
            "uccn_register_fields", "creative field", model_check(CreativeField), lambda f: f.slug
        )

    def city_sources(self) -> Registry[CitySource]:
        return self._collect(
            "uccn_register_city_sources",
            "city source",
            protocol_check(CitySource),
            lambda s: s.name,
        )

    def exporters(self) -> Registry[Exporter]:
        return self._collect(
            "uccn_register_exporters",
            "exporter",
            protocol_check(Exporter),
            lambda e: f"{e.kind}:{e.format}",
        )

    def match_scorers(self) -> Registry[MatchScorer]:
        return self._collect(
            "uccn_register_match_scorers",
            "match scorer",
            protocol_check(MatchScorer),
            lambda s: s.name,
        )

    def reply_parsers(self) -> Registry[ReplyParser]:
        return self._collect(
            "uccn_register_reply_parsers",
            "reply parser",
            protocol_check(ReplyParser),
            lambda p: p.name,
        )

    def connectors(self) -> Registry[ConnectorFactory]:
        return self._collect(
            "uccn_register_connectors",
            "connector",
            protocol_check(ConnectorFactory),
            lambda c: c.platform,
        )

    def commands(self) -> Registry[ChatCommand]:
        return self._collect(
            "uccn_register_commands", "chat command", protocol_check(ChatCommand), lambda c: c.name
        )

    def templates(self) -> Registry[MessageTemplate]:
        """Templates by name; languages registered by several plugins are merged.

        A template needs its English text, and a translation may fill in only the
        placeholders the English fills in; what breaks either rule is reported under the
        plugin that gave it and left out.
        """
        key = "uccn_register_templates"
        if key in self._collected:
            return self._collected[key]
        texts: dict[str, dict[str, str]] = {}
        given_by: dict[str, dict[str, str]] = {}  # name -> language -> plugin
        for plugin, template in self._each_registered(
            key, "template", model_check(MessageTemplate)
        ):
            origin = given_by.setdefault(template.name, {})
            for language, text in template.texts.items():
                if language in origin:
                    self.problems.append(
                        PluginProblem(
                            plugin,
                            f"template {template.name!r} in {language} was registered already "
                            f"by {origin[language]!r}; kept the first",
                        )
                    )
                    continue
                origin[language] = plugin
                texts.setdefault(template.name, {})[language] = text
        merged: Registry[MessageTemplate] = Registry()
        for name, by_language in texts.items():
            origin = given_by[name]
            english = by_language.get("en")
            if english is None:
                for plugin in sorted(set(origin.values())):
                    self.problems.append(
                        PluginProblem(plugin, f"template {name!r} has no English text; left out")
                    )
                continue
            wanted = messages.placeholders(english)
            for language, text in list(by_language.items()):
                extra = messages.placeholders(text) - wanted
                if extra:
                    self.problems.append(
                        PluginProblem(
                            origin[language],
                            f"template {name!r} in {language} fills in "
                            f"{', '.join(sorted(extra))}, which its English text does not; "
                            "left out",
                        )
                    )
                    del by_language[language]
            merged.entries[name] = Registered(
                MessageTemplate(name=name, texts=by_language), origin["en"]
            )
        self._collected[key] = merged
        return merged

    def translations(self) -> dict[str, dict[str, str]]:
        """The templates as translations: English text → language → text, for
        :func:`uccn_sdk.messages.use`."""
        found: dict[str, dict[str, str]] = {}
        for entry in self.templates().entries.values():
            texts = dict(entry.value.texts)
            english = texts.pop("en")
            for language, text in texts.items():
                found.setdefault(english, {}).setdefault(language, text)
        return found

    def listens(self, hook: str) -> bool:
        """Whether any plugin implements the lifecycle `hook`."""
        return bool(getattr(self._pm.hook, hook).get_hookimpls())

    def notify(self, hook: str, **kwargs: object) -> list[object]:
        """Call a lifecycle hook on every plugin, in pluggy's order, and see it through.

        A plugin that raises is recorded in `problems` and skipped. A result that is an
        awaitable (a webhook's request, say) is awaited here: in a task on the running event
        loop, which :meth:`settle` waits for, or, where no loop runs (the `uccn` command), before
        this returns. Returns the other results.
        """
        if hook not in self._known_hooks:
            raise ValueError(f"{hook} is not a uccn hook")
        results = [r for r in getattr(self._pm.hook, hook)(**kwargs) if r is not None]
        pending = [r for r in results if inspect.isawaitable(r)]
        if pending:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                asyncio.run(_all(pending))
            else:
                for awaitable in pending:
                    task = loop.create_task(_all([awaitable]))
                    self._pending.add(task)
                    task.add_done_callback(self._pending.discard)
        return [r for r in results if not inspect.isawaitable(r)]

    async def run(self, hook: str, **kwargs: object) -> object:
        """Call a runtime hook (see :data:`RUNTIME_HOOKS`) through pluggy and await what its
        implementations return. What one raises propagates, with the plugin named in the log.
        Returns the first result for a ``firstresult`` hook, else the list of results."""
        if hook not in RUNTIME_HOOKS:
            raise ValueError(f"{hook} is not a runtime hook")
        result = getattr(self._pm.hook, hook)(**kwargs)
        if isinstance(result, list):
            return [await r if inspect.isawaitable(r) else r for r in result]
        return await result if inspect.isawaitable(result) else result

    async def settle(self) -> None:
        """Wait until every awaitable a lifecycle hook returned on this loop has finished."""
        while self._pending:
            await asyncio.gather(*self._pending)

    # -- collection ---------------------------------------------------------------------

    def _collect(
        self,
        hook: str,
        what: str,
        check: Callable[[object], T],
        key: Callable[[T], str],
    ) -> Registry[T]:
        if hook in self._collected:
            return self._collected[hook]
        registry: Registry[T] = Registry()
        for plugin, value in self._each_registered(hook, what, check):
            name = key(value)
            if name in registry.entries:
                first = registry.entries[name].plugin
                self.problems.append(
                    PluginProblem(
                        plugin,
                        f"{what} {name!r} was registered already by {first!r}; kept the first",
                    )
                )
                continue
            registry.entries[name] = Registered(value, plugin)
        self._collected[hook] = registry
        return registry

    def _each_registered(
        self, hook: str, what: str, check: Callable[[object], T]
    ) -> Iterator[tuple[str, T]]:
        """Call a registration hook through pluggy and keep the valid values, by plugin, in the
        order that settles a clash (see the module's docstring).

        A plugin that raises loses everything it registered through this hook.
        """
        accepted: dict[str, list[T]] = {}

        def register(value: object) -> None:
            plugin = _calling.get("?")
            try:
                accepted.setdefault(plugin, []).append(check(value))
            except Refused as refusal:
                self.problems.append(
                    PluginProblem(plugin, f"registered an invalid {what}: {refusal}")
                )

        self._failed.clear()
        caller = getattr(self._pm.hook, hook)
        caller(register=register)
        failed = set(self._failed)
        loaded = [info.name for info in self.infos]
        priority = {
            impl.plugin_name: (
                0 if impl.tryfirst else 2 if impl.trylast else 1,
                loaded.index(impl.plugin_name) if impl.plugin_name in loaded else len(loaded),
            )
            for impl in caller.get_hookimpls()
        }
        for plugin in sorted(accepted, key=lambda name: priority.get(name, (1, len(loaded)))):
            if plugin not in failed:
                for value in accepted[plugin]:
                    yield plugin, value

    def _isolated(self, function: Callable[..., Any], plugin: str, hook: str) -> Callable[..., Any]:
        """`function`, one plugin's implementation of `hook`, reporting what it raises (or what
        the awaitable it returns raises) instead of raising; timed when tracing is on."""
        registration = hook.startswith("uccn_register_")
        carries_work = hook in RUNTIME_HOOKS

        def failed(error: Exception) -> None:
            if carries_work:
                log.error("plugin %r failed in %s: %s", plugin, hook, describe(error))
                raise error
            if registration:
                self._failed.add(plugin)
            said = f"{hook} raised" if registration else f"{hook}:"
            self.problems.append(PluginProblem(plugin, f"{said} {describe(error)}"))
            if not registration:  # a registration's problems are shown where it is used
                log.warning(
                    "a lifecycle hook failed: plugin %r, %s %s", plugin, said, describe(error)
                )

        async def awaited(result: Awaitable[object]) -> object:
            try:
                return await result
            except Exception as error:
                failed(error)
                return None

        def call(*args: Any, **kwargs: Any) -> Any:
            token = _calling.set(plugin)
            start = time.perf_counter()
            outcome = "returned"
            try:
                result = function(*args, **kwargs)
            except Exception as error:
                outcome = f"raised {type(error).__name__}"
                failed(error)
                return None
            finally:
                _calling.reset(token)
                if self._tracing:
                    took = (time.perf_counter() - start) * 1000
                    trace.info("%s: %s %s in %.2f ms", plugin, hook, outcome, took)
            return awaited(result) if inspect.isawaitable(result) else result

        return call


async def _all(awaitables: list[Awaitable[object]]) -> None:
    await asyncio.gather(*awaitables)


def _trace_to_stderr() -> None:
    """Show the trace on stderr unless the application routes it somewhere already."""
    if not trace.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("uccn trace: %(message)s"))
        trace.addHandler(handler)
        trace.setLevel(logging.INFO)
        trace.propagate = False


BUILT_IN = ("core", "directory", "people", "calls", "announcements", "matching")
"""The core's own plugins, in the order they load: before any other, so that a plain clash
keeps theirs. Third-party plugins load after them, by name."""


def _load_order(ep: EntryPoint) -> tuple[int, str]:
    if ep.value.startswith("uccn_sdk.") and ep.name in BUILT_IN:
        return (BUILT_IN.index(ep.name), "")
    return (len(BUILT_IN), ep.name)
