"""Writing cities to the store: imports and plugin sources, each all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from uccn_sdk.contracts import CitySource
from uccn_sdk.models import City

if TYPE_CHECKING:  # this module is imported where SQLAlchemy is not
    from uccn_sdk.store import Store, Transaction

IMPORT_ORIGIN = "import"


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)
    """Ids a source did not overwrite because an import changed them."""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def import_cities(
    store: Store,
    cities: Sequence[City],
    *,
    origin: str = IMPORT_ORIGIN,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Add or update `cities` in one transaction; a city identical to the stored one is left.

    With a source's name as `origin`, cities that an import has changed are kept as they are.
    """
    with store.begin() as tx:
        return _write(tx, cities, origin, on_progress)


def _write(
    tx: Transaction,
    cities: Sequence[City],
    origin: str,
    on_progress: Callable[[int, int], None] | None,
) -> ImportReport:
    report = ImportReport()
    existing = tx.cities.snapshot()
    writes: list[City] = []
    for city in cities:
        current = existing.get(city.id)
        if current is None:
            report.added.append(city.id)
        elif origin != IMPORT_ORIGIN and current[0] != origin:
            report.kept.append(city.id)
            continue
        elif current[0] == origin and _same(current[1], city):
            report.unchanged += 1
            continue
        elif origin == IMPORT_ORIGIN and _same(current[1], city, facts_only=True):
            # An import that says what the store says already (an export read back) takes
            # nothing over: its source may still correct the city later.
            report.unchanged += 1
            continue
        else:
            report.updated.append(city.id)
        writes.append(city)
    repository = tx.cities.with_origin(origin)
    step = 2_000
    for start in range(0, len(writes), step):
        repository.put_many(writes[start : start + step])
        if on_progress:
            on_progress(min(start + step, len(writes)), len(writes))
    return report


@dataclass(frozen=True)
class SourceLoad:
    source: str
    version: str
    report: ImportReport


def sync_sources(
    store: Store, sources: Iterable[CitySource], *, force: bool = False
) -> list[SourceLoad]:
    """Load every source whose version the store has not loaded yet (all of them with `force`)."""
    with store.begin() as tx:
        loaded = tx.source_loads.versions()
    results = []
    for source in list(sources) if force else unloaded(sources, loaded):
        version = source.version
        cities = list(source.load())
        with store.begin() as tx:
            report = _write(tx, cities, source.name, None)
            tx.source_loads.record(source.name, version, len(cities))
        results.append(SourceLoad(source.name, version, report))
    return results


def unloaded(sources: Iterable[CitySource], loaded: Mapping[str, str]) -> list[CitySource]:
    """The sources whose current version is not the one the store has `loaded` (by name)."""
    return [source for source in sources if loaded.get(source.name) != source.version]


def _same(stored: dict[str, Any], city: City, *, facts_only: bool = False) -> bool:
    """Whether the stored document says what `city` says (older documents lack newer keys);
    with `facts_only`, whatever each says of where the facts come from."""
    new = city.model_dump(mode="json")
    if stored == new:
        return True
    old = City.model_validate(stored)
    if facts_only:
        return _facts(old) == _facts(city)
    return old.model_dump(mode="json") == new


def _facts(city: City) -> dict[str, Any]:
    return city.model_dump(
        mode="json", exclude={"provenance": True, "designations": {"__all__": {"source"}}}
    )
