"""Every hook is named, typed and documented: the docstrings are the reference."""

from __future__ import annotations

import asyncio
import inspect
import re
import types
import urllib.request
from pathlib import Path

import pytest

from uccn_sdk import hookspecs
from uccn_sdk.chat.events import Message, Sender
from uccn_sdk.checks import check
from uccn_sdk.config import NetworkConfig
from uccn_sdk.plugins import RUNTIME_HOOKS, Plugins
from uccn_sdk.runtime.context import Runtime
from uccn_sdk.store import Store

HOOKS = [name for name in dir(hookspecs) if name.startswith("uccn_")]


def test_the_hooks_the_design_names_exist() -> None:
    expected = {
        "uccn_register_fields",
        "uccn_register_city_sources",
        "uccn_register_match_scorers",
        "uccn_register_reply_parsers",
        "uccn_register_templates",
        "uccn_register_connectors",
        "uccn_register_commands",
        "uccn_register_exporters",
        "uccn_call_opened",
        "uccn_reply_received",
        "uccn_call_closed",
        "uccn_announcement_sent",
    }
    assert expected <= set(HOOKS)


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_documents_when_it_is_called_and_each_parameter(name: str) -> None:
    hook = getattr(hookspecs, name)
    doc = inspect.getdoc(hook) or ""
    summary = doc.split("\n\n")[0]
    assert len(summary) > 20, f"{name} needs a summary line"
    for parameter in inspect.signature(hook).parameters:
        assert f":param {parameter}:" in doc, f"{name} does not document {parameter!r}"
    if name.startswith("uccn_register_"):
        assert "Called once" in doc, f"{name} should say when it is called"
    else:
        assert ":return:" in doc, f"{name} should say what it returns"


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_is_fully_typed(name: str) -> None:
    signature = inspect.signature(getattr(hookspecs, name))
    assert signature.return_annotation is not inspect.Signature.empty
    for parameter in signature.parameters.values():
        assert parameter.annotation is not inspect.Parameter.empty, f"{name}({parameter.name})"


def test_registration_hooks_take_a_register_callback() -> None:
    for name in HOOKS:
        if name.startswith("uccn_register_"):
            assert list(inspect.signature(getattr(hookspecs, name)).parameters) == ["register"]


def example_of(name: str) -> str:
    doc = inspect.getdoc(getattr(hookspecs, name)) or ""
    found = re.search(r"Example:\n\n```python\n(.*?)\n```", doc, re.S)
    assert found, f"{name} needs an example (a ```python block after 'Example:')"
    return found.group(1)


REGISTRIES = {
    "uccn_register_fields": "fields",
    "uccn_register_city_sources": "city_sources",
    "uccn_register_match_scorers": "match_scorers",
    "uccn_register_reply_parsers": "reply_parsers",
    "uccn_register_templates": "templates",
    "uccn_register_connectors": "connectors",
    "uccn_register_commands": "commands",
    "uccn_register_exporters": "exporters",
}


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_has_an_example_that_works_as_a_plugin(name: str, tmp_path: Path) -> None:
    module = types.ModuleType(f"example_{name}")
    exec(compile(example_of(name), f"<example of {name}>", "exec"), module.__dict__)
    plugins = Plugins()
    assert plugins.add(module, "example"), plugins.problems
    if name in RUNTIME_HOOKS:
        store = Store.open(f"sqlite:///{tmp_path / 'example.db'}")
        runtime = Runtime(store, plugins, NetworkConfig())
        event = Message(
            platform="matrix", room="!r", event_id="$1", sender=Sender("matrix", "@a"), text="+1"
        )
        arguments = {"event": event} if name == "uccn_handle_event" else {}
        result = asyncio.run(plugins.run(name, runtime=runtime, **arguments))
        assert result == (True if name == "uccn_handle_event" else [])
        store.close()
    elif name in REGISTRIES:
        registered = getattr(plugins, REGISTRIES[name])()
        assert [e.plugin for e in registered.entries.values()] == ["example"]
        assert check(plugins) == []  # a scorer is also tried on the sample cities
    else:
        stand_in = types.SimpleNamespace(id="survey", title="Survey", city="lyon")
        arguments = {
            p: ([] if p == "replies" else "lyon" if p == "city" else stand_in)
            for p in inspect.signature(getattr(hookspecs, name)).parameters
        }
        posted: list[object] = []
        with pytest.MonkeyPatch.context() as patch:  # the example's webhook, without a network
            patch.setattr(urllib.request, "urlopen", lambda *a, **k: posted.append(a[0]))
            assert plugins.notify(name, **arguments) == []  # an awaitable is awaited, not returned
        assert len(posted) == (1 if name == "uccn_call_closed" else 0)
    assert plugins.problems == []
