"""The `uccn` commands of matching: `uccn match`, `uccn rounds …`, `uccn projects …`."""
