"""uccn_sdk: the core of uccn, the UNESCO Creative Cities Network's SDK and bot.

Plugins implement the hooks in :mod:`uccn_sdk.hookspecs`; mark them with :data:`hookimpl`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    import pluggy

    hookimpl: pluggy.HookimplMarker
    """Marks a plugin function as a hook implementation (optional for ``uccn_`` names)."""

__all__ = ["__version__", "hookimpl"]


def __getattr__(name: str) -> Any:
    # pluggy is imported when a plugin asks for the marker, not by every `uccn` command.
    if name != "hookimpl":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import pluggy

    from uccn_sdk.hookspecs import PROJECT

    marker = pluggy.HookimplMarker(PROJECT)
    globals()["hookimpl"] = marker
    return marker
