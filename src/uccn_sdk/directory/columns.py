"""The flat, one-row-per-city form of a city used by CSV import and export."""

from __future__ import annotations

from typing import Any

from uccn_sdk.formulas import unguarded
from uccn_sdk.models import City

COLUMNS = (
    "id",
    "name",
    "country",
    "field",
    "year",
    "lat",
    "lon",
    "timezone",
    "languages",
    "region",
    "sdgs",
    "description",
)
REQUIRED = frozenset({"id", "name", "country", "field", "year"})
LIST_SEPARATOR = ";"
"""Separates several values in one cell: 'media-arts;literature' with '2008;2023'."""


def to_row(city: City) -> dict[str, str]:
    """A city as CSV cells; designations become parallel lists in `field` and `year`."""
    coordinates = city.coordinates
    return {
        "id": city.id,
        "name": city.name,
        "country": city.country,
        "field": LIST_SEPARATOR.join(d.field for d in city.designations),
        "year": LIST_SEPARATOR.join(str(d.year) for d in city.designations),
        "lat": f"{coordinates.lat}" if coordinates else "",
        "lon": f"{coordinates.lon}" if coordinates else "",
        "timezone": city.timezone or "",
        "languages": LIST_SEPARATOR.join(city.languages),
        "region": city.region.value if city.region else "",
        "sdgs": LIST_SEPARATOR.join(str(n) for n in city.sdgs),
        "description": city.description,
    }


def split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def from_row(row: dict[str, str]) -> dict[str, Any]:
    """CSV cells as the data a City is validated from; blank optional cells are left out. A cell
    an export kept from running as a formula reads back as the text it was."""
    row = {column: unguarded(cell) for column, cell in row.items()}
    data: dict[str, Any] = {"id": row["id"], "name": row["name"], "country": row["country"]}
    fields, years = split(row["field"]), split(row["year"])
    if len(fields) != len(years):
        raise FieldCountMismatch(
            f"{len(fields)} fields but {len(years)} years: give one year per field"
        )
    data["designations"] = [{"field": f, "year": y} for f, y in zip(fields, years, strict=True)]
    lat, lon = row.get("lat", "").strip(), row.get("lon", "").strip()
    if lat or lon:
        data["coordinates"] = {"lat": lat or None, "lon": lon or None}
    for column in ("timezone", "region"):
        if row.get(column, "").strip():
            data[column] = row[column].strip()
    if row.get("languages", "").strip():
        data["languages"] = split(row["languages"])
    if row.get("sdgs", "").strip():
        data["sdgs"] = split(row["sdgs"])
    if row.get("description", "").strip():
        data["description"] = row["description"].strip()
    return data


class FieldCountMismatch(ValueError):
    """The `field` and `year` cells list different numbers of values."""
