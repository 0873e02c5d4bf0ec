"""A connector's state kept in the store, under its platform's name."""

from __future__ import annotations

from uccn_sdk.store import Store


class StoredState:
    def __init__(self, store: Store, platform: str) -> None:
        self.store, self.platform = store, platform

    def get(self, key: str) -> str | None:
        with self.store.begin() as tx:
            return tx.connector_state.get(self.platform, key)

    def set(self, key: str, value: str) -> None:
        with self.store.begin() as tx:
            tx.connector_state.set(self.platform, key, value)
