"""Loading the shipped directory and importing a large synthetic CSV, on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import csv
import random
import resource
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from uccn_sdk.directory.reading import read_cities
from uccn_sdk.directory.service import import_cities, sync_sources
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store

PLACES = [
    ("FR", "Europe/Paris"),
    ("NG", "Africa/Lagos"),
    ("KR", "Asia/Seoul"),
    ("BR", "America/Sao_Paulo"),
    ("SA", "Asia/Riyadh"),
    ("CA", "America/Toronto"),
    ("ID", "Asia/Jakarta"),
]
FIELDS = ["music", "literature", "design", "film", "gastronomy", "media-arts", "crafts-folk-art"]


def synthetic_csv(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "country", "field", "year", "lat", "lon", "timezone"])
        for n in range(rows):
            country, zone = rng.choice(PLACES)
            writer.writerow(
                [
                    f"synthetic-{n}",
                    f"Synthetic {n}",
                    country,
                    rng.choice(FIELDS),
                    rng.randint(2004, 2025),
                    round(rng.uniform(-60, 60), 5),
                    round(rng.uniform(-180, 180), 5),
                    zone,
                ]
            )


def postgres_schema(url: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with create_engine(url).begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False), schema


def run(label: str, url: str, csv_path: Path, plugins: Plugins) -> None:
    start = time.perf_counter()
    store = Store.open(url)
    opened = time.perf_counter()
    sync_sources(store, plugins.city_sources())
    loaded = time.perf_counter()
    cities, errors = read_cities(csv_path, plugins.fields().as_dict())
    assert not errors, errors[:3]
    validated = time.perf_counter()
    report = import_cities(store, cities)
    written = time.perf_counter()
    again = import_cities(store, cities)
    rewritten = time.perf_counter()
    store.close()
    print(f"{label}:")
    print(f"  open and migrate an empty store     {opened - start:7.2f} s")
    print(f"  load the shipped directory (384)    {loaded - opened:7.2f} s")
    print(f"  validate {len(cities):,} rows            {validated - loaded:7.2f} s")
    print(f"  write {len(report.added):,} new cities            {written - validated:7.2f} s")
    print(f"  import total                        {written - loaded:7.2f} s")
    print(f"  re-import, {again.unchanged:,} unchanged      {rewritten - written:7.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    plugins = Plugins.load()
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "synthetic.csv"
        synthetic_csv(csv_path, args.rows)
        size = csv_path.stat().st_size / 2**20
        print(f"synthetic file: {args.rows:,} rows, {size:.1f} MiB")
        run("SQLite", f"sqlite:///{folder}/bench.db", csv_path, plugins)
        if args.postgres:
            url, schema = postgres_schema(args.postgres)
            try:
                run("PostgreSQL", url, csv_path, plugins)
            finally:
                with create_engine(args.postgres).begin() as connection:
                    connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS) {peak:.0f} MiB")


if __name__ == "__main__":
    main()
