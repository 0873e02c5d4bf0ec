"""Fixtures shared by the whole suite: stores on SQLite and PostgreSQL, plugins, the CLI."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store

POSTGRES_URL = os.environ.get(
    "UCCN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("UCCN_REQUIRE_POSTGRES") == "1"


def _postgres_or_skip() -> None:
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except Exception as error:
        message = (
            f"PostgreSQL is not reachable at {make_url(POSTGRES_URL).render_as_string()}: "
            f"{str(error).splitlines()[0]}. Start it, or point UCCN_TEST_POSTGRES_URL at one."
        )
        if REQUIRE_POSTGRES:
            pytest.fail(message + " (UCCN_REQUIRE_POSTGRES=1: CI needs these tests)")
        pytest.skip(message)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "postgresql":
        request.applymarker(pytest.mark.postgresql)
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'uccn.db'}"
        return
    _postgres_or_skip()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store.open(database_url)
    yield store
    store.close()


@pytest.fixture
def plugins() -> Plugins:
    """The installed plugins, as `uccn` loads them."""
    return Plugins.load(allow=None, block=())


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def uccn(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run the `uccn` command in this process; by default on a fresh SQLite store."""
    from uccn_sdk.cli import main

    monkeypatch.setenv("UCCN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("UCCN_DATABASE_URL", raising=False)

    def run(*args: str) -> Result:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["uccn", *args])
        try:
            main()
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


OPERATOR_CONFIG = """
[secretariat]
matrix = ["@sec:uccn.test"]
[rooms.matrix]
secretariat = "!sec"
cities = { lyon = "!lyon" }
fields = { music = "!music" }
"""


@pytest.fixture
def configured(uccn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The `uccn` command with a room map, as an operator configures it."""
    path = tmp_path / "uccn.toml"
    path.write_text(OPERATOR_CONFIG)
    monkeypatch.setenv("UCCN_CONFIG", str(path))
    return uccn
