"""uccn_sdk: the core of uccn, the UNESCO Creative Cities Network's SDK and bot.

Plugins implement the hooks in :mod:`uccn_sdk.hookspecs`; mark them with :data:`hookimpl`.
"""

from __future__ import annotations

import pluggy

from uccn_sdk.hookspecs import PROJECT

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marks a plugin function as a hook implementation (optional for ``uccn_`` names)."""

__all__ = ["__version__", "hookimpl"]
