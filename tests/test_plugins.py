"""Loading plugins: entry points, allow and block lists, and plugins that misbehave."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from uccn_sdk import hookimpl
from uccn_sdk.models import CreativeField
from uccn_sdk.plugins import Plugins


def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str) -> None:
    """Put a distribution with a `uccn` entry point on sys.path, as pip would."""
    write_distribution(tmp_path, name, source)
    monkeypatch.syspath_prepend(str(tmp_path))


def write_distribution(
    folder: Path, name: str, source: str, entry_points: str | None = None
) -> None:
    """A distribution in `folder`, as pip installs one: a module of `source` and its
    `entry_points` (by default, the module as a `uccn` plugin of the distribution's name)."""
    module = name.replace("-", "_")
    (folder / f"{module}.py").write_text(textwrap.dedent(source))
    dist_info = folder / f"{module}-1.2.3.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.3\n")
    (dist_info / "entry_points.txt").write_text(entry_points or f"[uccn]\n{name} = {module}\n")


POETRY = """
    def uccn_register_fields(register):
        register({"slug": "poetry", "names": {"en": "Poetry", "fr": "Poésie"}})
"""


def test_first_party_plugins_load_through_entry_points(plugins: Plugins) -> None:
    loaded = {info.name: info for info in plugins.infos}
    assert loaded["core"].distribution == "uccn-sdk"
    assert loaded["unesco"].distribution == "uccn-unesco"
    assert "uccn_register_fields" in loaded["unesco"].hooks
    assert plugins.problems == []
    assert len(plugins.fields()) == 8


def test_a_third_party_plugin_adds_a_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install(tmp_path, monkeypatch, "uccn-poetry", POETRY)
    plugins = Plugins.load()
    assert plugins.fields()["poetry"].name("fr") == "Poésie"
    info = next(i for i in plugins.infos if i.name == "uccn-poetry")
    assert (info.distribution, info.version) == ("uccn-poetry", "1.2.3")
    assert plugins.fields().entries["poetry"].plugin == "uccn-poetry"


def test_allow_and_block_lists_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(tmp_path, monkeypatch, "uccn-poetry", POETRY)
    monkeypatch.setenv("UCCN_PLUGINS_BLOCK", "uccn-poetry, unesco")
    loaded = {i.name for i in Plugins.load().infos}
    assert "core" in loaded and not loaded & {"uccn-poetry", "unesco"}
    monkeypatch.delenv("UCCN_PLUGINS_BLOCK")
    monkeypatch.setenv("UCCN_PLUGINS_ALLOW", "uccn-unesco")  # by distribution name
    assert {i.name for i in Plugins.load().infos} == {"unesco"}


def test_a_plugin_that_fails_to_import_is_named_and_the_rest_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(tmp_path, monkeypatch, "uccn-broken", "import does_not_exist\n")
    plugins = Plugins.load()
    assert [str(p) for p in plugins.problems] == [
        "plugin 'uccn-broken': failed to import uccn_broken: "
        "ModuleNotFoundError: No module named 'does_not_exist'"
    ]
    assert len(plugins.fields()) == 8


def test_a_plugin_implementing_an_unknown_hook_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(
        tmp_path,
        monkeypatch,
        "uccn-typo",
        """
        def uccn_register_feilds(register):
            register({"slug": "typo", "names": {"en": "Typo"}})
        """,
    )
    plugins = Plugins.load()
    assert "uccn-typo" not in {i.name for i in plugins.infos}
    (problem,) = plugins.problems
    assert "uccn_register_feilds (did you mean uccn_register_fields?)" in str(problem)
    assert "typo" not in plugins.fields()


def test_a_hook_with_a_wrong_signature_is_refused() -> None:
    class Wrong:
        def uccn_call_opened(self, call: object, extra: object) -> None: ...

    plugins = Plugins.load(allow=[])
    assert not plugins.add(Wrong(), "wrong")
    assert "extra" in str(plugins.problems[0])


def test_a_plugin_that_raises_or_registers_junk_is_reported_by_name() -> None:
    class Raises:
        @hookimpl
        def uccn_register_fields(self, register: Callable[[object], None]) -> None:
            register(CreativeField(slug="half", names={"en": "Half"}))
            raise RuntimeError("database down")

    class Junk:
        def uccn_register_fields(self, register: Callable[[object], None]) -> None:
            register({"slug": "No Good", "names": {"en": "x"}})
            register(42)
            register(CreativeField(slug="fine", names={"en": "Fine"}))

        def uccn_register_exporters(self, register: Callable[[object], None]) -> None:
            register("not an exporter")

    plugins = Plugins.load(extra=[("raises", Raises()), ("junk", Junk())])
    fields = plugins.fields()
    plugins.exporters()
    assert "half" not in fields  # a plugin that raises loses what it registered in that call
    assert "fine" in fields
    assert len(fields) == 9
    problems = [str(p) for p in plugins.problems]
    assert any(
        p.startswith("plugin 'raises': uccn_register_fields raised RuntimeError") for p in problems
    )
    assert any(
        "plugin 'junk': registered an invalid creative field" in p and "slug" in p for p in problems
    )
    assert (
        "plugin 'junk': registered an invalid exporter: 'not an exporter' lacks kind, write"
        in problems
    )


def test_a_duplicate_registration_keeps_the_first_and_says_so() -> None:
    class Again:
        def uccn_register_fields(self, register: Callable[[object], None]) -> None:
            register(CreativeField(slug="music", names={"en": "Noise"}))

    plugins = Plugins.load(extra=[("again", Again())])
    assert plugins.fields()["music"].name() == "Music"
    assert "'music' was registered already by 'unesco'" in str(plugins.problems[0])


def test_templates_from_several_plugins_merge_by_language() -> None:
    class English:
        def uccn_register_templates(self, register: Callable[[object], None]) -> None:
            register({"name": "reminder", "texts": {"en": "Reminder: {call}"}})

    class French:
        def uccn_register_templates(self, register: Callable[[object], None]) -> None:
            register({"name": "reminder", "texts": {"fr": "Rappel : {call}", "en": "Other"}})

    plugins = Plugins.load(allow=[], extra=[("english", English()), ("french", French())])
    texts = plugins.templates()["reminder"].texts
    assert texts == {"en": "Reminder: {call}", "fr": "Rappel : {call}"}
    assert "in en was registered already by 'english'" in str(plugins.problems[0])


def test_lifecycle_hooks_reach_every_plugin_even_when_one_raises() -> None:
    seen: list[str] = []

    class Fails:
        def uccn_announcement_sent(self, announcement: object, city: str | None) -> None:
            raise ValueError("webhook down")

    class Records:
        def uccn_announcement_sent(self, announcement: object, city: str | None) -> None:
            seen.append(str(city))

    plugins = Plugins.load(allow=[], extra=[("fails", Fails()), ("records", Records())])
    plugins.notify("uccn_announcement_sent", announcement=None, city="lyon")
    assert seen == ["lyon"]
    assert (
        str(plugins.problems[0])
        == "plugin 'fails': uccn_announcement_sent: ValueError: webhook down"
    )
    with pytest.raises(ValueError, match="not a uccn hook"):
        plugins.notify("uccn_nothing")


def test_a_plugin_installed_while_the_process_runs_is_loaded_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "poetry" not in Plugins.load().fields()  # the entry points are read once here
    write_distribution(tmp_path, "uccn-poetry", POETRY)
    # File times can be coarser than the gap between two steps of a test: move the folder's
    # time on, as a later install would.
    changed = tmp_path.stat().st_mtime_ns + 1_000_000_000
    os.utime(tmp_path, ns=(changed, changed))
    assert Plugins.load().fields()["poetry"].name("fr") == "Poésie"


def test_a_tryfirst_registration_wins_a_clash_and_a_trylast_one_loses_it() -> None:
    class First:
        @hookimpl(tryfirst=True)
        def uccn_register_fields(self, register: Callable[[object], None]) -> None:
            register(CreativeField(slug="music", names={"en": "Sound"}))

    class Last:
        @hookimpl(trylast=True)
        def uccn_register_fields(self, register: Callable[[object], None]) -> None:
            register(CreativeField(slug="poetry", names={"en": "Verse"}))

    class Plain:
        def uccn_register_fields(self, register: Callable[[object], None]) -> None:
            register(CreativeField(slug="poetry", names={"en": "Poetry"}))

    plugins = Plugins.load(extra=[("first", First()), ("last", Last()), ("plain", Plain())])
    fields = plugins.fields()
    assert fields["music"].name() == "Sound"  # over the built-in, loaded before it
    assert fields["poetry"].name() == "Poetry"  # though 'last' was loaded first
    problems = [str(p) for p in plugins.problems]
    assert "plugin 'unesco': creative field 'music' was registered already by 'first'" in (
        " ".join(problems)
    )
    assert "plugin 'last': creative field 'poetry' was registered already by 'plain'" in (
        " ".join(problems)
    )


def test_hooks_run_in_pluggys_order() -> None:
    order: list[str] = []

    def plugin(name: str, **opts: bool) -> object:
        class Recorder:
            @hookimpl(**opts)
            def uccn_call_opened(self, call: object) -> None:
                order.append(name)

        return Recorder()

    plugins = Plugins.load(
        allow=[],
        extra=[
            ("late", plugin("late", trylast=True)),
            ("one", plugin("one")),
            ("early", plugin("early", tryfirst=True)),
            ("two", plugin("two")),
        ],
    )
    plugins.notify("uccn_call_opened", call=None)
    assert order == ["early", "two", "one", "late"]  # the last registered first, as pluggy


def test_a_wrapper_wraps_every_implementation_of_a_hook() -> None:
    seen: list[object] = []

    class Wrapper:
        @hookimpl(wrapper=True)
        def uccn_call_closed(self, call: object, replies: list[object]):  # type: ignore[no-untyped-def]
            seen.append("before")
            results = yield
            seen.append(list(results))
            return [*results, "added by the wrapper"]

    class Fails:
        def uccn_call_closed(self, call: object, replies: list[object]) -> str:
            raise RuntimeError("down")

    class Answers:
        def uccn_call_closed(self, call: object, replies: list[object]) -> str:
            return "answered"

    plugins = Plugins.load(
        allow=[], extra=[("wrapper", Wrapper()), ("fails", Fails()), ("answers", Answers())]
    )
    results = plugins.notify("uccn_call_closed", call=None, replies=[])
    assert seen == ["before", ["answered"]]  # the failing plugin gave nothing, and said so
    assert results == ["answered", "added by the wrapper"]
    assert [str(p) for p in plugins.problems] == [
        "plugin 'fails': uccn_call_closed: RuntimeError: down"
    ]


def test_a_wrapper_sees_a_registration_hook_called_once() -> None:
    calls: list[str] = []

    class Counting:
        @hookimpl(wrapper=True)
        def uccn_register_exporters(self, register: Callable[[object], None]):  # type: ignore[no-untyped-def]
            calls.append("exporters")
            return (yield)

    plugins = Plugins.load(extra=[("counting", Counting())])
    exporters = plugins.exporters()
    assert calls == ["exporters"]
    assert "cities:csv" in exporters
