"""The filters a city listing takes, normalised once for both ways of reading the store."""

from __future__ import annotations

from collections.abc import Iterable


def city_filters(
    *,
    fields: Iterable[str] = (),
    countries: Iterable[str] = (),
    regions: Iterable[str] = (),
    years: Iterable[int] = (),
) -> list[tuple[str, list[str] | list[int]]]:
    """(column, values) for each filter given: a city matches every one, and any of its values."""
    given: list[tuple[str, list[str] | list[int]]] = [
        ("field", list(fields)),
        ("country", [v.upper() for v in countries]),
        ("region", list(regions)),
        ("year", [int(v) for v in years]),
    ]
    return [(column, values) for column, values in given if values]
