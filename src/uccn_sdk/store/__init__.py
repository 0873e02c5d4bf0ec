"""The store: SQLite by default, PostgreSQL by URL, with numbered migrations."""

from uccn_sdk.store.database import Store, StoreError, Transaction
from uccn_sdk.store.location import database_url, display_url

__all__ = ["Store", "StoreError", "Transaction", "database_url", "display_url"]
