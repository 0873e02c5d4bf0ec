"""Writing cities: imports and plugin sources are all or nothing, and idempotent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from tests.models.test_models import city
from uccn_sdk.directory.service import import_cities, sync_sources
from uccn_sdk.models import City
from uccn_sdk.store import Store


class Source:
    name = "test-directory"

    def __init__(self, cities: list[City], version: str = "1") -> None:
        self.cities, self.version, self.loads = cities, version, 0

    def load(self) -> Iterator[City]:
        self.loads += 1
        yield from self.cities


def test_importing_the_same_cities_twice_changes_nothing(store: Store) -> None:
    cities = [city(), city(id="popayan", name="Popayán", country="CO")]
    first = import_cities(store, cities)
    second = import_cities(store, cities)
    assert (sorted(first.added), first.updated) == (["granada-0", "popayan"], [])
    assert (second.added, second.updated, second.unchanged) == ([], [], 2)
    changed = import_cities(store, [city(name="Granada de Nicaragua")])
    assert changed.updated == ["granada-0"]


def test_an_import_that_fails_half_way_leaves_the_store_as_it_was(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_cities(store, [city()])
    from uccn_sdk.directory.repository import CityRepository

    original = CityRepository.put_many
    calls = 0

    def crash_on_second_batch(self: CityRepository, records: object) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk full")
        return original(self, records)  # type: ignore[arg-type]

    monkeypatch.setattr(CityRepository, "put_many", crash_on_second_batch)
    many = [city(id=f"c-{n}", name=f"C {n}") for n in range(3_000)]
    with pytest.raises(RuntimeError, match="disk full"):
        import_cities(store, [city(name="Changed"), *many])
    with store.begin() as tx:
        assert tx.cities.count() == 1
        assert tx.cities.require("granada-0").name == "Granada"


def test_a_source_loads_once_per_version_and_never_overwrites_an_import(store: Store) -> None:
    source = Source([city(), city(id="popayan", name="Popayán", country="CO")])
    (load,) = sync_sources(store, [source])
    assert sorted(load.report.added) == ["granada-0", "popayan"]
    assert sync_sources(store, [source]) == []
    assert source.loads == 1

    import_cities(store, [city(id="popayan", name="Popayán (corrected)", country="CO")])
    source.version = "2"
    source.cities = [
        city(name="Granada, Nicaragua"),
        city(id="popayan", name="Popayan", country="CO"),
    ]
    (load,) = sync_sources(store, [source])
    assert load.report.updated == ["granada-0"]
    assert load.report.kept == ["popayan"]
    with store.begin() as tx:
        assert tx.cities.require("popayan").name == "Popayán (corrected)"
        assert tx.cities.require("granada-0").name == "Granada, Nicaragua"
        assert tx.connection.execute(text("SELECT version FROM source_loads")).scalar() == "2"


def test_an_import_that_says_what_a_source_said_takes_nothing_over(store: Store) -> None:
    source = Source([city()])
    sync_sources(store, [source])
    # The same facts read back from an export, with the import's own provenance.
    again = city().model_copy(update={"provenance": {"name": "import:all.csv"}})
    report = import_cities(store, [again])
    assert (report.updated, report.unchanged) == ([], 1)
    source.version, source.cities = "2", [city(name="Granada, Nicaragua")]
    (load,) = sync_sources(store, [source])
    assert load.report.updated == ["granada-0"]  # the source still corrects it
