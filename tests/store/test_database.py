"""Opening, migrating and refusing databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from uccn_sdk.store import Store, StoreError
from uccn_sdk.store.database import HEAD
from uccn_sdk.store.schema import metadata


def test_the_migrations_build_exactly_the_tables_the_code_uses(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_the_code_knows_the_newest_migration() -> None:
    config = Config()
    config.set_main_option(
        "script_location",
        str(Path(__import__("uccn_sdk.store").store.__file__).parent / "migrations"),
    )
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_a_sqlite_file_is_created_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "uccn.db"
    store = Store.open(f"sqlite:///{path}")
    assert path.exists()
    assert store.revision() == HEAD
    store.close()


def test_upgrading_twice_changes_nothing(store: Store) -> None:
    assert store.upgrade() == (HEAD, HEAD)


def test_a_database_newer_than_the_code_is_refused(store: Store, database_url: str) -> None:
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="revision 9999, newer than this uccn knows"):
        Store.open(database_url)
    with pytest.raises(StoreError, match="newer than this uccn knows"):
        Store.connect(database_url).upgrade()


def test_without_upgrade_an_old_database_asks_for_uccn_db_upgrade(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `uccn db upgrade`"):
        Store.open(f"sqlite:///{tmp_path / 'new.db'}", upgrade=False)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://uccn:secret@127.0.0.1:1/uccn", "could not open the database"),
        ("mysql+nosuchdriver://x@localhost/db", "not a database URL uccn can use"),
        ("not a url", "not a database URL uccn can use"),
    ],
)
def test_a_database_that_does_not_answer_gets_a_clear_error(url: str, says: str) -> None:
    with pytest.raises(StoreError, match=says) as error:
        Store.open(url)
    assert "secret" not in str(error.value)
