"""Reading cities from a CSV or JSON file, reporting every bad row before anything is written."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from uccn_sdk import geography
from uccn_sdk.directory import columns
from uccn_sdk.errors import UccnError, describe_items, plain_message
from uccn_sdk.models import City, CreativeField, Fact

MAX_BYTES = 32 * 1024 * 1024
"""The largest file one import reads; about 200,000 cities as CSV."""


class ImportFileError(UccnError):
    """The file as a whole cannot be read: its size, encoding, format or header."""


@dataclass(frozen=True)
class RowError:
    """One bad row: where it is and what is wrong with it."""

    line: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ImportedCity:
    """A city as a file states it. `given` names the facts the file gives (City's keys): an
    import keeps what the store knows of the others (a CSV of the required columns alone leaves
    an existing city's coordinates, description and goals as they are)."""

    city: City
    given: frozenset[str]


@dataclass(frozen=True)
class _Item:
    line: int
    data: Mapping[str, Any]
    flat: bool
    """True for a CSV row, whose cells need turning into a City's shape."""


def read_cities(
    path: Path,
    fields: Mapping[str, CreativeField],
    *,
    max_bytes: int = MAX_BYTES,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[ImportedCity], list[RowError]]:
    """Validate every city in `path`; return the good ones and an error per bad row.

    Facts a row leaves out are derived from its country where possible (region,
    official languages, a single time zone), with a provenance that says so; the import keeps
    what the store knows instead when the country is the one it knows.
    """
    items = _items(path, max_bytes)
    if not items:
        raise ImportFileError(f"{path.name} has a header but no cities")
    resolve = _field_resolver(fields)
    origin = f"import:{path.name}"
    cities: list[ImportedCity] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for done, item in enumerate(items, start=1):
        try:
            city = _city(item, resolve, origin)
        except _BadRow as bad:
            errors.append(RowError(item.line, bad.column, bad.reason))
        else:
            city_id = city.city.id
            if city_id in first_line:
                errors.append(
                    RowError(
                        item.line,
                        "id",
                        f"duplicate city id {city_id!r}, first on line {first_line[city_id]}",
                    )
                )
            else:
                first_line[city_id] = item.line
                cities.append(city)
        if on_progress and (done % 1000 == 0 or done == len(items)):
            on_progress(done, len(items))
    return cities, errors


def _items(path: Path, max_bytes: int) -> list[_Item]:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {error.strerror}") from None
    if size > max_bytes:
        raise ImportFileError(
            f"{path.name} is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.0f} MiB limit "
            "for one import; split it into smaller files."
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise ImportFileError(
            f"{path.name} is empty; a CSV needs a header line ({','.join(columns.COLUMNS)}) "
            "and a JSON file a list of cities."
        )
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"{path.name} is not UTF-8: line {line} has the byte 0x{raw[error.start]:02x}. "
            "Save the file as UTF-8 and import it again."
        ) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_items(content, path.name)
    if suffix == ".json":
        return _json_items(content, path.name)
    raise ImportFileError(f"{path.name}: import reads .csv or .json files, not {suffix or 'this'}")


def _csv_items(content: str, name: str) -> list[_Item]:
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
        missing = sorted(columns.REQUIRED - set(header))
        unknown = [cell for cell in header if cell not in columns.COLUMNS]
        duplicated = sorted({cell for cell in header if header.count(cell) > 1})
        if missing or unknown or duplicated:
            problems = []
            if missing:
                problems.append(f"missing {', '.join(missing)}")
            if unknown:
                problems.append(f"unknown {', '.join(repr(u) for u in unknown)}")
            if duplicated:
                problems.append(f"repeated {', '.join(duplicated)}")
            raise ImportFileError(
                f"{name}: the header's columns are wrong ({'; '.join(problems)}). "
                f"Use: {','.join(columns.COLUMNS)} (the first five are required)."
            )
        items = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            line = reader.line_num
            if len(cells) != len(header):
                items.append(
                    _Item(line, {"__cells__": len(cells), "__header__": len(header)}, True)
                )
                continue
            items.append(_Item(line, dict(zip(header, cells, strict=True)), True))
        return items
    except csv.Error as error:
        raise ImportFileError(
            f"{name}: line {reader.line_num} is not valid CSV ({error})"
        ) from None


def _json_items(content: str, name: str) -> list[_Item]:
    """The top-level list's items, each with the line it starts on."""
    decoder = json.JSONDecoder()
    text = content.strip()
    offset = len(content) - len(content.lstrip())
    if not text.startswith("["):
        raise ImportFileError(f"{name}: expected a JSON list of cities, starting with '['")
    position, items = 1, []
    try:
        while True:
            while position < len(text) and text[position] in " \t\r\n,":
                position += 1
            if position >= len(text):
                raise json.JSONDecodeError("the list is not closed with ']'", text, position)
            if text[position] == "]":
                break
            value, end = decoder.raw_decode(text, position)
            line = content.count("\n", 0, offset + position) + 1
            items.append(
                _Item(line, value if isinstance(value, dict) else {"__json__": value}, False)
            )
            position = end
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"{name}: line {error.lineno}, column {error.colno} is not valid JSON ({error.msg})"
        ) from None
    except RecursionError:
        raise ImportFileError(
            f"{name}: item {len(items) + 1} nests lists or objects too deeply to be a city"
        ) from None
    return items


class _BadRow(Exception):
    def __init__(self, column: str | None, reason: str) -> None:
        self.column, self.reason = column, reason


def _field_resolver(fields: Mapping[str, CreativeField]) -> Callable[[str], str]:
    by_name = {slug: slug for slug in fields}
    for slug, creative_field in fields.items():
        for name in creative_field.names.values():
            by_name.setdefault(name.strip().lower(), slug)
    known = ", ".join(sorted(fields))

    def resolve(value: str) -> str:
        slug = by_name.get(value.strip().lower())
        if slug is None:
            raise _BadRow("field", f"unknown creative field {value!r}; known fields: {known}")
        return slug

    return resolve


_CSV_COLUMN_OF = {"designations": "field", "coordinates": "lat"}


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable(value: Any, where: tuple[str, ...] = ()) -> tuple[tuple[str, ...], str] | None:
    """The first text in `value` no database can store (PostgreSQL refuses NUL; a lone
    surrogate is not text at all), with where it is and why."""
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        if found is None:
            return None
        if found.group() == "\x00":
            return where, "holds a NUL character (U+0000), which cannot be stored; remove it"
        return where, (
            f"holds U+{ord(found.group()):04X}, half of a UTF-16 pair without its other half "
            "(a lone surrogate), which is not text; fix the \\u escapes"
        )
    if isinstance(value, Mapping):
        inner: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, list):
        inner = enumerate(value)
    else:
        return None
    for key, item in inner:
        if found_inside := _unstorable(item, (*where, str(key))):
            return found_inside
    return None


def _city(item: _Item, resolve: Callable[[str], str], origin: str) -> ImportedCity:
    data = item.data
    if found := _unstorable(data):
        where, reason = found
        raise _BadRow(".".join(where) or None, reason)
    if "__cells__" in data:
        raise _BadRow(
            None, f"has {data['__cells__']} cells but the header has {data['__header__']}"
        )
    if "__json__" in data:
        raise _BadRow(None, "each item of the list must be a JSON object describing one city")
    if item.flat:
        try:
            data = columns.from_row(dict(data))
        except columns.FieldCountMismatch as error:
            raise _BadRow("year", str(error)) from None
    data = dict(data)
    designations = data.get("designations")
    if isinstance(designations, list):
        data["designations"] = [
            {"source": origin, **d, "field": resolve(str(d.get("field", "")))}
            if isinstance(d, dict)
            else d
            for d in designations
        ]
    try:
        city = City.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = [str(part) for part in first["loc"]]
        column = location[0] if location else None
        if item.flat and column in _CSV_COLUMN_OF:
            column = location[-1] if location[-1] in columns.COLUMNS else _CSV_COLUMN_OF[column]
        elif not item.flat:
            column = ".".join(location) or None
        others = error.errors()[1:]  # every problem told, not only the first
        message = "; ".join([plain_message(first), *([describe_items(others)] if others else [])])
        raise _BadRow(column, message) from None
    given = frozenset(data) & frozenset(City.model_fields)
    derived = _with_derived_facts(city, given=given, origin=origin, keep=not item.flat)
    return ImportedCity(derived, given)


def _with_derived_facts(city: City, *, given: frozenset[str], origin: str, keep: bool) -> City:
    """Fill missing facts from the country and record where every fact came from.

    `keep` keeps the provenance the item states (a JSON export carries it).
    """
    provenance: dict[Fact, str] = dict(city.provenance) if keep else {}
    for fact in get_args(Fact):
        if fact in given:
            provenance.setdefault(fact, origin)
    updates: dict[str, Any] = {}
    if city.region is None and (region := geography.region_of(city.country)):
        updates["region"] = region
        provenance["region"] = geography.REGION_SOURCE
    if not city.languages and (languages := geography.official_languages(city.country)):
        updates["languages"] = languages
        provenance["languages"] = geography.LANGUAGE_SOURCE
    if city.timezone is None and (zone := geography.single_timezone(city.country)):
        updates["timezone"] = zone
        provenance["timezone"] = geography.TIMEZONE_SOURCE
    return city.model_copy(update={**updates, "provenance": provenance})
