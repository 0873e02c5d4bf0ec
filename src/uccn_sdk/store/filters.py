"""The filters a city listing takes, normalised once for both ways of reading the store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uccn_sdk.models import City


@dataclass(frozen=True)
class CityFilter:
    """A city matches every filter given, and any of its values. Fields and years are those of
    any of its designations, together: fields ``media-arts`` and year 2008 find a city designated
    for Media Arts in 2008, whatever its field today."""

    fields: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()

    @classmethod
    def of(
        cls,
        *,
        fields: Iterable[str] = (),
        countries: Iterable[str] = (),
        regions: Iterable[str] = (),
        years: Iterable[int] = (),
    ) -> CityFilter:
        return cls(
            frozenset(fields),
            frozenset(v.upper() for v in countries),
            frozenset(regions),
            frozenset(int(v) for v in years),
        )

    def columns(self) -> list[tuple[str, list[str]]]:
        """(column, values) of the filters the cities table answers by itself."""
        given = [("country", sorted(self.countries)), ("region", sorted(self.regions))]
        return [(column, values) for column, values in given if values]

    def keeps(self, city: City) -> bool:
        """Whether a city the columns let through has a designation the filter asks for."""
        return city.designation_in(self.fields, self.years) is not None
