"""Hook implementations: the fields and the directory."""

from __future__ import annotations

from collections.abc import Callable

from uccn_sdk import CitySource, CreativeField
from uccn_unesco.directory import UnescoDirectory
from uccn_unesco.fields import FIELDS


def uccn_register_fields(register: Callable[[CreativeField], None]) -> None:
    for field in FIELDS:
        register(field)


def uccn_register_city_sources(register: Callable[[CitySource], None]) -> None:
    register(UnescoDirectory())
