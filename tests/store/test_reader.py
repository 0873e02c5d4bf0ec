"""The standard-library reader behind `uccn cities list` reads what the store reads."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from uccn_sdk.directory.service import sync_sources
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store
from uccn_sdk.store.reader import Reader
from uccn_sdk.store.revisions import REVISIONS

FILTERS: list[dict[str, Any]] = [
    {},
    {"fields": ["literature"]},
    {"countries": ["fr", "IT"]},
    {"regions": ["africa"], "years": [2025]},
    {"fields": ["music", "film"], "years": [2019, 2023]},
    {"countries": ["ZZ"]},
]


@pytest.fixture
def loaded(tmp_path: Path, plugins: Plugins) -> Iterator[tuple[str, Store]]:
    """A SQLite store with the shipped directory loaded, and its URL."""
    url = f"sqlite:///{tmp_path / 'uccn.db'}"
    store = Store.open(url)
    sync_sources(store, plugins.city_sources())
    yield url, store
    store.close()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_the_reader_finds_what_the_store_finds(
    loaded: tuple[str, Store], filters: dict[str, Any]
) -> None:
    url, store = loaded
    with store.begin() as tx:
        expected = tx.cities.find(**filters)
    reader = Reader.open(url)
    assert reader is not None
    with reader:
        assert reader.find_cities(**filters) == expected
        assert reader.source_versions().keys() == {"unesco"}
    assert expected or filters == {"countries": ["ZZ"]}


def test_the_reader_declines_what_only_the_store_can_open(
    loaded: tuple[str, Store], tmp_path: Path
) -> None:
    url, _store = loaded
    assert Reader.open("postgresql+psycopg://postgres@127.0.0.1:5432/test") is None
    assert Reader.open(url + "?mode=ro") is None
    missing = tmp_path / "missing.db"
    assert Reader.open(f"sqlite:///{missing}") is None
    assert not missing.exists()  # a read creates nothing
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("not a database\n" * 100)
    assert Reader.open(f"sqlite:///{not_a_database}") is None
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (REVISIONS[-2],))
    assert Reader.open(url) is None  # an older schema: the store migrates it first


def test_a_listing_on_a_ready_store_does_not_load_sqlalchemy(tmp_path: Path) -> None:
    """SQLAlchemy's import is most of `uccn cities list`'s start-up; a store that is migrated
    and loaded is listed without it, and one that is not yet loaded is loaded first. Nor
    does a listing import the command groups it does not run."""
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('sqlalchemy loaded:', 'sqlalchemy' in sys.modules,"
        " file=sys.stderr))\n"
        "atexit.register(lambda: print('groups loaded:', sorted(m for m in sys.modules"
        " if m in ('uccn_sdk.calls.cli', 'uccn_sdk.announcements.cli', 'uccn_bot.cli')),"
        " file=sys.stderr))\n"
        "from uccn_sdk.cli import main\n"
        "sys.argv = ['uccn', 'cities', 'list', '--field', 'literature']\n"
        "main()\n"
    )

    def listing() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script],
            env={"UCCN_HOME": str(tmp_path), "PATH": "", "COLUMNS": "200"},
            capture_output=True,
            text=True,
            check=True,
        )

    first = listing()
    assert "Loaded the 'unesco' directory: 405 cities added" in first.stderr
    assert "sqlalchemy loaded: True" in first.stderr
    second = listing()
    assert "63 cities" in second.stdout and "Edinburgh" in second.stdout
    assert second.stdout == first.stdout
    assert "sqlalchemy loaded: False" in second.stderr
    assert "groups loaded: []" in second.stderr
