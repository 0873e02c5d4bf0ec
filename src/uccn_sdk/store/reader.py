"""Reading cities from a SQLite store with the standard library, without SQLAlchemy.

`uccn cities list` is the command people run most, and importing SQLAlchemy is the largest part
of its start-up. When the store is the default SQLite file, already at this code's schema
revision, the listing reads it through `sqlite3` here; everything else — PostgreSQL, a store to
create, migrate or load, any write — goes through :class:`uccn_sdk.store.Store`.
`tests/store/test_reader.py` checks that both read the same cities for the same filters.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uccn_sdk.models.values import STORED
from uccn_sdk.store.filters import CityFilter
from uccn_sdk.store.revisions import HEAD

if TYPE_CHECKING:
    from uccn_sdk.models import City

_PREFIX = "sqlite:///"


class Reader:
    """Read-only queries on a SQLite store. Open it with :meth:`open`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    @classmethod
    def open(cls, url: str) -> Reader | None:
        """A reader on the SQLite file `url` names, or None when the store must be opened
        through SQLAlchemy: not a plain SQLite file URL, no file yet, or a schema revision
        other than this code's."""
        if not url.startswith(_PREFIX) or "?" in url:
            return None
        path = Path(url[len(_PREFIX) :]).expanduser()
        if not path.is_file():
            return None
        try:
            connection = sqlite3.connect(path, timeout=30)
        except sqlite3.Error:
            return None
        reader = cls(connection)
        try:
            revision = reader._scalar("SELECT version_num FROM alembic_version")
        except sqlite3.Error:
            revision = None
        if revision != HEAD:
            connection.close()
            return None
        return reader

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def source_versions(self) -> dict[str, str]:
        """Which version of each city source the store has loaded."""
        with closing(self.connection.execute("SELECT source, version FROM source_loads")) as rows:
            return {str(source): str(version) for source, version in rows}

    def find_cities(
        self,
        *,
        fields: Iterable[str] = (),
        countries: Iterable[str] = (),
        regions: Iterable[str] = (),
        years: Iterable[int] = (),
    ) -> list[City]:
        """Cities matching every filter given, as `CityRepository.find` returns them."""
        from uccn_sdk.models import City

        where: list[str] = []
        parameters: list[Any] = []
        given = CityFilter.of(fields=fields, countries=countries, regions=regions, years=years)
        for column, values in given.columns():
            where.append(f"{column} IN ({', '.join('?' * len(values))})")
            parameters.extend(values)
        query = "SELECT data FROM cities"
        if where:
            query += " WHERE " + " AND ".join(where)
        query += " ORDER BY name, id"
        with closing(self.connection.execute(query, parameters)) as rows:
            found = (City.model_validate(json.loads(data), context=STORED) for (data,) in rows)
            return [city for city in found if given.keeps(city)]

    def _scalar(self, query: str) -> Any:
        with closing(self.connection.execute(query)) as rows:
            row = rows.fetchone()
        return row[0] if row else None
