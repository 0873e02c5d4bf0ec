"""The directory's records: the member cities, and which version of each plugin source the
store has loaded."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Connection, bindparam, delete, func, select, text

from uccn_sdk.directory.collation import folded, stored_key
from uccn_sdk.models import City
from uccn_sdk.store import schema
from uccn_sdk.store.filters import CityFilter
from uccn_sdk.store.repository import Repository


class CityRepository(Repository[City]):
    table = schema.cities
    model = City
    what = "city"
    origin = "import"
    """Who put the records written through this repository: 'import' or a source's name."""

    def with_origin(self, origin: str) -> CityRepository:
        repository = CityRepository(self.connection)
        repository.origin = origin
        return repository

    def columns(self, record: City) -> dict[str, Any]:
        return {
            "id": record.id,
            "name": record.name,
            "country": record.country,
            "region": record.region.value if record.region else None,
            "field": record.field,
            "year": record.year,
            "origin": self.origin,
            "sort_key": stored_key(record.name),
        }

    def find(
        self,
        *,
        fields: Iterable[str] = (),
        countries: Iterable[str] = (),
        regions: Iterable[str] = (),
        years: Iterable[int] = (),
    ) -> list[City]:
        """Cities matching every filter given (see :class:`CityFilter`)."""
        c = self.table.c
        given = CityFilter.of(fields=fields, countries=countries, regions=regions, years=years)
        where = [c[column].in_(values) for column, values in given.columns()]
        query = select(c.data).where(*where).order_by(c.name, c.id)
        found = (self._load(row.data) for row in self.connection.execute(query))
        return [city for city in found if given.keeps(city)]

    def page(
        self,
        *,
        fields: Iterable[str] = (),
        countries: Iterable[str] = (),
        regions: Iterable[str] = (),
        years: Iterable[int] = (),
        words: Iterable[str] = (),
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[list[City], int]:
        """One page of the cities matching every filter and whose name holds every word
        (without regard to accents or case), in the order a reader expects; and how many
        match in all, the database answering every filter (a field or a year: any one of a
        city's designations, both in the same one), a page at a time."""
        c = self.table.c
        given = CityFilter.of(fields=fields, countries=countries, regions=regions, years=years)
        where: list[ColumnElement[bool]] = [
            c[column].in_(values) for column, values in given.columns()
        ]
        where += [c.sort_key.contains(folded(word), autoescape=True) for word in words]
        order = (
            c.sort_key.collate("C") if self.connection.dialect.name == "postgresql" else c.sort_key
        )
        if given.fields or given.years:
            where.append(self._designated(given))
        total = self.connection.execute(select(func.count()).select_from(self.table).where(*where))
        rows = self.connection.execute(
            select(c.data).where(*where).order_by(order, c.id).offset(offset).limit(limit)
        )
        return [self._load(row.data) for row in rows], int(total.scalar_one())

    def _designated(self, given: CityFilter) -> ColumnElement[bool]:
        """A city has a designation in one of the fields and one of the years asked (either
        may be left open), looked up in its document's designations."""
        fields, years = sorted(given.fields), sorted(given.years)
        if self.connection.dialect.name == "postgresql":
            each = "jsonb_array_elements(cities.data -> 'designations') AS d"
            field, year = "d ->> 'field'", "(d ->> 'year')::int"
        else:
            each = "json_each(cities.data, '$.designations') AS d"
            field, year = "json_extract(d.value, '$.field')", "json_extract(d.value, '$.year')"
        checks = []
        if fields:
            checks.append(f"{field} IN :fields")
        if years:
            checks.append(f"{year} IN :years")
        clause = text(f"EXISTS (SELECT 1 FROM {each} WHERE {' AND '.join(checks)})")
        if fields:
            clause = clause.bindparams(bindparam("fields", fields, expanding=True))
        if years:
            clause = clause.bindparams(bindparam("years", years, expanding=True))
        return cast(ColumnElement[bool], clause)

    def snapshot(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """Every city's origin and document, by id: what an import compares against."""
        c = self.table.c
        rows = self.connection.execute(select(c.id, c.origin, c.data))
        return {row.id: (row.origin, row.data) for row in rows}


class SourceLoads:
    """Which version of each city source the store has loaded."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def versions(self) -> dict[str, str]:
        t = schema.source_loads
        return {row.source: row.version for row in self.connection.execute(select(t))}

    def record(self, source: str, version: str, cities: int) -> None:
        t = schema.source_loads
        self.connection.execute(delete(t).where(t.c.source == source))
        self.connection.execute(
            t.insert().values(
                source=source, version=version, cities=cities, loaded_at=datetime.now(UTC)
            )
        )
