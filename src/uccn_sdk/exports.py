"""Names a package exports but imports from their modules only on first use (PEP 562), so
that importing one module of the package does not build all the others."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(
    package: str, homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of `package`, exporting each name in `homes` from
    the module given there (``{"Store": "uccn_sdk.store.database"}``)."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(home), name)

    def __dir__() -> list[str]:
        return sorted({*vars(import_module(package)), *homes})

    return __getattr__, __dir__
