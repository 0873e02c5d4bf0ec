"""The store: SQLite by default, PostgreSQL by URL, with numbered migrations.

The names below are loaded on first use, so `uccn_sdk.store.reader` can be imported without
SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from uccn_sdk.exports import lazy_exports

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

__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
