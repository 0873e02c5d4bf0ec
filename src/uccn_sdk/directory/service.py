"""Writing cities to the store: imports and plugin sources, each all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, get_args

from uccn_sdk.contracts import CitySource
from uccn_sdk.directory.reading import ImportedCity
from uccn_sdk.models import City, Fact
from uccn_sdk.models.values import STORED

if TYPE_CHECKING:  # this module is imported where SQLAlchemy is not
    from uccn_sdk.store import Store, Transaction

IMPORT_ORIGIN = "import"
CITIES_LOCK = "cities"
"""Held by every write of cities: two imports at once are done one after the other."""
_NOT_DERIVED = ("coordinates", "description", "sdgs")
_DERIVED_FROM_COUNTRY = ("region", "languages", "timezone")


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
    cities: Sequence[City | ImportedCity],
    *,
    origin: str = IMPORT_ORIGIN,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Add or update `cities` in one transaction; a city identical to the stored one is left.

    A city read from a file keeps what the store knows of the facts the file leaves out. With a
    source's name as `origin`, cities that an import has changed are kept as they are. Imports
    run one at a time: a second waits until the first is written, then reads what it wrote.
    """
    with store.begin() as tx:
        return _write(tx, cities, origin, on_progress)


def _write(
    tx: Transaction,
    cities: Sequence[City | ImportedCity],
    origin: str,
    on_progress: Callable[[int, int], None] | None,
) -> ImportReport:
    tx.lock(CITIES_LOCK)
    report = ImportReport()
    existing = tx.cities.snapshot()
    writes: list[City] = []
    for stated in cities:
        city = stated.city if isinstance(stated, ImportedCity) else stated
        current = existing.get(city.id)
        if current is not None and isinstance(stated, ImportedCity):
            city = _merged(City.model_validate(current[1], context=STORED), stated)
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


def _merged(stored: City, imported: ImportedCity) -> City:
    """The city an import makes of `stored`: the facts the file gives, and what the store knows
    of the others. A fact derived from the country is derived again only when the country
    changed; otherwise the stored one stays (it may have come from a better source)."""
    city, given = imported.city, imported.given
    kept = [fact for fact in _NOT_DERIVED if fact not in given]
    if city.country == stored.country:
        kept += [fact for fact in _DERIVED_FROM_COUNTRY if fact not in given]
    if not kept:
        return city
    provenance = {str(fact): source for fact, source in city.provenance.items()}
    known = {str(fact): source for fact, source in stored.provenance.items()}
    for fact in kept:
        if fact in get_args(Fact):
            if fact in known:
                provenance[fact] = known[fact]
            else:
                provenance.pop(fact, None)
    updates = {fact: getattr(stored, fact) for fact in kept}
    return city.model_copy(update={**updates, "provenance": provenance})


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
