"""The store: SQLite by default, PostgreSQL by URL, with numbered migrations.

The names below are loaded on first use, so `uccn_sdk.store.reader` can be imported without
SQLAlchemy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from uccn_sdk.store.database import Store, StoreError, Transaction
    from uccn_sdk.store.location import database_url, display_url

__all__ = ["Store", "StoreError", "Transaction", "database_url", "display_url"]

_HOMES = {
    "Store": "uccn_sdk.store.database",
    "StoreError": "uccn_sdk.store.database",
    "Transaction": "uccn_sdk.store.database",
    "database_url": "uccn_sdk.store.location",
    "display_url": "uccn_sdk.store.location",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
