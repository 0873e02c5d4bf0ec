"""Every hook is named, typed and documented: the docstrings are the reference."""

from __future__ import annotations

import inspect

import pytest

from uccn_sdk import hookspecs

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
